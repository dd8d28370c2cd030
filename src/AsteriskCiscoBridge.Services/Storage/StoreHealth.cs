using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Services.Storage;

/// <summary>
/// What the service knows of its store's writes, for <c>/metrics</c>: writes that failed, whether the
/// last of them failed because the disk (or <c>Storage:MaxSizeMegabytes</c>) is full, requests the
/// request log could not take, and the request log's size. Thread-safe; written by the request
/// recorder and the request log's pruning.
/// </summary>
internal sealed class StoreHealth
{
    private long _writeFailures;
    private long _notRecorded;
    private long _requestLogRows = -1;
    private int _full;
    private string? _lastFailure;

    public long WriteFailures => Volatile.Read(ref _writeFailures);

    /// <summary>True from a write that failed with SQLITE_FULL until a write succeeds.</summary>
    public bool Full => Volatile.Read(ref _full) == 1;

    /// <summary>Requests neither logged nor counted: the recorder was too far behind, or their write failed.</summary>
    public long RequestsNotRecorded => Volatile.Read(ref _notRecorded);

    /// <summary>Rows of the request log, once known (the pruning counts them at start and after each prune).</summary>
    public long? RequestLogRows => Volatile.Read(ref _requestLogRows) is var rows and >= 0 ? rows : null;

    public string? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>Returns true when this failure is the first since the last successful write (worth a log line).</summary>
    public bool WriteFailed(Exception exception)
    {
        Interlocked.Increment(ref _writeFailures);
        var first = Interlocked.Exchange(ref _lastFailure, exception.Message) is null;
        if (SqliteConnectionFactory.IsFull(exception))
        {
            Volatile.Write(ref _full, 1);
        }

        return first;
    }

    /// <summary>A write went through: the store is not full (any more).</summary>
    public void WriteSucceeded(long requestRows = 0)
    {
        Volatile.Write(ref _full, 0);
        Volatile.Write(ref _lastFailure, null);
        if (requestRows > 0 && Volatile.Read(ref _requestLogRows) >= 0)
        {
            Interlocked.Add(ref _requestLogRows, requestRows);
        }
    }

    public void NotRecorded(long requests) => Interlocked.Add(ref _notRecorded, requests);

    public void RequestLogCounted(long rows) => Volatile.Write(ref _requestLogRows, rows);
}
