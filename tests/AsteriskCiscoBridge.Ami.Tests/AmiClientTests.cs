using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Time;

namespace AsteriskCiscoBridge.Ami.Tests;

public sealed class AmiClientTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static AmiClientOptions Options(int port, string secret = "bridgepw") => new()
    {
        Connection = new AmiConnectionOptions { Port = port, Username = "bridge", Secret = secret, PingInterval = TimeSpan.Zero },
        InitialBackoff = TimeSpan.FromSeconds(1),
        MaxBackoff = TimeSpan.FromSeconds(60),
        LoginRefusedBackoff = TimeSpan.FromSeconds(30),
        Jitter = 0,
    };

    private static Task<AmiSessionChange> NextAsync(AmiClient client, CancellationToken ct) =>
        client.SessionChanges.ReadAsync(ct).AsTask().WaitAsync(Bound, ct);

    [Fact]
    public async Task Client_reconnects_after_a_drop_logs_in_again_and_asks_for_a_snapshot()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new CountingTimeProvider();
        await using var server = AmiTestServer.Start();
        await using var client = new AmiClient(Options(server.Port), time);
        client.Start();

        var first = await NextAsync(client, ct);
        Assert.Equal(new AmiSessionChange(AmiSessionState.Connected, 1), first);
        Assert.True(first.SnapshotRequired);

        server.DropAll();
        var down = await NextAsync(client, ct);
        Assert.Equal(AmiSessionState.Disconnected, down.State);
        Assert.Equal(TimeSpan.FromSeconds(1), down.RetryIn);
        await Assert.ThrowsAsync<AmiConnectionLostException>(() => client.SendAsync(new AmiAction("Ping"), ct));

        time.Advance(down.RetryIn!.Value);
        var up = await NextAsync(client, ct);
        Assert.Equal(AmiSessionState.Connected, up.State);
        Assert.Equal(2, up.Generation);
        Assert.True(up.SnapshotRequired);
        Assert.Equal(2, server.LoginCount);
        Assert.True((await client.SendAsync(new AmiAction("Ping"), ct)).IsSuccess);
    }

    [Fact]
    public async Task Client_wrong_secret_backs_off_at_least_the_login_refused_delay()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new CountingTimeProvider();
        await using var server = AmiTestServer.Start();
        await using var client = new AmiClient(Options(server.Port, "wrong"), time);
        client.Start();

        var refused = await NextAsync(client, ct);
        Assert.Equal(AmiSessionState.LoginRefused, refused.State);
        Assert.Equal("Authentication failed", refused.Reason);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.RetryIn);

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, server.ConnectionCount);
        Assert.False(client.SessionChanges.TryRead(out _));

        time.Advance(TimeSpan.FromSeconds(1));
        var again = await NextAsync(client, ct);
        Assert.Equal(AmiSessionState.LoginRefused, again.State);
        Assert.Equal(2, server.ConnectionCount);
        Assert.Equal(0, server.LoginCount);
    }

    [Fact]
    public async Task Client_asterisk_down_retries_with_exponential_backoff_then_connects()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new CountingTimeProvider();
        await using var server = AmiTestServer.Start();
        await server.StopListeningAsync();
        await using var client = new AmiClient(Options(server.Port), time);
        client.Start();

        var delays = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            var failed = await NextAsync(client, ct);
            Assert.Equal(AmiSessionState.ConnectFailed, failed.State);
            delays.Add(failed.RetryIn!.Value);
            time.Advance(failed.RetryIn!.Value);
        }

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)], delays);
        server.ResumeListening();
        var next = await NextAsync(client, ct);
        if (next.State == AmiSessionState.ConnectFailed)
        {
            // The fifth attempt may have raced the listener coming back.
            time.Advance(next.RetryIn!.Value);
            next = await NextAsync(client, ct);
        }

        Assert.Equal(AmiSessionState.Connected, next.State);
        Assert.Equal(1, next.Generation);
    }

    [Fact]
    public async Task Client_shutdown_event_reaches_consumers_then_the_session_ends()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new CountingTimeProvider();
        await using var server = AmiTestServer.Start();
        await using var client = new AmiClient(Options(server.Port), time);
        client.Start();
        Assert.Equal(AmiSessionState.Connected, (await NextAsync(client, ct)).State);

        await server.ShutdownAsync(ct);

        Assert.Equal(AmiSessionState.Disconnected, (await NextAsync(client, ct)).State);
        Assert.Equal("FullyBooted", (await client.Events.ReadAsync(ct)).EventName);
        var shutdown = await client.Events.ReadAsync(ct);
        Assert.Equal("Shutdown", shutdown.EventName);
        Assert.Equal("Cleanly", shutdown["Shutdown"]);
    }

    [Fact]
    public async Task Client_event_overflow_is_reported_as_a_session_change()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new CountingTimeProvider();
        await using var server = AmiTestServer.Start();
        var options = new AmiClientOptions
        {
            Connection = new AmiConnectionOptions { Port = server.Port, Username = "bridge", Secret = "bridgepw", PingInterval = TimeSpan.Zero, EventBufferCapacity = 1 },
        };
        await using var client = new AmiClient(options, time);
        client.Start();
        Assert.Equal(AmiSessionState.Connected, (await NextAsync(client, ct)).State);

        await server.SendReloadAsync(ct);

        var dropped = await NextAsync(client, ct);
        Assert.Equal(AmiSessionState.EventsDropped, dropped.State);
        Assert.True(dropped.SnapshotRequired);
        Assert.Equal("Reload", (await client.Events.ReadAsync(ct)).EventName);
    }

    [Theory]
    [InlineData(1, 0.5, 1.0)]
    [InlineData(2, 0.5, 2.0)]
    [InlineData(3, 0.5, 4.0)]
    [InlineData(7, 0.5, 60.0)]
    [InlineData(40, 0.5, 60.0)]
    [InlineData(2, 0.0, 1.6)]
    [InlineData(2, 0.999999, 2.4)]
    public void Backoff_doubles_caps_and_spreads_by_the_jitter(int attempt, double random, double seconds)
    {
        var delay = AmiBackoff.Delay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), 0.2, random);
        Assert.Equal(seconds, delay.TotalSeconds, 3);
    }
}
