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

/// <summary>Running totals since the server started (read at any time from any thread).</summary>
public sealed class TftpServerCounters
{
    internal long RequestsValue;
    internal long ServedValue;
    internal long NotFoundValue;
    internal long DeniedValue;
    internal long MalformedValue;
    internal long BusyValue;
    internal long FailedValue;
    internal long BytesValue;
    internal long RetransmitsValue;
    internal long ActiveValue;
    internal long DuplicateRequestsValue;
    internal long StrangerPacketsValue;
    internal long DroppedEventsValue;
    internal long BufferedBytesValue;
    internal long BufferedBytesPeakValue;
    internal long MemoryRefusalsValue;

    public long Requests => Volatile.Read(ref RequestsValue);

    public long Served => Volatile.Read(ref ServedValue);

    public long NotFound => Volatile.Read(ref NotFoundValue);

    public long Denied => Volatile.Read(ref DeniedValue);

    public long Malformed => Volatile.Read(ref MalformedValue);

    public long Busy => Volatile.Read(ref BusyValue);

    public long Failed => Volatile.Read(ref FailedValue);

    /// <summary>Content bytes of completed transfers.</summary>
    public long Bytes => Volatile.Read(ref BytesValue);

    public long Retransmits => Volatile.Read(ref RetransmitsValue);

    /// <summary>Transfers in progress (including lookups under way).</summary>
    public long Active => Volatile.Read(ref ActiveValue);

    /// <summary>Repeated requests from a client TID that already has a transfer (ignored).</summary>
    public long DuplicateRequests => Volatile.Read(ref DuplicateRequestsValue);

    /// <summary>Packets to a transfer port from someone other than its client.</summary>
    public long StrangerPackets => Volatile.Read(ref StrangerPacketsValue);

    /// <summary>Request events dropped because nobody read them fast enough.</summary>
    public long DroppedEvents => Volatile.Read(ref DroppedEventsValue);

    /// <summary>Bytes running transfers keep in memory of their own now (charged against <see cref="TftpServerOptions.MaxBufferedBytes"/>).</summary>
    public long BufferedBytes => Volatile.Read(ref BufferedBytesValue);

    /// <summary>The most <see cref="BufferedBytes"/> has ever been.</summary>
    public long BufferedBytesPeak => Volatile.Read(ref BufferedBytesPeakValue);

    /// <summary>Requests refused because their content would have gone past <see cref="TftpServerOptions.MaxBufferedBytes"/>.</summary>
    public long MemoryRefusals => Volatile.Read(ref MemoryRefusalsValue);
}
