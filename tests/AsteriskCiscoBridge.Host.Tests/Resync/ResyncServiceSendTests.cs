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
/// Reliability catalogue §5.5 case 29: a NOTIFY is not abandoned at the first failure. Against the AMI
/// test server (recorded wire format), the resync on driven time: an <c>Error</c> answer is sent again
/// with a doubling wait, three tries in all; a session lost while sending is sent again after the
/// reconnect, up to a cap. Either way the phone ends stale with the reason, and nothing more is sent.
/// </summary>
public sealed class ResyncServiceSendTests : IAsyncDisposable
{
    private static readonly MacAddress Mac = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _data = new("acb-resync-send");
    private readonly CountingTimeProvider _time = new();
    private readonly AmiTestServer _asterisk;
    private readonly CancellationTokenSource _stop = new();
    private readonly SqliteConnectionFactory _connections;
    private readonly List<IAsyncDisposable> _sessions = [];
    private Task _loop = Task.CompletedTask;

    public ResyncServiceSendTests()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "pw") with { Contacts = [new AmiTestContact("sip:6001@127.0.0.1:9", "Cisco-CP7960G/8.0", "reg-6001")] });
        _asterisk = AmiTestServer.Start(pbx);
        _connections = new SqliteConnectionFactory(new StorageOptions { Database = Path.Combine(_data.Path, "acb.db") });
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        foreach (var session in _sessions)
        {
            await session.DisposeAsync();
        }

        _stop.Dispose();
        await _asterisk.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task An_error_answer_is_sent_again_after_10_then_20_seconds_and_the_third_makes_the_phone_stale()
    {
        _asterisk.RefuseNotifies = int.MaxValue;
        var (resync, snapshot) = await StartAsync(new ResyncOptions { Interval = TimeSpan.Zero });

        await resync.PlanAndQueueAsync(snapshot, [Mac], Ct);
        await NotifiesAsync(1);
        var row = await RowAsync(r => r.State == ResyncState.Retry);
        Assert.Equal((1L, "Asterisk refused the check-sync NOTIFY: Unable to retrieve endpoint 6001 (try 1 of 3; again at 2026-11-22T08:00:10Z)"), (row.Refused, row.Reason));

        // Not before its time: 10 s, then 20 s.
        await RetryArmedAsync(row);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(1, _asterisk.CountOf("PJSIPNotify"));
        _time.Advance(TimeSpan.FromSeconds(1));
        await NotifiesAsync(2);
        row = await RowAsync(r => r.Refused == 2);
        Assert.Equal(_time.Start.AddSeconds(30), row.Deadline);
        await RetryArmedAsync(row);
        _time.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal(2, _asterisk.CountOf("PJSIPNotify"));
        _time.Advance(TimeSpan.FromSeconds(1));
        await NotifiesAsync(3);

        row = await RowAsync(r => r.State == ResyncState.Stale);
        Assert.Equal("Asterisk refused the check-sync NOTIFY 3 times: Unable to retrieve endpoint 6001", row.Reason);
        await Eventually.TrueAsync(() => resync.Stale.Contains(Mac), "stale in the service's view", Ct, Bound);
        _time.Advance(TimeSpan.FromHours(1));
        await resync.PlanAndQueueAsync(snapshot, [], Ct);
        Assert.Equal(3, _asterisk.CountOf("PJSIPNotify"));
        var log = await new NotifyLog(_connections).RecentAsync(Mac, 10, Ct);
        Assert.Equal(["refused", "refused", "refused"], log.Select(n => n.Outcome));
    }

    [Fact]
    public async Task A_session_lost_while_sending_is_sent_again_after_each_reconnect_up_to_the_cap()
    {
        // Asterisk closes the connection on every PJSIPNotify, before acting on it.
        _asterisk.DropConnectionOn = a => a["Action"] == "PJSIPNotify";
        var (resync, snapshot) = await StartAsync(new ResyncOptions { Interval = TimeSpan.Zero, SendFailureCap = 4 });

        for (var lost = 1; lost <= 4; lost++)
        {
            // The snapshot after each reconnect plans the phone again.
            await resync.PlanAndQueueAsync(snapshot, lost == 1 ? [Mac] : [], Ct);
            await NotifiesAsync(lost);
            var expected = lost;
            await RowAsync(r => r.Failed == expected);
        }

        var row = await RowAsync(r => r.State == ResyncState.Stale);
        Assert.StartsWith("its NOTIFY was lost with the AMI session 4 times (last: ", row.Reason, StringComparison.Ordinal);
        await resync.PlanAndQueueAsync(snapshot, [], Ct);
        Assert.Equal(4, _asterisk.CountOf("PJSIPNotify"));
        Assert.Equal(4, (await new NotifyLog(_connections).RecentAsync(Mac, 10, Ct)).Count(n => n.Outcome == "failed"));
    }

    [Fact]
    public async Task A_refused_restart_of_an_8841_is_sent_again_with_the_three_stamps_of_its_series()
    {
        _asterisk.RefuseNotifies = 1;
        var (resync, snapshot) = await StartAsync(new ResyncOptions { Interval = TimeSpan.Zero }, PhoneModels.Cisco8841);

        await resync.PlanAndQueueAsync(snapshot, [Mac], Ct);
        var refused = await _asterisk.WaitForActionAsync("PJSIPNotify", Ct).WaitAsync(Bound, Ct);
        await RetryArmedAsync(await RowAsync(r => r.State == ResyncState.Retry));
        _time.Advance(TimeSpan.FromSeconds(10));
        var retried = await _asterisk.WaitForActionAsync("PJSIPNotify", Ct).WaitAsync(Bound, Ct);

        string[] body =
        [
            "Content=action=restart", "Content=RegisterCallId={reg-6001}", "Content=ConfigVersionStamp={00000000-0000-0000-0000-000000000000}",
            "Content=DialplanVersionStamp={00000000-0000-0000-0000-000000000000}", "Content=SoftkeyVersionStamp={00000000-0000-0000-0000-000000000000}",
        ];
        Assert.Equal(body, refused.Action.GetAll("Variable").Where(v => v.StartsWith("Content=", StringComparison.Ordinal)));
        Assert.Equal(body, retried.Action.GetAll("Variable").Where(v => v.StartsWith("Content=", StringComparison.Ordinal)));
        await RowAsync(r => r.State == ResyncState.AwaitingFetch);
    }

    [Fact]
    public async Task A_phone_planned_anew_while_its_round_waits_is_sent_once_when_that_round_ends_on_a_lost_session()
    {
        // Two phones a stagger step apart: Asterisk refuses the first (its retry would wait 10 s) and loses
        // the session on the second.
        var other = MacAddress.Parse("0011223344BB").Mac!.Value;
        var step = TimeSpan.FromSeconds(5);
        _asterisk.Pbx.Set(AmiTestEndpoint.Plain("6002", "pw") with { Contacts = [new AmiTestContact("sip:6002@127.0.0.1:9", "Cisco-CP7960G/8.0", "reg-6002")] });
        _asterisk.RefuseNotifies = int.MaxValue;
        _asterisk.DropConnectionOn = a => a["Action"] == "PJSIPNotify" && a["Endpoint"] == "6002";
        var (resync, snapshot) = await StartAsync(new ResyncOptions { Interval = step });
        await new PhoneStore(_connections).BindAsync(other, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6002" }], "test", _time.GetUtcNow(), Ct);
        await resync.PlanAndQueueAsync(snapshot, [Mac, other], Ct);
        await RowOfAsync(Mac, r => r.State == ResyncState.Retry);
        await _time.ArmedForAsync(_time.Start + step, Ct).WithinAsync(Bound, "the second phone's turn", Ct);

        // The first phone's files change again while the round waits: a newer plan holds it. The round then
        // ends on the lost session, and the sender plans what it left queued (the second phone) itself.
        await resync.PlanAndQueueAsync(snapshot, [Mac], Ct);
        _time.Advance(step);

        // Done once the second phone has lost its NOTIFY a second time (or, were the first planned twice, once
        // the first was refused a second time: its copy in the sender's own plan goes out at once, from 'retry').
        await Eventually.TrueAsync(
            async () => await new ResyncQueue(_connections).ListAsync(Ct) is var rows && rows.Any(r => (r.Mac == other && r.Failed == 2) || (r.Mac == Mac && r.Refused == 2)),
            "the round after the lost session sent",
            Ct,
            Bound);

        var notified = new List<string>();
        while (_asterisk.Received.TryRead(out var received))
        {
            if (received.Action["Action"] == "PJSIPNotify")
            {
                notified.Add(received.Action["Endpoint"]!);
            }
        }

        Assert.Equal(["6001", "6002", "6001", "6002"], notified);
        var first = await RowOfAsync(Mac, r => r.State == ResyncState.Retry);
        Assert.Equal((1L, (DateTimeOffset?)(_time.Start + step + TimeSpan.FromSeconds(10))), (first.Refused, first.Deadline));
    }

    private async Task<(ResyncService Resync, PjsipSnapshot Snapshot)> StartAsync(ResyncOptions options, PhoneModel? model = null)
    {
        await _connections.MigrateAsync(Ct);
        var phones = new PhoneStore(_connections);
        await phones.BindAsync(Mac, model ?? PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6001" }], "test", _time.GetUtcNow(), Ct);
        var sender = new ReconnectingSender(this);
        var snapshot = (await new PjsipSnapshotReader(sender, TimeProvider.System).ReadAsync(Ct)).Snapshot!;
        var resync = new ResyncService(phones, new ResyncQueue(_connections), options, _time, NullLogger<ResyncService>.Instance);
        _loop = resync.SendLoopAsync(sender, _stop.Token);
        return (resync, snapshot);
    }

    private async Task NotifiesAsync(int total) =>
        await Eventually.TrueAsync(() => _asterisk.CountOf("PJSIPNotify") >= total, $"{total} PJSIPNotify at the server", Ct, Bound);

    private async Task<ResyncQueueRow> RowAsync(Func<ResyncQueueRow, bool> condition) =>
        Assert.Single(await Eventually.ValueAsync(() => new ResyncQueue(_connections).ListAsync(Ct), rows => rows.Count == 1 && condition(rows[0]), "the queue row", Ct, Bound));

    private async Task<ResyncQueueRow> RowOfAsync(MacAddress mac, Func<ResyncQueueRow, bool> condition) =>
        (await Eventually.ValueAsync(() => new ResyncQueue(_connections).ListAsync(Ct), rows => rows.Any(r => r.Mac == mac && condition(r)), $"the queue row of {mac}", Ct, Bound)).Single(r => r.Mac == mac);

    // The sender waits for the retry on a timer of the driven clock, armed once Asterisk's refusal is recorded.
    // Only once it is armed for the row's deadline does moving the clock to that instant send the retry: moved
    // earlier, the clock would be read after the move, and the timer would come due that much later.
    private async Task RetryArmedAsync(ResyncQueueRow row) =>
        await _time.ArmedForAsync(row.Deadline!.Value, Ct).WithinAsync(Bound, $"the retry armed for {row.Deadline:O}", Ct);

    private async Task<AmiConnection> ConnectAsync()
    {
        var connection = await AmiConnection.ConnectAsync(new AmiConnectionOptions { Host = "127.0.0.1", Port = _asterisk.Port, Username = "bridge", Secret = "bridgepw", PingInterval = TimeSpan.Zero }, TimeProvider.System, null, Ct);
        await connection.LoginAsync(Ct);
        _sessions.Add(connection);
        return connection;
    }

    // What the reconnecting client gives the sender: the current session, a new one once it is lost.
    private sealed class ReconnectingSender(ResyncServiceSendTests test) : IAmiActionSender
    {
        private AmiConnection? _current;

        public async Task<AmiResponse> SendAsync(AmiAction action, CancellationToken cancellationToken)
        {
            if (_current is not { IsOpen: true })
            {
                _current = await test.ConnectAsync();
            }

            return await _current.SendAsync(action, cancellationToken);
        }
    }
}
