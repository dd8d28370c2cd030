using System.Net;
using AsteriskCiscoBridge.Tftp.Protocol;
using AsteriskCiscoBridge.Tftp.Transfer;

namespace AsteriskCiscoBridge.Tftp.Server;

/// <summary>Settings of a <see cref="TftpServer"/> (bound from the <c>Tftp</c> configuration section in the host).</summary>
public sealed class TftpServerOptions
{
    /// <summary>Addresses and ports to listen on. Default: <c>0.0.0.0:69</c> and <c>[::]:69</c>.</summary>
    public IReadOnlyList<IPEndPoint> Listen { get; init; } = [new(IPAddress.Any, 69), new(IPAddress.IPv6Any, 69)];

    /// <summary>Largest blksize granted (RFC 2348: 8–65464). Default 1468: an Ethernet MTU less IP and UDP headers, so nothing fragments.</summary>
    public int MaxBlockSize { get; init; } = 1468;

    /// <summary>Largest windowsize granted (RFC 7440). Default 32; 1 turns windows off.</summary>
    public int MaxWindowSize { get; init; } = 32;

    /// <summary>First retransmission timeout when the client did not negotiate one. Default 1 s.</summary>
    public TimeSpan InitialTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Backoff ceiling for retransmissions. Default 8 s.</summary>
    public TimeSpan MaxTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Retransmissions of one packet before the transfer is abandoned. Default 5.</summary>
    public int MaxRetransmits { get; init; } = 5;

    /// <summary>Transfers at once, all clients together. Over it, a request gets an error at once. Default 2000.</summary>
    public int MaxTransfers { get; init; } = 2000;

    /// <summary>Transfers at once from one client address. Default 16.</summary>
    public int MaxTransfersPerClient { get; init; } = 16;

    /// <summary>First port for transfer sockets (the server's TIDs); null: any ephemeral port.</summary>
    public int? PortRangeStart { get; init; }

    /// <summary>Last port for transfer sockets, inclusive.</summary>
    public int? PortRangeEnd { get; init; }

    /// <summary>Networks allowed to make requests (CIDR). Empty: everyone.</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks { get; init; } = [];

    /// <summary>Answer a client outside <see cref="AllowedNetworks"/> with error 2 (true) or stay silent (false).</summary>
    public bool AnswerDeniedClients { get; init; } = true;

    /// <summary>Receive buffer of each listening socket: a burst of requests after a power cut must not overflow it. Default 4 MiB.</summary>
    public int ReceiveBufferBytes { get; init; } = 4 << 20;

    /// <summary>
    /// Largest file served in netascii mode. Default 4 MiB. The conversion is streamed block by block
    /// (it holds no copy), but the file is read once as the transfer starts to learn its converted length.
    /// </summary>
    public int MaxNetasciiBytes { get; init; } = 4 << 20;

    /// <summary>
    /// Bytes all running transfers together may keep in memory of their own (<see cref="Files.TftpContent.BufferedBytes"/>:
    /// per-request renderings, netascii position notes). A request whose content would go past it is
    /// refused with error 0 ("try again"), counted and logged once a minute; shared and streamed content
    /// (snapshots, the directory cache, large files) costs nothing here. Default 64 MiB; 0 refuses every
    /// transfer that needs memory of its own.
    /// </summary>
    public long MaxBufferedBytes { get; init; } = 64L << 20;

    /// <summary>Request events kept for a slow reader of <see cref="TftpServer.Requests"/>; the oldest are dropped beyond it.</summary>
    public int RequestEventCapacity { get; init; } = 4096;

    /// <summary>Options never acknowledged (e.g. <c>blksize</c> for phones that ask for it and then choke on it). Names are case-insensitive.</summary>
    public IReadOnlyList<string> RefusedOptions { get; init; } = [];

    internal TftpNegotiationLimits NegotiationLimits => new(
        Math.Clamp(MaxBlockSize, 8, 65464),
        Math.Clamp(MaxWindowSize, 1, 65535),
        RefusedOptions.Select(o => o.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal));

    internal TftpRetryPolicy RetryPolicy => new(InitialTimeout, MaxTimeout, MaxRetransmits);

    /// <summary>Checks the settings; returns the problems found, empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Listen.Count == 0)
        {
            problems.Add("Tftp:Listen needs at least one address");
        }

        if (MaxBlockSize is < 8 or > 65464)
        {
            problems.Add("Tftp:MaxBlockSize must be 8–65464");
        }

        if (MaxWindowSize is < 1 or > 65535)
        {
            problems.Add("Tftp:MaxWindowSize must be 1–65535");
        }

        if (MaxTransfers < 1 || MaxTransfersPerClient < 1)
        {
            problems.Add("Tftp:MaxTransfers and MaxTransfersPerClient must be at least 1");
        }

        if ((PortRangeStart is null) != (PortRangeEnd is null)
            || PortRangeStart is < 1 or > 65535 || PortRangeEnd is < 1 or > 65535 || PortRangeStart > PortRangeEnd)
        {
            problems.Add("Tftp:PortRangeStart and PortRangeEnd go together, 1–65535, start ≤ end");
        }

        if (MaxBufferedBytes < 0)
        {
            problems.Add("Tftp:MaxBufferedBytes must be 0 or more");
        }

        if (InitialTimeout <= TimeSpan.Zero || MaxTimeout < InitialTimeout || MaxRetransmits < 0)
        {
            problems.Add("Tftp:InitialTimeout must be positive, MaxTimeout ≥ InitialTimeout, MaxRetransmits ≥ 0");
        }

        return problems;
    }
}
