using System.Diagnostics.CodeAnalysis;

namespace AsteriskCiscoBridge.Tftp.Server;

/// <summary>Something with one retransmission deadline at a time (a transfer session).</summary>
internal interface IHasDeadline
{
    /// <summary>When it is due now (TimeSpan.MaxValue: never).</summary>
    TimeSpan Deadline { get; set; }

    /// <summary>The deadline of its entry in the queue (TimeSpan.MaxValue: none queued). The queue's own bookkeeping.</summary>
    TimeSpan QueuedDeadline { get; set; }

    /// <summary>True once it needs no deadline any more; its entries are skipped.</summary>
    bool Ended { get; }
}

/// <summary>
/// The deadlines of all transfers, earliest first. An ACK moves a deadline later on almost every packet;
/// instead of an entry per packet there is at most one per item that matters: a later deadline is
/// noted on the item and the entry, when it comes due, is queued again at the new time. Owned by the
/// event loop thread.
/// </summary>
internal sealed class DeadlineQueue<T>
    where T : class, IHasDeadline
{
    private readonly PriorityQueue<T, TimeSpan> _queue = new();

    /// <summary>The earliest entry's time (which may prove stale when it comes), or TimeSpan.MaxValue.</summary>
    public TimeSpan NextDue => _queue.TryPeek(out _, out var due) ? due : TimeSpan.MaxValue;

    /// <summary>Entries queued, stale ones included.</summary>
    public int Count => _queue.Count;

    /// <summary>Sets <paramref name="item"/>'s deadline, queuing an entry only when it is earlier than the one queued.</summary>
    public void Schedule(T item, TimeSpan deadline)
    {
        item.Deadline = deadline;
        if (deadline < item.QueuedDeadline)
        {
            item.QueuedDeadline = deadline;
            _queue.Enqueue(item, deadline);
        }
    }

    /// <summary>Takes the next item whose deadline has come by <paramref name="now"/>, skipping stale entries and re-queuing moved ones.</summary>
    public bool TryTakeDue(TimeSpan now, [NotNullWhen(true)] out T? item)
    {
        while (_queue.TryPeek(out var next, out var due) && due <= now)
        {
            _queue.Dequeue();
            if (next.Ended || due != next.QueuedDeadline)
            {
                continue;
            }

            next.QueuedDeadline = TimeSpan.MaxValue;
            if (next.Deadline > now)
            {
                // Moved on since this entry was queued: queue it again at its new time.
                next.QueuedDeadline = next.Deadline;
                _queue.Enqueue(next, next.Deadline);
                continue;
            }

            item = next;
            return true;
        }

        item = null;
        return false;
    }
}
