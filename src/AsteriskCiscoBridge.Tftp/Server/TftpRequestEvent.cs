using System.Net;
using AsteriskCiscoBridge.Tftp.Protocol;

namespace AsteriskCiscoBridge.Tftp.Server;

/// <summary>How a request ended.</summary>
public enum TftpRequestOutcome
{
    /// <summary>The whole file was sent and acknowledged.</summary>
    Served = 0,

    /// <summary>Error 1: no source has the file.</summary>
    NotFound = 1,

    /// <summary>Error 2: refused (outside the root, not allowed, a write request, a device file).</summary>
    Denied = 2,

    /// <summary>Error 4: the request could not be parsed.</summary>
    Malformed = 3,

    /// <summary>Error 8: an option had a value outside its range.</summary>
    OptionRefused = 4,

    /// <summary>A limit was reached (transfers, per-client transfers, ports); the client got an error at once.</summary>
    Busy = 5,

    /// <summary>Began but did not finish: the client stopped acknowledging, sent an error, or the file changed.</summary>
    Failed = 6,
}

/// <summary>One request, as it ended: who asked for what, what they got and why.</summary>
public sealed record TftpRequestEvent(
    DateTimeOffset Timestamp,
    IPEndPoint Client,
    IPEndPoint Local,
    string FileName,
    TftpRequestOutcome Outcome,
    string Detail,
    string? Source,
    IReadOnlyList<TftpOption> RequestedOptions,
    IReadOnlyList<TftpOption> GrantedOptions,
    long Bytes,
    TimeSpan Duration,
    int Retransmits);
