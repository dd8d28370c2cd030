using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace AsteriskCiscoBridge.Host.Tests.Resync;

/// <summary>
/// The queue survives the service: a round of five staggered NOTIFYs is stopped part way (cleanly,
/// or by a crash that leaves no chance to clean up), and a new service on the same SQLite file
/// sends exactly the rest. Counted where Asterisk would see them: PJSIPNotify actions at the AMI test server.
/// </summary>
public sealed class ResyncRestartTests : IAsyncDisposable
{
    private static readonly TimeSpan Stagger = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FetchDeadline = TimeSpan.FromHours(1);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly MacAddress[] Macs = [.. Enumerable.Range(0, 5).Select(i => MacAddress.Parse($"0011223344{0xA0 + i:X2}").Mac!.Value)];
    private readonly TempDirectory _data = new("acb-resync-restart");
    private readonly CountingTimeProvider _time = new();
    private readonly AmiTestServer _asterisk;
    private readonly List<string> _notified = [];
    private readonly List<IAsyncDisposable> _cleanup = [];
    private readonly CancellationTokenSource _afterTest = new();

    public ResyncRestartTests()
    {
        var pbx = new AmiTestPbx();
        for (var i = 0; i < Macs.Length; i++)
        {
            var name = $"600{i + 1}";
            pbx.Set(AmiTestEndpoint.Plain(name, "pw") with { Contacts = [new AmiTestContact($"sip:{name}@127.0.0.1:9", "Cisco-CP7960G/8.0", $"reg-{name}")] });
        }

        _asterisk = AmiTestServer.Start(pbx);
        Database = Path.Combine(_data.Path, "acb.db");
    }

    private string Database { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        // Services stop first, then a "dead" one is released: it then ends like a stopped one.
        foreach (var service in _cleanup.OfType<RunningService>())
        {
            await service.CancelAsync();
        }

        await _afterTest.CancelAsync();
        foreach (var item in Enumerable.Reverse(_cleanup))
        {
            await item.DisposeAsync();
        }

        _afterTest.Dispose();

        await _asterisk.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task A_service_stopped_between_sends_leaves_the_rest_to_the_next_one_and_nothing_is_sent_twice()
    {
        var first = await StartServiceAsync(await ConnectAsync());
        await first.Resync.PlanAndQueueAsync(first.Snapshot, Macs, Ct);
        await SendsAsync(2);

        // Stopped while it waits for the third NOTIFY's turn (the second's answer is in by then).
        await Eventually.TrueAsync(() => _time.PendingTimers >= 1, "waiting for the third turn", Ct, Bound);
        await first.StopAsync();

        var second = await StartServiceAsync(await ConnectAsync());
        await second.Resync.PlanAndQueueAsync(second.Snapshot, [], Ct);
        await SendsAsync(5);

        await AllAwaitingFetchAsync();
        Assert.Equal(["6001", "6002", "6003", "6004", "6005"], _notified.Order());
        Assert.Empty(MoreNotifies());
        var log = await new NotifyLog(Connections()).RecentAsync(null, 20, Ct);
        Assert.Equal(5, log.Count(n => n.Outcome == "sent"));
        Assert.Equal(5, log.Count);
    }

    [Fact]
    public async Task After_a_crash_during_a_send_the_next_service_takes_that_notify_as_sent_and_sends_only_the_rest()
    {
        // The third NOTIFY reaches Asterisk, and the process dies before it reads the answer:
        // nothing of it runs any more, no finally, no write.
        var dying = new DyingSender(await ConnectAsync(), dieOnNotify: 3, _afterTest.Token);
        var first = await StartServiceAsync(dying);
        await first.Resync.PlanAndQueueAsync(first.Snapshot, Macs, Ct);
        await SendsAsync(3);
        await dying.Dead.WaitAsync(Bound, Ct);

        var second = await StartServiceAsync(await ConnectAsync());
        await second.Resync.PlanAndQueueAsync(second.Snapshot, [], Ct);
        await SendsAsync(5);

        await AllAwaitingFetchAsync();
        Assert.Equal(["6001", "6002", "6003", "6004", "6005"], _notified.Order());
        Assert.Empty(MoreNotifies());
        var log = await new NotifyLog(Connections()).RecentAsync(null, 20, Ct);
        var taken = Assert.Single(log, n => n.Outcome == "assumed-sent");
        Assert.Equal((Macs[2], "6003"), (taken.Mac, taken.Endpoint));
        Assert.Equal(4, log.Count(n => n.Outcome == "sent"));
    }

    [Fact]
    public async Task A_notify_a_crash_left_unsent_is_not_lost_the_escalation_at_its_deadline_sends_it()
    {
        // The process dies after marking the second phone 'sending' and before the action leaves.
        var dying = new DyingSender(await ConnectAsync(), dieOnNotify: 2, _afterTest.Token, forward: false);
        var first = await StartServiceAsync(dying);
        await first.Resync.PlanAndQueueAsync(first.Snapshot, Macs[..2], Ct);
        await SendsAsync(1);
        await Eventually.TrueAsync(() => _time.PendingTimers >= 1, "waiting for the second turn", Ct, Bound);
        _time.Advance(Stagger);
        await dying.Dead.WaitAsync(Bound, Ct);

        var second = await StartServiceAsync(await ConnectAsync());
        await second.Resync.PlanAndQueueAsync(second.Snapshot, [], Ct);
        Assert.Equal(["6001"], _notified);

        // No fetch from either phone by the deadline: each gets its second check-sync, once.
        await Eventually.TrueAsync(() => _time.PendingTimers >= 1, "the fetch deadline armed", Ct, Bound);
        _time.Advance(FetchDeadline);
        await SendsAsync(3);
        await AllAwaitingFetchAsync();
        Assert.Equal(["6001", "6001", "6002"], _notified.Order());
        Assert.Empty(MoreNotifies());
    }

    private SqliteConnectionFactory Connections() => new(new StorageOptions { Database = Database });

    private async Task<AmiConnection> ConnectAsync()
    {
        var connection = await AmiConnection.ConnectAsync(new AmiConnectionOptions { Host = "127.0.0.1", Port = _asterisk.Port, Username = "bridge", Secret = "bridgepw" }, TimeProvider.System, null, Ct);
        await connection.LoginAsync(Ct);
        _cleanup.Add(connection);
        return connection;
    }

    // A service as a new process would make it: its own connection factory on the same file.
    private async Task<RunningService> StartServiceAsync(IAmiActionSender ami)
    {
        var connections = Connections();
        await connections.MigrateAsync(Ct);
        var phones = new PhoneStore(connections);
        if ((await phones.ListAsync(Ct)).Count == 0)
        {
            for (var i = 0; i < Macs.Length; i++)
            {
                await phones.BindAsync(Macs[i], PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = $"600{i + 1}" }], "test", _time.GetUtcNow(), Ct);
            }
        }

