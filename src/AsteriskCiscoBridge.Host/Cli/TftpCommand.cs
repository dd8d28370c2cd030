using System.CommandLine;
using System.Globalization;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary><c>acb tftp serve --root DIR [--listen ADDR:PORT]…</c>: the TFTP server alone over folders, read-only.</summary>
internal static class TftpCommand
{
    public static Command Create()
    {
        var roots = new Option<DirectoryInfo[]>("--root")
        {
            Description = "Folder to serve; repeat to layer several (the first that has a file wins).",
            Required = true,
        };
        var listen = new Option<string[]>("--listen")
        {
            Description = "ADDR:PORT to listen on; repeat for several (default 0.0.0.0:69 and [::]:69).",
        };
        var allow = new Option<string[]>("--allow")
        {
            Description = "Network allowed to make requests (CIDR); repeat for several (default: everyone).",
        };
        var portRange = new Option<string?>("--port-range") { Description = "Ports for transfers, e.g. 50000-50999 (default: any ephemeral port)." };
        var maxBlockSize = new Option<int>("--max-block-size") { Description = "Largest blksize granted (8–65464).", DefaultValueFactory = _ => 1468 };
        var maxWindowSize = new Option<int>("--max-window-size") { Description = "Largest windowsize granted (1 turns windows off).", DefaultValueFactory = _ => 32 };
        var maxTransfers = new Option<int>("--max-transfers") { Description = "Transfers at once, all clients together.", DefaultValueFactory = _ => 2000 };
        var maxPerClient = new Option<int>("--max-transfers-per-client") { Description = "Transfers at once from one client address.", DefaultValueFactory = _ => 16 };
        var quiet = new Option<bool>("--quiet") { Description = "Log warnings and errors only, not every request." };

        var serve = new Command("serve", "Serve folders over TFTP, read-only, until stopped.")
        {
            roots, listen, allow, portRange, maxBlockSize, maxWindowSize, maxTransfers, maxPerClient, quiet,
        };
        serve.SetAction(async (parse, cancellationToken) =>
        {
            var limits = new TransferLimits(parse.GetValue(maxBlockSize), parse.GetValue(maxWindowSize), parse.GetValue(maxTransfers), parse.GetValue(maxPerClient));
            if (!TryBuildOptions(parse.GetValue(listen) ?? [], parse.GetValue(allow) ?? [], parse.GetValue(portRange), limits, out var options, out var error))
            {
                await Console.Error.WriteLineAsync($"acb tftp serve: {error}");
                return 2;
            }

            using var loggerFactory = LoggerFactory.Create(b => b
                .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
                .SetMinimumLevel(parse.GetValue(quiet) ? LogLevel.Warning : LogLevel.Information));
            var sources = new List<DirectoryFileSource>();
            try
            {
                foreach (var root in parse.GetValue(roots)!)
                {
                    sources.Add(new DirectoryFileSource(root.FullName));
                }

                await using var server = new TftpServer(options, sources, TimeProvider.System, loggerFactory.CreateLogger<TftpServer>());
                server.Start();
                try
                {
                    // The loop runs until we stop it; if it ends first it died, and so does the command.
                    await server.Completion.WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Stopped by SIGINT or SIGTERM.
                    return 0;
                }
                catch (Exception e) when (server.Completion.IsFaulted)
                {
                    await Console.Error.WriteLineAsync($"acb tftp serve: the TFTP event loop died: {e.Message}");
                    return 1;
                }

                return 0;
            }
            catch (Exception e) when (e is IOException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"acb tftp serve: {e.Message}");
                return 1;
            }
            finally
            {
                foreach (var source in sources)
                {
                    source.Dispose();
                }
            }
        });
        return new Command("tftp", "The TFTP server.") { serve };
    }

    internal sealed record TransferLimits(int MaxBlockSize, int MaxWindowSize, int MaxTransfers, int MaxTransfersPerClient);

    internal static bool TryBuildOptions(string[] listen, string[] allow, string? portRange, TransferLimits limits, out TftpServerOptions options, out string error)
    {
        // The flags are one more configuration layer, read by the same code as acb.json's Tftp section.
        var values = new Dictionary<string, string?>
        {
            ["Tftp:MaxBlockSize"] = limits.MaxBlockSize.ToString(CultureInfo.InvariantCulture),
            ["Tftp:MaxWindowSize"] = limits.MaxWindowSize.ToString(CultureInfo.InvariantCulture),
            ["Tftp:MaxTransfers"] = limits.MaxTransfers.ToString(CultureInfo.InvariantCulture),
            ["Tftp:MaxTransfersPerClient"] = limits.MaxTransfersPerClient.ToString(CultureInfo.InvariantCulture),
            ["Tftp:PortRange"] = portRange,
        };
        for (var i = 0; i < listen.Length; i++)
        {
            values[$"Tftp:Listen:{i}"] = listen[i];
        }

        for (var i = 0; i < allow.Length; i++)
        {
            values[$"Tftp:AllowedNetworks:{i}"] = allow[i];
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return TftpSettings.TryRead(configuration, out options, out _, out error);
    }
}
