using Microsoft.Extensions.Time.Testing;

namespace AsteriskCiscoBridge.Testing.Time;

/// <summary>
/// The .NET team's <see cref="FakeTimeProvider"/>, starting on a fixed day, that also says which of its
/// timers are armed and when each comes due. Tests wait for the code under test to arm its timer (a poll,
/// a retransmission, a stagger step, a retry) before they <see cref="FakeTimeProvider.Advance"/> past it;
/// the library keeps its list of waiting timers to itself, so each timer is wrapped here to count it.
/// </summary>
/// <remarks>
/// A timer counts as armed only once the library has scheduled it: its due instant is fixed then, from the
/// clock at that moment. Counted any earlier, a test could see it armed and advance the clock before the
/// library read the clock, and the timer would come due that much later than the code asked for.
/// </remarks>
public sealed class CountingTimeProvider : FakeTimeProvider
{
    private readonly Lock _gate = new();

    // Each armed timer with the instant it comes due (null when that is not known: the clock moved while it
    // was scheduled, a periodic timer after its first tick, a timer being changed) and when it was scheduled.
    private readonly Dictionary<CountedTimer, (DateTimeOffset? Due, long Scheduled)> _armed = [];
    private readonly List<(Func<bool> Met, TaskCompletionSource Reached)> _waiters = [];
    private long _scheduled;

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
    /// Timers scheduled so far. Taken before the code under test is made to replace a timer (woken to look at its
    /// work again), it tells the replacement from the timer it replaces: <see cref="ArmedAfterAsync"/>.
    /// </summary>
    public long Scheduled
    {
        get
        {
            lock (_gate)
            {
                return _scheduled;
            }
        }
    }

    /// <summary>
    /// Completes when exactly <paramref name="count"/> timers are armed (at once when they are): the signal that
    /// the code under test has armed its timers, to await before <see cref="FakeTimeProvider.Advance"/>.
    /// </summary>
    public Task ArmedAsync(int count, CancellationToken cancellationToken) =>
        WhenAsync(() => _armed.Count == count, cancellationToken);

    /// <summary>
    /// Completes when a timer is armed to come due at <paramref name="due"/> (at once when one is): the signal
    /// that the code under test waits for that instant, whatever other timers are armed, so that advancing the
    /// clock to it fires that timer.
    /// </summary>
    public Task ArmedForAsync(DateTimeOffset due, CancellationToken cancellationToken) =>
        WhenAsync(() => _armed.Values.Any(a => a.Due == due), cancellationToken);

    /// <summary>
    /// Completes when a timer scheduled after <paramref name="scheduled"/> (a value of <see cref="Scheduled"/>) is
    /// armed: the replacement of a timer the code under test had armed before, which it arms from the clock as it
    /// reads it then. Until then the replaced timer still shows, and a clock moved meanwhile makes the new one late.
    /// </summary>
    public Task ArmedAfterAsync(long scheduled, CancellationToken cancellationToken) =>
        WhenAsync(() => _armed.Values.Any(a => a.Scheduled > scheduled), cancellationToken);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new CountedTimer(this, callback, state);
        timer.Inner = base.CreateTimer(static t => ((CountedTimer)t!).Fire(), timer, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    private Task WhenAsync(Func<bool> met, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (met())
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((met, reached));
            return reached.Task.WaitAsync(cancellationToken);
        }
    }

    // A timer being changed keeps its place in the count, its due unknown until it is scheduled again.
    private int BeginArming(CountedTimer timer, bool periodic)
    {
        lock (_gate)
        {
            timer.Periodic = periodic;
            if (_armed.TryGetValue(timer, out var armed))
            {
                _armed[timer] = armed with { Due = null };
            }

            return timer.Ticks;
        }
    }

    // The library has scheduled the timer: it counts, with its due instant, unless it fired (a one-shot) or was
    // disposed meanwhile, or was changed again since (that change counts it). A periodic timer that ticked
    // meanwhile counts with its next due unknown.
    private void Armed(CountedTimer timer, int ticksBefore, int arming, DateTimeOffset? due) => Update(() =>
    {
        if (timer.Arming != arming)
        {
            return;
        }

        var ticked = timer.Ticks != ticksBefore;
        if (timer.Disposed || (ticked && !timer.Periodic))
        {
            _armed.Remove(timer);
            return;
        }

        _armed[timer] = (ticked ? null : due, ++_scheduled);
    });

    private void Disarmed(CountedTimer timer, bool disposed) => Update(() =>
    {
        timer.Disposed |= disposed;
        _armed.Remove(timer);
    });

    private void Ticked(CountedTimer timer) => Update(() =>
    {
        timer.Ticks++;
        if (!timer.Periodic)
        {
            _armed.Remove(timer);
        }
        else if (_armed.TryGetValue(timer, out var armed))
        {
            _armed[timer] = armed with { Due = null };
        }
    });

    private void Update(Action change)
    {
        List<TaskCompletionSource>? reached = null;
        lock (_gate)
        {
            change();
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Met())
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
        private int _arming;

        public ITimer Inner { get; set; } = null!;

        public int Arming => Volatile.Read(ref _arming);

        // Read and written under the owner's gate.
        public int Ticks { get; set; }

        public bool Periodic { get; set; }

        public bool Disposed { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                if (Disposed)
                {
                    return false;
                }
            }

            var arming = Interlocked.Increment(ref _arming);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                owner.Disarmed(this, disposed: false);
                return Inner.Change(dueTime, period);
            }

            // The library reads the clock once, inside Inner.Change: when reads on either side agree, that is the
            // instant it used (a clock that advances on every read is not read here, so as not to move it).
            var ticksBefore = owner.BeginArming(this, period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero);
            var still = owner.AutoAdvanceAmount == TimeSpan.Zero;
            var before = still ? owner.GetUtcNow() : default;

            // A due time of zero may fire inside this call: a one-shot timer that did is not counted.
            var changed = Inner.Change(dueTime, period);
            var known = still && owner.GetUtcNow() == before;
            owner.Armed(this, ticksBefore, arming, known ? before + dueTime : null);
            return changed;
        }

        public void Fire()
        {
            owner.Ticked(this);
            callback(state);
        }

        public void Dispose()
        {
            owner.Disarmed(this, disposed: true);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
