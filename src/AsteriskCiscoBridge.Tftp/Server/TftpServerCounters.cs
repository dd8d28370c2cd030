namespace AsteriskCiscoBridge.Tftp.Server;

/// <summary>Running totals since the server started (read at any time from any thread).</summary>
public sealed class TftpServerCounters
{
    internal long RequestsValue;
    internal long ServedValue;
    internal long NotFoundValue;
    internal long DeniedValue;
    internal long MalformedValue;
    internal long OptionRefusedValue;
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

    /// <summary>Datagrams and requests that could not be parsed (error 4, or no answer at all).</summary>
    public long Malformed => Volatile.Read(ref MalformedValue);

    /// <summary>Requests refused because an option was out of its range (error 8, RFC 2347).</summary>
    public long OptionRefused => Volatile.Read(ref OptionRefusedValue);

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

    /// <summary>Counts one ended request under its outcome.</summary>
    internal void CountEnded(TftpRequestOutcome outcome, long bytes, int retransmits)
    {
        switch (outcome)
        {
            case TftpRequestOutcome.Served:
                Interlocked.Increment(ref ServedValue);
                Interlocked.Add(ref BytesValue, bytes);
                break;
            case TftpRequestOutcome.NotFound:
                Interlocked.Increment(ref NotFoundValue);
                break;
            case TftpRequestOutcome.Denied:
                Interlocked.Increment(ref DeniedValue);
                break;
            case TftpRequestOutcome.Malformed:
                Interlocked.Increment(ref MalformedValue);
                break;
            case TftpRequestOutcome.OptionRefused:
                Interlocked.Increment(ref OptionRefusedValue);
                break;
            case TftpRequestOutcome.Busy:
                Interlocked.Increment(ref BusyValue);
                break;
            default:
                Interlocked.Increment(ref FailedValue);
                break;
        }

        Interlocked.Add(ref RetransmitsValue, retransmits);
    }
}
