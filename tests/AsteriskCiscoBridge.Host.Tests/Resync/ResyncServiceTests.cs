using System.Collections.Immutable;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace AsteriskCiscoBridge.Host.Tests.Resync;

/// <summary>Resync with proof, on driven time: a phone that never fetches is escalated along its family's ladder, then marked stale.</summary>
public sealed class ResyncServiceTests : IAsyncDisposable
{
    private static readonly MacAddress Mac7961 = MacAddress.Parse("0011223344BB").Mac!.Value;
    private static readonly MacAddress Mac7960 = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CallDefer = TimeSpan.FromMinutes(30);
    private static readonly ResyncOptions Options = new() { Interval = TimeSpan.Zero, FetchDeadline = Deadline, CallDeferDeadline = CallDefer };
    private readonly TempDirectory _data = new("acb-resync");
    private readonly CountingTimeProvider _time = new();
    private readonly RecordingAmi _ami = new(Bound);
    private readonly CancellationTokenSource _stop = new();
    private readonly SqliteConnectionFactory _connections;
    private readonly ResyncService _resync;
    private Task _loop = Task.CompletedTask;

    public ResyncServiceTests()
    {
        _connections = new SqliteConnectionFactory(new StorageOptions { Database = Path.Combine(_data.Path, "acb.db") });
        _resync = new ResyncService(new PhoneStore(_connections), new ResyncQueue(_connections), Options, _time, NullLogger<ResyncService>.Instance);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task A_7961_that_never_fetches_gets_restart_then_reset_then_is_stale()
    {
        await StartAsync();

        await _resync.PlanAndQueueAsync(Snapshot(("6002", "reg-6002")), [Mac7961], Ct);
        Assert.Contains("Content=action=restart", (await _ami.NextAsync(Ct)).GetAll("Variable"));

        await PassDeadlineAsync();
        var reset = await _ami.NextAsync(Ct);
        Assert.Contains("Content=action=reset", reset.GetAll("Variable"));
        Assert.Contains("Content=RegisterCallId={reg-6002}", reset.GetAll("Variable"));

        await PassDeadlineAsync();
        await Eventually.TrueAsync(() => _resync.Stale.Contains(Mac7961), "marked stale", Ct, Bound);
        var log = await new NotifyLog(_connections).RecentAsync(Mac7961, 10, Ct);
        Assert.Equal(["stale", "sent", "sent"], log.Select(n => n.Outcome));
        Assert.Contains("no fetch after 2 NOTIFYs", log[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_8841_is_restarted_then_reset_with_the_three_stamps_of_its_series()
    {
        var mac8841 = MacAddress.Parse("0011223344CC").Mac!.Value;
        await StartAsync();
        await new PhoneStore(_connections).BindAsync(mac8841, PhoneModels.Cisco8841, [new BindingRow { Position = 1, Endpoint = "6003" }], "test", _time.GetUtcNow(), Ct);

        await _resync.PlanAndQueueAsync(Snapshot(("6003", "reg-6003")), [mac8841], Ct);
        var restart = (await _ami.NextAsync(Ct)).GetAll("Variable");
        await PassDeadlineAsync();
        var reset = (await _ami.NextAsync(Ct)).GetAll("Variable");

        string[] stamps = ["Content=ConfigVersionStamp={00000000-0000-0000-0000-000000000000}", "Content=DialplanVersionStamp={00000000-0000-0000-0000-000000000000}", "Content=SoftkeyVersionStamp={00000000-0000-0000-0000-000000000000}"];
        Assert.Equal(["Content=action=restart", "Content=RegisterCallId={reg-6003}", .. stamps], restart.Where(v => v.StartsWith("Content=", StringComparison.Ordinal)));
        Assert.Equal(["Content=action=reset", "Content=RegisterCallId={reg-6003}", .. stamps], reset.Where(v => v.StartsWith("Content=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_7960_gets_check_sync_twice_before_it_is_stale()
    {
        await StartAsync();

        await _resync.PlanAndQueueAsync(Snapshot(("6001", "reg-6001")), [Mac7960], Ct);
        Assert.Equal(["Event=check-sync"], (await _ami.NextAsync(Ct)).GetAll("Variable"));
        await PassDeadlineAsync();
        Assert.Equal(["Event=check-sync"], (await _ami.NextAsync(Ct)).GetAll("Variable"));
        await PassDeadlineAsync();

        await Eventually.TrueAsync(() => _resync.Stale.Contains(Mac7960), "marked stale", Ct, Bound);
    }

    [Fact]
    public async Task A_phone_that_fetches_in_time_is_not_escalated_and_a_late_fetch_clears_stale()
    {
        await StartAsync();
        await _resync.PlanAndQueueAsync(Snapshot(("6001", "reg-6001"), ("6002", "reg-6002")), [Mac7960, Mac7961], Ct);
        await _ami.NextAsync(Ct);
        await _ami.NextAsync(Ct);

        var rearmed = await WaitingAsync();
        await _resync.OnFetchedAsync(Mac7960, $"SIP{Mac7960}.cnf", _time.GetUtcNow().AddSeconds(25), Ct);
        await PassDeadlineAsync(rearmed);

        // Only the 7961 is escalated; the 7960 registers again after its reboot (a new Call-ID): proven.
        var escalation = await _ami.NextAsync(Ct);
        Assert.Equal("6002", escalation["Endpoint"]);
        await _resync.OnContactsAsync(Contacts(("6001", "reg-6001-after-boot"), ("6002", "reg-6002")), Ct);
        Assert.Equal(1, _resync.Proven);
        await PassDeadlineAsync();
        await Eventually.TrueAsync(() => _resync.Stale.Count == 1, "the 7961 stale", Ct, Bound);
        Assert.Equal([Mac7961], _resync.Stale);
        Assert.Equal(1, _resync.Fetched);

        await _resync.OnFetchedAsync(Mac7961, $"SEP{Mac7961}.cnf.xml", _time.GetUtcNow(), Ct);
        Assert.Empty(_resync.Stale);
        Assert.Equal(3, _ami.Count);
    }

    [Fact]
    public async Task A_phone_in_a_call_is_deferred_until_a_snapshot_shows_it_idle()
    {
        await StartAsync();

        var plan = await _resync.PlanAndQueueAsync(Snapshot("In use", ("6001", "reg-6001")), [Mac7960], Ct);
        Assert.Empty(plan.Orders);
        Assert.Equal([Mac7960], _resync.Deferred);
        var row = Assert.Single(await new ResyncQueue(_connections).ListAsync(Ct), r => r.Mac == Mac7960);
        Assert.Equal((ResyncState.Deferred, (DateTimeOffset?)_time.GetUtcNow(), (DateTimeOffset?)_time.GetUtcNow() + CallDefer), (row.State, row.DeferredSince, row.Deadline));

        // Still on hold ten minutes later: still nothing.
        _time.Advance(TimeSpan.FromMinutes(10));
        await _resync.PlanAndQueueAsync(Snapshot("On Hold", ("6001", "reg-6001")), [], Ct);
        Assert.Equal(0, _ami.Count);

        await _resync.PlanAndQueueAsync(Snapshot("Not in use", ("6001", "reg-6001")), [], Ct);
        Assert.Equal(["Event=check-sync"], (await _ami.NextAsync(Ct)).GetAll("Variable"));
        Assert.Empty(_resync.Deferred);
    }

    [Fact]
    public async Task A_call_that_outlasts_the_defer_deadline_gets_its_notify_anyway_and_a_restart_keeps_the_deadline()
    {
        await StartAsync();
        await _resync.PlanAndQueueAsync(Snapshot("Busy", ("6002", "reg-6002")), [Mac7961], Ct);
        _time.Advance(TimeSpan.FromMinutes(20));

        // A new service on the same file: the call was first seen 20 minutes ago, not now.
        await _stop.CancelAsync();
        await _loop;
        var again = new ResyncService(new PhoneStore(_connections), new ResyncQueue(_connections), Options, _time, NullLogger<ResyncService>.Instance);
        using var stop = new CancellationTokenSource();
        var loop = again.SendLoopAsync(_ami, stop.Token);
        try
        {
            await again.PlanAndQueueAsync(Snapshot("Busy", ("6002", "reg-6002")), [], Ct);
            Assert.Equal([Mac7961], again.Deferred);

            // No new snapshot comes; the sender wakes at the deadline itself.
            await Eventually.TrueAsync(() => _time.PendingTimers >= 1, "defer deadline armed", Ct, Bound);
            _time.Advance(TimeSpan.FromMinutes(10));
            Assert.Contains("Content=action=restart", (await _ami.NextAsync(Ct)).GetAll("Variable"));
            Assert.Equal(1, _ami.Count);
        }
        finally
        {
            await stop.CancelAsync();
            await loop;
        }
    }

    [Fact]
    public async Task A_phone_in_a_call_is_not_escalated_to_a_restart_until_the_call_ends()
    {
        await StartAsync();
        await _resync.PlanAndQueueAsync(Snapshot(("6002", "reg-6002")), [Mac7961], Ct);
        Assert.Contains("Content=action=restart", (await _ami.NextAsync(Ct)).GetAll("Variable"));
        var queue = new ResyncQueue(_connections);
        var first = await DeadlineAsync(queue, null);

        // The deadline passes while it is in a call: the reset waits, its deadline moves on.
        await _resync.PlanAndQueueAsync(Snapshot("In use", ("6002", "reg-6002")), [], Ct);
        await PassDeadlineAsync();
        await DeadlineAsync(queue, first);
        Assert.Equal(1, _ami.Count);

        await _resync.PlanAndQueueAsync(Snapshot(("6002", "reg-6002")), [], Ct);
        await PassDeadlineAsync();
        Assert.Contains("Content=action=reset", (await _ami.NextAsync(Ct)).GetAll("Variable"));
    }

    // The row's fetch deadline once it is set and differs from <paramref name="before"/>.
    private static async Task<DateTimeOffset> DeadlineAsync(ResyncQueue queue, DateTimeOffset? before)
    {
        var limit = DateTime.UtcNow + Bound;
        while (true)
        {
            if ((await queue.ListAsync(Ct)).SingleOrDefault(r => r.Mac == Mac7961) is { State: ResyncState.AwaitingFetch, Deadline: { } deadline } && deadline != before)
            {
                return deadline;
            }

            Assert.True(DateTime.UtcNow < limit, "the fetch deadline set");
            await Task.Yield();
        }
    }

    private async Task StartAsync()
    {
        await _connections.MigrateAsync(Ct);
        var phones = new PhoneStore(_connections);
        await phones.BindAsync(Mac7960, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6001" }], "test", _time.GetUtcNow(), Ct);
        await phones.BindAsync(Mac7961, PhoneModels.Find("7961")!, [new BindingRow { Position = 1, Endpoint = "6002" }], "test", _time.GetUtcNow(), Ct);
        _loop = _resync.SendLoopAsync(_ami, _stop.Token);
    }

    // The loop waits for the earliest deadline on a timer of the driven clock; once it is armed,
    // moving the clock past it makes the escalation happen now. A fetch wakes the loop, which arms
    // its wait again: then the wait is the one scheduled after <paramref name="rearmed"/> (taken
    // before the fetch), not the one it replaces.
    private async Task PassDeadlineAsync(long rearmed = 0)
    {
        await _time.ArmedAfterAsync(rearmed, Ct).WithinAsync(Bound, "the loop's deadline armed", Ct);
        _time.Advance(Deadline);
    }

    // The loop waits for its deadline (its timer armed, nothing else to do): what it arms from now on replaces that wait.
    private async Task<long> WaitingAsync()
    {
        await _time.ArmedAfterAsync(0, Ct).WithinAsync(Bound, "the loop's deadline armed", Ct);
        return _time.Scheduled;
    }

    private static PjsipSnapshot Snapshot(params (string Endpoint, string CallId)[] registered) => Snapshot("Not in use", registered);

    private PjsipContactsUpdate Contacts(params (string Endpoint, string CallId)[] registered) => new()
    {
        TakenAt = _time.GetUtcNow().AddTicks(1),
        Contacts = [.. registered.Select(r => new PjsipContact(r.Endpoint, $"sip:{r.Endpoint}@127.0.0.1:5070", "Cisco", r.CallId, "Reachable"))],
    };

    private static PjsipSnapshot Snapshot(string deviceState, params (string Endpoint, string CallId)[] registered) => new()
    {
        TakenAt = DateTimeOffset.UnixEpoch,
        ActionCount = 5,
        Problems = [],
        Endpoints = [.. registered.Select(r => new PjsipEndpoint
        {
            Name = r.Endpoint,
            Aor = r.Endpoint,
            Aors = [r.Endpoint],
            Transport = "transport-udp",
            CallerIdName = string.Empty,
            CallerIdNumber = string.Empty,
            Auth = new PjsipAuth(r.Endpoint, r.Endpoint, "pw", "userpass", string.Empty),
            Contacts = [new PjsipContact(r.Endpoint, $"sip:{r.Endpoint}@127.0.0.1:5070", "Cisco", r.CallId, "Reachable")],
            SetVars = [],
            NotProvisionableReason = null,
            Problems = [],
            DeviceState = deviceState,
        })],
    };
}