        var resync = new ResyncService(phones, new ResyncQueue(connections), new ResyncOptions { Interval = Stagger, FetchDeadline = FetchDeadline }, _time, NullLogger<ResyncService>.Instance);
        var read = await new PjsipSnapshotReader(ami, TimeProvider.System).ReadAsync(Ct);
        var service = new RunningService(resync, read.Snapshot!, ami);
        _cleanup.Add(service);
        return service;
    }

    // Awaits PJSIPNotify actions at the server until there are <paramref name="total"/>, moving the
    // driven clock one stagger step each time the sender waits for its next turn.
    private async Task SendsAsync(int total)
    {
        while (_notified.Count < total)
        {
            if (_asterisk.Received.TryRead(out var received))
            {
                Record(received);
                continue;
            }

            using var step = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var next = _asterisk.Received.WaitToReadAsync(step.Token).AsTask();
            var timer = Eventually.TrueAsync(() => _time.PendingTimers >= 1, "the next stagger step", step.Token, Bound);
            var first = await Task.WhenAny(next, timer).WaitAsync(Bound, Ct);
            await step.CancelAsync();
            await QuietlyAsync(Task.WhenAll(next, timer));
            if (first == timer && !_asterisk.Received.TryPeek(out _) && _time.PendingTimers >= 1)
            {
                _time.Advance(Stagger);
            }
        }
    }

    private static async Task QuietlyAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Record(AmiReceivedAction received)
    {
        if (received.Action["Action"] == "PJSIPNotify")
        {
            _notified.Add(received.Action["Endpoint"]!);
        }
    }

    private List<string> MoreNotifies()
    {
        var more = new List<string>();
        while (_asterisk.Received.TryRead(out var received))
        {
            if (received.Action["Action"] == "PJSIPNotify")
            {
                more.Add(received.Action["Endpoint"]!);
            }
        }

        return more;
    }

    // Every row answered: any NOTIFY sent has reached the server by now.
    private async Task AllAwaitingFetchAsync()
    {
        var queue = new ResyncQueue(Connections());
        var limit = DateTime.UtcNow + Bound;
        while ((await queue.ListAsync(Ct)).Any(r => r.State != ResyncState.AwaitingFetch))
        {
            Assert.True(DateTime.UtcNow < limit, "every phone awaiting its fetch");
            await Task.Yield();
        }
    }

    private sealed class RunningService : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public RunningService(ResyncService resync, PjsipSnapshot snapshot, IAmiActionSender ami)
        {
            Resync = resync;
            Snapshot = snapshot;
            _loop = resync.SendLoopAsync(ami, _stop.Token);
        }

        public ResyncService Resync { get; }

        public PjsipSnapshot Snapshot { get; }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _loop.WaitAsync(Bound, Ct);
        }

        public Task CancelAsync() => _stop.CancelAsync();

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await QuietlyAsync(_loop.WaitAsync(Bound));
            _stop.Dispose();
        }
    }

    // Passes actions to Asterisk until the n-th PJSIPNotify, then never returns: the process is gone.
    // (Released only when the test is over, so the hung task does not outlive it.)
    private sealed class DyingSender(AmiConnection connection, int dieOnNotify, CancellationToken afterTest, bool forward = true) : IAmiActionSender
    {
        private readonly TaskCompletionSource _dead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _notifies;

        public Task Dead => _dead.Task;

        public async Task<AmiResponse> SendAsync(AmiAction action, CancellationToken cancellationToken)
        {
            if (action.Name == "PJSIPNotify" && ++_notifies == dieOnNotify)
            {
                if (forward)
                {
                    await connection.SendAsync(action, CancellationToken.None);
                }

                _dead.TrySetResult();
                await Task.Delay(Timeout.Infinite, afterTest);
            }

            return await connection.SendAsync(action, cancellationToken);
        }
    }
}
