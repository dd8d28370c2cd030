using System.CommandLine;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary><c>acb tftp serve --root DIR [--listen ADDR:PORT]…</c>: the TFTP server alone, read-only.</summary>
internal static class TftpCommand
{
    public static Command Create()
    {
        var root = new Option<DirectoryInfo[]>("--root") { Description = "Folder to serve (repeat to layer several; earlier wins).", Required = true, AllowMultipleArgumentsPerToken = false };
        var serve = new Command("serve", "Serve folders over TFTP, read-only.") { root };
        serve.SetAction(async (parse, ct) =>
        {
            await Console.Out.WriteLineAsync($"roots: {string.Join(", ", parse.GetValue(root)!.Select(r => r.FullName))}");
            await Task.Delay(0, ct);
            return 0;
        });
        return new Command("tftp", "The TFTP server.") { serve };
    }
}
