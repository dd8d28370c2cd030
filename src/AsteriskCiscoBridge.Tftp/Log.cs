using System.Net;
using AsteriskCiscoBridge.Tftp.Server;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Tftp;

// The one Log class of the Tftp assembly. Event ids 2000–2999 (2000–2099: the server and its transfers).
// Never reuse or repurpose an id; the next free one is 2010.
internal static partial class Log
{
    [LoggerMessage(2000, LogLevel.Information, "TFTP listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(2001, LogLevel.Information, "{Client} {FileName}: {Outcome}, {Detail} ({Bytes} bytes, {DurationMs} ms, {Retransmits} retransmits)")]
    public static partial void RequestEnded(ILogger logger, IPEndPoint client, string fileName, TftpRequestOutcome outcome, string detail, long bytes, long durationMs, int retransmits);

    [LoggerMessage(2002, LogLevel.Debug, "{Client}: malformed datagram ({Reason})")]
    public static partial void MalformedDatagram(ILogger logger, IPEndPoint client, string reason);

    [LoggerMessage(2003, LogLevel.Error, "TFTP event loop died: no TFTP request is answered any more")]
    public static partial void LoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(2004, LogLevel.Warning, "A file source failed while looking up {FileName}")]
    public static partial void SourceFailed(ILogger logger, string fileName, Exception exception);

    [LoggerMessage(2005, LogLevel.Warning, "Could not open a transfer socket on {Local}: {Reason}")]
    public static partial void NoTransferSocket(ILogger logger, IPAddress local, string reason);

    [LoggerMessage(2006, LogLevel.Warning, "Receive buffer of {EndPoint} is {Actual} bytes, less than the {Wanted} configured (raise net.core.rmem_max or run with CAP_NET_ADMIN)")]
    public static partial void SmallReceiveBuffer(ILogger logger, IPEndPoint endPoint, int actual, int wanted);

    [LoggerMessage(2007, LogLevel.Warning, "IPv6 is not available on this host: not listening on {EndPoint}")]
    public static partial void NoIPv6(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(2008, LogLevel.Error, "Handling a TFTP packet failed; the server goes on")]
    public static partial void RequestFailed(ILogger logger, Exception exception);

    [LoggerMessage(2009, LogLevel.Warning, "TFTP memory budget used up ({Budget} bytes for transfers, Tftp:MaxBufferedBytes): requests refused with 'try again' since the last report: {Refused} (one report per {IntervalSeconds} s at most)")]
    public static partial void MemoryBudgetUsedUp(ILogger logger, long budget, long refused, long intervalSeconds);
}
