using System.CommandLine;
using System.Runtime.InteropServices;
using AsteriskCiscoBridge.Host.Cli;

// The composition root: every verb of DESIGN.md's command table is one Cli/*Command.cs file.
var root = new RootCommand("AsteriskCiscoBridge: Asterisk as the provisioning server for Cisco IP phones.")
{
    RunCommand.Create(),
    TftpCommand.Create(),
    DhcpCommand.Create(),
    ResyncCommand.Create(),
    EndpointsCommand.Create(),
    BindCommand.Create(),
    UnbindCommand.Create(),
    PhonesCommand.Create(),
    RenderCommand.Create(),
    FirmwareCommand.Create(),
    PinCommand.Create(),
    UnpinCommand.Create(),
    LogCommand.Create(),
    DoctorCommand.Create(),
    SyncCommand.Create(),
};

// SIGTERM (systemd, kill) and SIGINT stop long-running verbs through their cancellation token,
// so they shut down cleanly and exit 0 instead of dying by the signal.
using var stopping = new CancellationTokenSource();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stopping.Token);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}
