using Microsoft.Extensions.Time.Testing;

namespace AsteriskCiscoBridge.Testing.Time;

/// <summary>
/// The .NET team's <see cref="FakeTimeProvider"/>, starting on a fixed day, that also says how many
/// of its timers are armed. Tests wait for the code under test to arm its timer (a poll, a
/// retransmission, a stagger step) before they <see cref="FakeTimeProvider.Advance"/> past it;
/// the library keeps its list of waiting timers to itself, so each timer is wrapped here to count it.
/// </summary>
public sealed class CountingTimeProvider : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly HashSet<CountedTimer> _armed = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];

    public CountingTimeProvider()
        : this(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero))
    {
    }

    public CountingTimeProvider(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>Number of timers armed and not yet fired (a periodic timer stays armed until changed or disposed).</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate)
            {
                return _armed.Count;
            }
        }
    }

    /// <summary>
    /// Completes when exactly <paramref name="count"/> timers are armed (at once when they are): the signal that
    /// the code under test has armed its timers, to await before <see cref="FakeTimeProvider.Advance"/>.
    /// </summary>
    public Task ArmedAsync(int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_armed.Count == count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.WaitAsync(cancellationToken);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new CountedTimer(this, callback, state);
        timer.Inner = base.CreateTimer(static t => ((CountedTimer)t!).Fire(), timer, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Mark(CountedTimer timer, bool armed)
    {
        List<TaskCompletionSource>? reached = null;
        lock (_gate)
        {
            if (armed)
            {
                _armed.Add(timer);
            }
            else
            {
                _armed.Remove(timer);
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count == _armed.Count)
                {
                    (reached ??= []).Add(_waiters[i].Reached);
                    _waiters.RemoveAt(i);
                }
            }
        }

        reached?.ForEach(r => r.TrySetResult());
    }

    private sealed class CountedTimer(CountingTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private volatile bool _periodic;
        private volatile bool _disposed;

        public ITimer Inner { get; set; } = null!;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_disposed)
            {
                return false;
            }

            _periodic = period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero;
            owner.Mark(this, dueTime != Timeout.InfiniteTimeSpan);

            // A due time of zero fires inside this call, which unmarks a one-shot timer again.
            return Inner.Change(dueTime, period);
        }

        public void Fire()
        {
            if (!_periodic)
            {
                owner.Mark(this, armed: false);
            }

            callback(state);
        }

        public void Dispose()
        {
            _disposed = true;
            owner.Mark(this, armed: false);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
