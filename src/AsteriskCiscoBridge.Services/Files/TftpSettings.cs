using System.Net;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Tftp.Server;
using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Services.Files;

/// <summary>The <c>Tftp</c> configuration section.</summary>
internal sealed class TftpSettings
{
    /// <summary>Addresses to listen on, <c>ADDR:PORT</c>, one or a list. Default <c>0.0.0.0:69</c> and <c>[::]:69</c>.</summary>
    public List<string> Listen { get; set; } = [];

    /// <summary>Networks allowed to fetch files (CIDR); empty: everyone. Applies to HTTP as well.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>
    /// How a client outside <see cref="AllowedNetworks"/> is refused: <c>true</c> (default) answers TFTP
    /// error 2 and HTTP 403; <c>false</c> stays silent (no TFTP answer; the HTTP connection is closed
    /// without a response), so a scan learns nothing of the server.
    /// </summary>
    public bool AnswerDeniedClients { get; set; } = true;

    /// <summary>Largest blksize granted. Default 1468.</summary>
    public int MaxBlockSize { get; set; } = 1468;

    /// <summary>Largest windowsize granted. Default 32.</summary>
    public int MaxWindowSize { get; set; } = 32;

    /// <summary>Transfers at once. Default 2000.</summary>
    public int MaxTransfers { get; set; } = 2000;

    /// <summary>Transfers at once per client address. Default 16.</summary>
    public int MaxTransfersPerClient { get; set; } = 16;

    /// <summary>Options never acknowledged (tftpd-hpa's <c>--refuse</c>), e.g. <c>["blksize"]</c>.</summary>
    public List<string> RefusedOptions { get; set; } = [];

    /// <summary>Ports for transfers, <c>FIRST-LAST</c>; empty: any ephemeral port.</summary>
    public string? PortRange { get; set; }

    /// <summary>
    /// Bytes all running transfers together may keep in memory of their own (per-request renderings,
    /// netascii position notes; shared and streamed files cost nothing). Past it a request gets TFTP
    /// error 0 "try again". Default 67108864 (64 MiB).
    /// </summary>
    public long MaxBufferedBytes { get; set; } = new TftpServerOptions().MaxBufferedBytes;

    /// <summary>Reads the section and turns it into server options, or explains what is wrong.</summary>
    public static bool TryRead(IConfiguration configuration, out TftpServerOptions options, out IReadOnlyList<IPNetwork> networks, out string error)
    {
        var settings = configuration.GetSection("Tftp").Get<TftpSettings>() ?? new TftpSettings();
        networks = [];
        options = new TftpServerOptions();
        if (!ListenAddresses.TryRead(configuration, "Tftp:Listen", [.. options.Listen.Select(e => e.ToString())], "0.0.0.0:69 or [::]:69", out var endPoints, out error))
        {
            return false;
        }

        if (endPoints.Count == 0)
        {
            error = "Tftp:Listen is empty: give ADDR:PORT (e.g. 0.0.0.0:69), or leave it out for 0.0.0.0:69 and [::]:69";
            return false;
        }

        var parsed = new List<IPNetwork>();
        foreach (var text in settings.AllowedNetworks)
        {
            if (!IPNetwork.TryParse(text, out var network))
            {
                error = $"Tftp:AllowedNetworks '{text}' is not a network in CIDR form";
                return false;
            }

            parsed.Add(network);
        }

        int? first = null, last = null;
        if (!string.IsNullOrEmpty(settings.PortRange))
        {
            var parts = settings.PortRange.Split('-');
            if (parts.Length != 2 || !int.TryParse(parts[0], out var a) || !int.TryParse(parts[1], out var b))
            {
                error = $"Tftp:PortRange '{settings.PortRange}' is not FIRST-LAST";
                return false;
            }

            (first, last) = (a, b);
        }

        options = new TftpServerOptions
        {
            Listen = endPoints,
            AllowedNetworks = parsed,
            AnswerDeniedClients = settings.AnswerDeniedClients,
            MaxBlockSize = settings.MaxBlockSize,
            MaxWindowSize = settings.MaxWindowSize,
            MaxTransfers = settings.MaxTransfers,
            MaxTransfersPerClient = settings.MaxTransfersPerClient,
            PortRangeStart = first,
            PortRangeEnd = last,
            RefusedOptions = settings.RefusedOptions,
            MaxBufferedBytes = settings.MaxBufferedBytes,
        };
        var problems = options.Validate();
        networks = parsed;
        error = string.Join("; ", problems);
        return problems.Count == 0;
    }
}
