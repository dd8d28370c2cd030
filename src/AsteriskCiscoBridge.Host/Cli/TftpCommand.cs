using System.CommandLine;
using System.Net;
using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Server;
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
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Stopped by SIGINT or SIGTERM.
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
        options = new TftpServerOptions();
        error = string.Empty;
        var endPoints = new List<IPEndPoint>();
        foreach (var text in listen)
        {
            if (!IPEndPoint.TryParse(text, out var endPoint) || endPoint.Port == 0 && !text.EndsWith(":0", StringComparison.Ordinal))
            {
                error = $"--listen '{text}' is not ADDR:PORT (e.g. 0.0.0.0:69 or [::]:69)";
                return false;
            }

            endPoints.Add(endPoint);
        }

        var networks = new List<IPNetwork>();
        foreach (var text in allow)
        {
            if (!IPNetwork.TryParse(text, out var network))
            {
                error = $"--allow '{text}' is not a network in CIDR form (e.g. 10.1.0.0/16)";
                return false;
            }

            networks.Add(network);
        }

        int? start = null, end = null;
        if (portRange is not null)
        {
            var parts = portRange.Split('-');
            if (parts.Length != 2 || !int.TryParse(parts[0], out var a) || !int.TryParse(parts[1], out var b))
            {
                error = $"--port-range '{portRange}' is not FIRST-LAST";
                return false;
            }

            (start, end) = (a, b);
        }

        options = new TftpServerOptions
        {
            Listen = endPoints.Count > 0 ? endPoints : new TftpServerOptions().Listen,
            AllowedNetworks = networks,
            PortRangeStart = start,
            PortRangeEnd = end,
            MaxBlockSize = limits.MaxBlockSize,
            MaxWindowSize = limits.MaxWindowSize,
            MaxTransfers = limits.MaxTransfers,
            MaxTransfersPerClient = limits.MaxTransfersPerClient,
        };
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            error = string.Join("; ", problems);
            return false;
        }

        return true;
    }
}
