using System.CommandLine;
using AsteriskCiscoBridge.Host.Cli;

// The composition root: every verb of DESIGN.md's command table is one Cli/*Command.cs file.
var root = new RootCommand("AsteriskCiscoBridge: Asterisk as the provisioning server for Cisco IP phones.")
{
    TftpCommand.Create(),
    BindCommand.Create(),
    UnbindCommand.Create(),
    PhonesCommand.Create(),
    RenderCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
