using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace AsteriskCiscoBridge.Host.Diagnostics;

/// <summary>
/// sd_notify(3) without libsystemd: one datagram of <c>KEY=VALUE</c> lines to the unix socket
/// named by <c>NOTIFY_SOCKET</c> (a path, or <c>@name</c> for the abstract namespace), which
/// systemd sets for a <c>Type=notify</c> unit.
/// </summary>
internal sealed class SystemdNotifier(string socket)
{
    /// <summary>The notifier systemd asked for, or null when not started by systemd with <c>Type=notify</c>.</summary>
    public static SystemdNotifier? FromEnvironment(Func<string, string?>? environment = null)
    {
        var socket = (environment ?? Environment.GetEnvironmentVariable)("NOTIFY_SOCKET");
        return string.IsNullOrEmpty(socket) ? null : new SystemdNotifier(socket);
    }

    public string Socket => socket;

    /// <summary>
    /// Sends <paramref name="state"/> (e.g. <c>READY=1\nSTATUS=…</c>) as one datagram. Synchronous on
    /// purpose: it is called from lifetime callbacks, and a local datagram send does not wait.
    /// </summary>
    public void Notify(string state)
    {
        // An abstract socket name starts with NUL on the wire; systemd writes it with a leading '@'.
        var name = socket.StartsWith('@') ? "\0" + socket[1..] : socket;
        using var client = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        client.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, new UnixDomainSocketEndPoint(name));
    }
}

/// <summary>
/// Tells systemd the service is ready once every listener is bound and every hosted service has
/// started (ApplicationStarted), and that it is stopping on shutdown, so <c>systemctl start</c>
/// returns only when phones can be served and dependants start after it.
/// </summary>
internal sealed partial class SystemdNotifyService(SystemdNotifier? notifier, IHostApplicationLifetime lifetime, ILogger<SystemdNotifyService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (notifier is not null)
        {
            lifetime.ApplicationStarted.Register(() => Send("READY=1\nSTATUS=serving phones over TFTP and HTTP"));
            lifetime.ApplicationStopping.Register(() => Send("STOPPING=1\nSTATUS=stopping"));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Send(string state)
    {
        try
        {
            notifier!.Notify(state);
        }
        catch (SocketException e)
        {
            NotifyFailed(logger, notifier!.Socket, e.Message);
        }
    }

    [LoggerMessage(6110, LogLevel.Warning, "Could not notify systemd on {Socket}: {Reason}")]
    private static partial void NotifyFailed(ILogger logger, string socket, string reason);
}

/// <summary>
/// Under systemd (stdout is the journal, <c>JOURNAL_STREAM</c> set) each log line goes out as
/// <c>&lt;priority&gt;category[event] message</c> on one line, without colours or timestamps: the
/// journal adds its own time and reads the priority prefix.
/// </summary>
internal static class JournalLogging
{
    public static bool UnderJournal(Func<string, string?>? environment = null) =>
        !string.IsNullOrEmpty((environment ?? Environment.GetEnvironmentVariable)("JOURNAL_STREAM"));

    public static void Configure(ILoggingBuilder logging, Func<string, string?>? environment = null)
    {
        if (!UnderJournal(environment))
        {
            return;
        }

        logging.ClearProviders();
        logging.AddSystemdConsole(options =>
        {
            options.IncludeScopes = false;
            options.TimestampFormat = null;
        });
    }
}
