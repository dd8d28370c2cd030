using System.Threading.Channels;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Time;

namespace AsteriskCiscoBridge.Ami.Tests;

public sealed class AmiKeepaliveTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_Ping_unanswered_within_the_timeout_means_the_peer_is_dead()
    {
        var peer = new FakePeer();
        var keepalive = new AmiKeepalive(Interval, Timeout, peer.Time, peer.PingAsync);
        var run = keepalive.RunAsync(Ct);

        peer.Time.Advance(Interval);
        var ping = await peer.NextPingAsync();
        Assert.Equal(peer.Start + Interval, ping.At);
        Assert.False(run.IsCompleted);
        peer.Time.Advance(Timeout);

        Assert.True(await run.WaitAsync(Bound, Ct));
    }

    [Fact]
    public async Task An_answered_Ping_keeps_the_loop_going_until_cancelled()
    {
        var peer = new FakePeer();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var keepalive = new AmiKeepalive(Interval, Timeout, peer.Time, peer.PingAsync);
        var run = keepalive.RunAsync(stop.Token);

        peer.Time.Advance(Interval);
        var ping = await peer.NextPingAsync();

        // As the reader loop does: the answer's bytes are noted before the answer is handed over.
        keepalive.Received();
        ping.Answer.SetResult();
        peer.Time.Advance(Timeout);
        await stop.CancelAsync();

        Assert.False(await run.WaitAsync(Bound, Ct));
    }

    [Fact]
    public async Task Bytes_received_put_the_Ping_off()
    {
        var peer = new FakePeer();
        var keepalive = new AmiKeepalive(Interval, Timeout, peer.Time, peer.PingAsync);
        _ = keepalive.RunAsync(Ct);

        peer.Time.Advance(TimeSpan.FromSeconds(15));
        keepalive.Received();
        peer.Time.Advance(TimeSpan.FromSeconds(5));
        await peer.NextDelayArmedAsync();
        peer.Time.Advance(Interval);

        Assert.Equal(peer.Start + TimeSpan.FromSeconds(40), (await peer.NextPingAsync()).At);
    }

    [Fact]
    public async Task Bytes_after_the_Ping_went_out_prove_the_peer_alive_even_when_its_answer_is_late()
    {
        var peer = new FakePeer();
        var keepalive = new AmiKeepalive(Interval, Timeout, peer.Time, peer.PingAsync);
        var run = keepalive.RunAsync(Ct);

        peer.Time.Advance(Interval);
        await peer.NextPingAsync();
        peer.Time.Advance(TimeSpan.FromSeconds(5));
        keepalive.Received();
        peer.Time.Advance(TimeSpan.FromSeconds(5));
        await peer.NextDelayArmedAsync();
        peer.Time.Advance(Interval);

        Assert.Equal(peer.Start + TimeSpan.FromSeconds(50), (await peer.NextPingAsync()).At);
        Assert.False(run.IsCompleted);
    }

    [Fact]
    public async Task A_lost_connection_ends_the_loop_without_calling_the_peer_dead()
    {
        var peer = new FakePeer();
        var keepalive = new AmiKeepalive(Interval, Timeout, peer.Time, peer.PingAsync);
        var run = keepalive.RunAsync(Ct);

        peer.Time.Advance(Interval);
        (await peer.NextPingAsync()).Answer.SetException(new AmiConnectionLostException("connection closed by 127.0.0.1:5038"));

        Assert.False(await run.WaitAsync(Bound, Ct));
    }

    private sealed class FakePeer
    {
        private readonly Channel<Ping> _pings = Channel.CreateUnbounded<Ping>();

        public CountingTimeProvider Time { get; } = new();

        public DateTimeOffset Start { get; }

        public FakePeer() => Start = Time.GetUtcNow();

        public Task PingAsync(CancellationToken cancellationToken)
        {
            var ping = new Ping(Time.GetUtcNow());
            _pings.Writer.TryWrite(ping);
            return ping.Answer.Task.WaitAsync(cancellationToken);
        }

        public async Task<Ping> NextPingAsync() => await _pings.Reader.ReadAsync(Ct).AsTask().WaitAsync(Bound, Ct);

        // Only the keepalive's own timer is armed between rounds: wait for it before moving the clock past it.
        public Task NextDelayArmedAsync() => Eventually.TrueAsync(() => Time.PendingTimers == 1, "the keepalive's next delay armed", Ct);
    }

    private sealed record Ping(DateTimeOffset At)
    {
        public TaskCompletionSource Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
