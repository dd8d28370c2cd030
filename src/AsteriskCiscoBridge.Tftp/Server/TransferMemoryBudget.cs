namespace AsteriskCiscoBridge.Tftp.Server;

/// <summary>
/// Memory transfers keep of their own (<see cref="Files.TftpContent.BufferedBytes"/>), charged to one
/// budget (<see cref="TftpServerOptions.MaxBufferedBytes"/>): hundreds of phones that stop acknowledging
/// cannot grow the process past it. Refusals are reported at most once per <see cref="ReportInterval"/>,
/// however many a storm brings. Owned by the event loop thread; publishes through the counters.
/// </summary>
internal sealed class TransferMemoryBudget(long limit, TftpServerCounters counters)
{
    /// <summary>The shortest time between two refusal reports.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMinutes(1);

    private long _unreported;
    private TimeSpan? _reportedAt;

    /// <summary>Bytes charged now.</summary>
    public long InUse { get; private set; }

    /// <summary>The budget.</summary>
    public long Limit => limit;

    /// <summary>True when <paramref name="charge"/> more bytes fit (content that costs nothing always fits).</summary>
    public bool Fits(long charge) => charge <= 0 || InUse + charge <= limit;

    /// <summary>Books <paramref name="charge"/> bytes for a transfer that starts.</summary>
    public void Charge(long charge)
    {
        InUse += charge;
        Volatile.Write(ref counters.BufferedBytesValue, InUse);
        if (InUse > counters.BufferedBytesPeak)
        {
            Volatile.Write(ref counters.BufferedBytesPeakValue, InUse);
        }
    }

    /// <summary>Gives back what a transfer that ended had booked.</summary>
    public void Release(long charge)
    {
        InUse -= charge;
        Volatile.Write(ref counters.BufferedBytesValue, InUse);
    }

    /// <summary>
    /// Counts a refusal; returns true with the refusals since the last report when one is due at
    /// <paramref name="now"/> (the first ever, or <see cref="ReportInterval"/> after the last).
    /// </summary>
    public bool Refused(TimeSpan now, out long refusedSinceReport)
    {
        Interlocked.Increment(ref counters.MemoryRefusalsValue);
        _unreported++;
        refusedSinceReport = _unreported;
        if (_reportedAt is { } last && now - last < ReportInterval)
        {
            return false;
        }

        _reportedAt = now;
        _unreported = 0;
        return true;
    }
}
