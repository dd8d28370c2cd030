namespace AsteriskCiscoBridge.Services.Diagnostics;

/// <summary>
/// A count of things a loop has done (provisioning rounds, held reads) that can also be awaited to reach a
/// value: the dashboard and /metrics read <see cref="Value"/>; tests await <see cref="ReachedAsync"/> instead of
/// polling it. Incremented by one writer or many.
/// </summary>
internal sealed class EventCount
{
    private readonly Lock _gate = new();
    private readonly List<(int Target, TaskCompletionSource Reached)> _waiters = [];
    private int _value;

    public int Value => Volatile.Read(ref _value);

    public void Increment() => Add(1);

    /// <summary>Counts <paramref name="count"/> things done at once (a batch written in one transaction).</summary>
    public void Add(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        List<TaskCompletionSource>? reached = null;
        lock (_gate)
        {
            var value = Interlocked.Add(ref _value, count);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Target <= value)
                {
                    (reached ??= []).Add(_waiters[i].Reached);
                    _waiters.RemoveAt(i);
                }
            }
        }

        // Completed outside the lock, continuations on the pool: a waiter never runs inside the loop that counts.
        reached?.ForEach(r => r.TrySetResult());
    }

    /// <summary>Completes once the count is at least <paramref name="target"/> (at once when it already is).</summary>
    public Task ReachedAsync(int target, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_value >= target)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, reached));
            return reached.Task.WaitAsync(cancellationToken);
        }
    }
}
