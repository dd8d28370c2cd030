using System.Threading.Channels;
using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Host.Cli;
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
/// Reliability catalogue §5.5 case 30 on driven time: a resync is proven when the phone fetched its
/// changed file and registered again afterwards; a fetch with no registration by the deadline is
/// "fetched but did not register". Case 29: a phone whose endpoint is gone is told at its last contact.
/// </summary>
public sealed class ResyncServiceProofTests : IAsyncDisposable
{
    private static readonly MacAddress Mac7960 = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly MacAddress Mac7961 = MacAddress.Parse("0011223344BB").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RegisterDeadline = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ProofPoll = TimeSpan.FromSeconds(20);

    // The ExpirationTime RecordingAmi lists by default (registration-and-notify/02).
    private static readonly DateTimeOffset RecordedExpiration = DateTimeOffset.FromUnixTimeSeconds(1795313105);
    private static readonly ResyncOptions Options = new() { Interval = TimeSpan.Zero, FetchDeadline = TimeSpan.FromMinutes(3), RegisterDeadline = RegisterDeadline, ProofPollInterval = ProofPoll };
    private readonly TempDirectory _data = new("acb-resync-proof");
    private readonly CountingTimeProvider _time = new();
    private readonly RecordingAmi _ami = new(Bound);
    private readonly CancellationTokenSource _stop = new();
    private readonly SqliteConnectionFactory _connections;
    private readonly List<Task> _loops = [];

    public ResyncServiceProofTests()
    {
        _connections = new SqliteConnectionFactory(new StorageOptions { Database = Path.Combine(_data.Path, "acb.db") });
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _stop.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task A_phone_that_fetches_and_never_registers_is_stale_fetched_but_did_not_register_until_it_registers()
    {
        var resync = await StartAsync();
        await resync.PlanAndQueueAsync(Snapshot(("6001", "reg-6001")), [Mac7960], Ct);
        await _ami.NextAsync(Ct);
        await AwaitingFetchAsync();
        _ami.Contacts = [("6001", "sip:6001@127.0.0.1:5070", "reg-6001")];

        // It fetches (a wrong password in its new file, say): the fetch alone proves nothing.
        var rearmed = await WaitingAsync();
        await resync.OnFetchedAsync(Mac7960, $"SIP{Mac7960}.cnf", _time.GetUtcNow().AddSeconds(20), Ct);
        Assert.Equal((1, 0), (resync.Fetched, resync.Proven));
        var row = Assert.Single(await Queue.ListAsync(Ct));
        Assert.Equal(ResyncState.AwaitingRegistration, row.State);
        Assert.StartsWith("fetched at ", PhonesCommand.QueueText(row), StringComparison.Ordinal);

        // Its contacts stay as they were (the old registration): at the deadline it is stale, after a fresh read.
        await resync.OnContactsAsync(Contacts(("6001", "reg-6001")), Ct);
        await PassAsync(Options.FetchDeadline, rearmed);
        await PassAsync(TimeSpan.FromSeconds(20) + RegisterDeadline - Options.FetchDeadline);
        await Eventually.TrueAsync(() => resync.Stale.Contains(Mac7960), "marked stale", Ct, Bound);
        Assert.Equal(1, _ami.ContactReads);
        row = Assert.Single(await Queue.ListAsync(Ct));
        Assert.Equal("stale: fetched but did not register within 5 min of its last fetch (check its SIP password and proxy address)", PhonesCommand.QueueText(row));
        var log = await new NotifyLog(_connections).RecentAsync(Mac7960, 10, Ct);
        Assert.Equal(["stale", "fetched", "sent"], log.Select(n => n.Outcome));
        Assert.StartsWith(ResyncProofRule.FetchedButNotRegistered, log[0].Detail, StringComparison.Ordinal);

        // Fixed on the phone, it registers at last: proven, no longer stale.
        await resync.OnContactsAsync(Contacts(("6001", "reg-6001-fixed")), Ct);
        Assert.Empty(resync.Stale);
        Assert.Empty(await Queue.ListAsync(Ct));
        Assert.Equal(1, resync.Proven);
        var proof = (await new NotifyLog(_connections).RecentAsync(Mac7960, 1, Ct))[0];
        Assert.Equal("proven", proof.Outcome);
        Assert.StartsWith("fetched and registered again (Call-ID reg-6001-fixed)", proof.Detail, StringComparison.Ordinal);
        Assert.Equal(1, _ami.Count);
    }

    [Fact]
    public async Task A_registration_that_raised_no_event_is_found_by_the_read_at_the_deadline()
    {
        var resync = await StartAsync();
        await resync.PlanAndQueueAsync(Snapshot(("6002", "reg-6002")), [Mac7961], Ct);
        Assert.Contains("Content=RegisterCallId={reg-6002}", (await _ami.NextAsync(Ct)).GetAll("Variable"));
        await AwaitingFetchAsync();
        var rearmed = await WaitingAsync();
        await resync.OnFetchedAsync(Mac7961, $"SEP{Mac7961}.cnf.xml", _time.GetUtcNow().AddSeconds(5), Ct);

        // The restarted phone registered again from the same contact: Asterisk kept the Call-ID, moved the
        // expiration and raised no ContactStatus; the read at the deadline finds it.
        _ami.Contacts = [("6002", "sip:6002@127.0.0.1:5070", "reg-6002")];
        _ami.Expirations["sip:6002@127.0.0.1:5070"] = 1795313105 + 600;
        await PassAsync(Options.FetchDeadline, rearmed);
        await PassAsync(TimeSpan.FromSeconds(5) + RegisterDeadline - Options.FetchDeadline);
        await Eventually.TrueAsync(() => resync.Proven == 1, "proven at the deadline", Ct, Bound);

        Assert.Empty(resync.Stale);
        Assert.Empty(await Queue.ListAsync(Ct));
        Assert.Equal(1, _ami.ContactReads);
    }

    [Fact]
    public async Task The_first_request_Asterisk_authenticates_after_the_boot_proves_the_restart_and_is_named_by_the_next_one_whatever_order_they_are_seen_in()
    {
        var resync = await StartAsync();
        await resync.PlanAndQueueAsync(Snapshot(("6002", "reg-6002")), [Mac7961], Ct);
        Assert.Contains("Content=RegisterCallId={reg-6002}", (await _ami.NextAsync(Ct)).GetAll("Variable"));
        await AwaitingFetchAsync();

        // The phone fetched its file and registered again from the same contact (Asterisk keeps listing reg-6002). The
        // request log reports the fetch after Asterisk's SuccessfulAuth of that REGISTER came in.
        var fetchedAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(4));
        await resync.OnAuthenticatedAsync(new PjsipAuthentication("6002", "boot-2@127.0.0.1", "127.0.0.1"), Ct);
        Assert.Equal(0, resync.RegistrationsLearned);
        await resync.OnFetchedAsync(Mac7961, $"SEP{Mac7961}.cnf.xml", fetchedAt, Ct, host: "127.0.0.1");

        Assert.Equal((1, 1), (resync.Proven, resync.RegistrationsLearned));
        var proof = (await new NotifyLog(_connections).RecentAsync(Mac7961, 1, Ct))[0];
        Assert.StartsWith("fetched and registered again (Call-ID boot-2@127.0.0.1)", proof.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _ami.ContactReads);

        // A call later (an INVITE authenticated with its own Call-ID) and a request from another address change nothing.
        _time.Advance(TimeSpan.FromMinutes(2));
        await resync.OnAuthenticatedAsync(new PjsipAuthentication("6002", "invite-1@127.0.0.1", "127.0.0.1"), Ct);
        await resync.OnAuthenticatedAsync(new PjsipAuthentication("6002", "elsewhere@10.9.9.9", "10.9.9.9"), Ct);
        Assert.Equal(1, resync.RegistrationsLearned);

        // The next change, planned by a service started again over the same store, names the phone's registration.
        var again = Start();
        await again.PlanAndQueueAsync(Snapshot(("6002", "reg-6002")), [Mac7961], Ct);
        Assert.Contains("Content=RegisterCallId={boot-2@127.0.0.1}", (await _ami.NextAsync(Ct)).GetAll("Variable"));

        // Once Asterisk lists a contact created since (the phone unregistered and registered anew), Asterisk's is newer.
        await AwaitingFetchAsync();
        await again.OnFetchedAsync(Mac7961, $"SEP{Mac7961}.cnf.xml", _time.GetUtcNow(), Ct, host: "127.0.0.1");
        await again.OnContactsAsync(Contacts(("6002", "boot-3@127.0.0.1")), Ct);
        Assert.Equal(1, again.Proven);
        await again.PlanAndQueueAsync(Snapshot(("6002", "boot-3@127.0.0.1")), [Mac7961], Ct);
        Assert.Contains("Content=RegisterCallId={boot-3@127.0.0.1}", (await _ami.NextAsync(Ct)).GetAll("Variable"));
    }

    [Fact]
    public async Task The_contacts_are_read_every_ProofPollInterval_only_while_a_phone_awaits_its_registration()
    {
        var resync = await StartAsync();
        var requests = Channel.CreateUnbounded<string>();
        _loops.Add(resync.PollForProofAsync(reason => requests.Writer.TryWrite(reason), _stop.Token));
        await resync.PlanAndQueueAsync(Snapshot(("6001", "reg-6001")), [Mac7960], Ct);
        await _ami.NextAsync(Ct);
        await AwaitingFetchAsync();

        // Told, not fetched yet: the sender waits for the fetch deadline, nothing looks at the contacts.
        await Eventually.TrueAsync(() => _time.PendingTimers == 1, "only the fetch deadline armed", Ct, Bound);
        _time.Advance(ProofPoll * 3);
        Assert.Equal(0, resync.ProofPolls);

        // It fetched: every interval one read, until it is proven.
        await resync.OnFetchedAsync(Mac7960, $"SIP{Mac7960}.cnf", _time.GetUtcNow(), Ct);
        for (var i = 1; i <= 2; i++)
        {
            await Eventually.TrueAsync(() => _time.PendingTimers == 2, "the look armed beside the registration deadline", Ct, Bound);
            _time.Advance(ProofPoll);
            Assert.Equal("phones await their registration", await requests.Reader.ReadAsync(Ct).AsTask().WaitAsync(Bound, Ct));
            Assert.Equal(i, resync.ProofPolls);
        }

        await resync.OnContactsAsync(Contacts(("6001", "reg-6001-new")), Ct);
        Assert.Equal(1, resync.Proven);

        // The look armed before the proof comes due, finds none awaiting and arms nothing more (the sender's
        // registration deadline stays armed until it next wakes).
        await Eventually.TrueAsync(() => _time.PendingTimers == 2, "the look armed once more", Ct, Bound);
        _time.Advance(ProofPoll);
        await Eventually.TrueAsync(() => _time.PendingTimers == 1, "no look armed once none awaits", Ct, Bound);
        _time.Advance(ProofPoll * 3);
        Assert.Equal(2, resync.ProofPolls);
        Assert.False(requests.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_same_uri_registration_that_raised_no_event_is_proven_by_the_look_before_its_deadline()
    {
        var resync = await StartAsync();
        var reader = new PjsipSnapshotReader(_ami, _time, NullLogger.Instance);
        _loops.Add(resync.PollForProofAsync(_ => _loops.Add(ReadContactsAsync()), _stop.Token));
        _ami.Contacts = [("6002", "sip:6002@127.0.0.1:5070", "reg-6002")];
        await resync.OnContactsAsync((await reader.ReadContactsAsync(Ct)).Update!, Ct);
        await resync.PlanAndQueueAsync(Snapshot(("6002", "reg-6002")), [Mac7961], Ct);
        await _ami.NextAsync(Ct);
        await AwaitingFetchAsync();
        await resync.OnFetchedAsync(Mac7961, $"SEP{Mac7961}.cnf.xml", _time.GetUtcNow(), Ct);

        // The restarted phone registers again from the same contact with a new Call-ID: Asterisk keeps the old
        // one, moves ExpirationTime, and sends no ContactStatus.
        _ami.Expirations["sip:6002@127.0.0.1:5070"] = 1795313105 + 45;
        await Eventually.TrueAsync(() => _time.PendingTimers == 2, "the look armed", Ct, Bound);
        _time.Advance(ProofPoll);
        await Eventually.TrueAsync(() => resync.Proven == 1, "proven by the look", Ct, Bound);

        Assert.Equal(1, resync.ProofPolls);
        Assert.Empty(await Queue.ListAsync(Ct));
        var proof = (await new NotifyLog(_connections).RecentAsync(Mac7961, 1, Ct))[0];
        Assert.Equal("proven", proof.Outcome);
        Assert.StartsWith("fetched and registered again (contact sip:6002@127.0.0.1:5070 refreshed, expires ", proof.Detail, StringComparison.Ordinal);

        // Stands in for the endpoint source: one PJSIPShowContacts, its answer handed to the service.
        async Task ReadContactsAsync()
        {
            if ((await reader.ReadContactsAsync(_stop.Token)).Update is { } update)
            {
                await resync.OnContactsAsync(update, _stop.Token);
            }
        }
    }

    [Fact]
    public async Task A_waiting_phone_is_told_when_refreshed_contacts_show_it_registered_without_a_snapshot()
    {
        var resync = await StartAsync();
        await resync.PlanAndQueueAsync(Snapshot(), [Mac7960], Ct);
        Assert.Equal([Mac7960], resync.Waiting);

        await resync.OnContactsAsync(Contacts(("6001", "reg-6001")), Ct);

        Assert.Equal(["Event=check-sync"], (await _ami.NextAsync(Ct)).GetAll("Variable"));
        Assert.Empty(resync.Waiting);
    }

    [Fact]
    public async Task A_phone_whose_endpoint_was_removed_is_told_with_PJSIPNotify_URI_at_its_last_contact_even_after_a_restart()
    {
        var first = await StartAsync();
        await first.PlanAndQueueAsync(Snapshot(("6001", "reg-6001")), [Mac7960], Ct);
        await _ami.NextAsync(Ct);
        await AwaitingFetchAsync(); // the first service's answer and notify-log row are written before it "restarts"

        // The service restarts; then the admin removes endpoint 6001: the phone's files change, its only line is gone.
        var again = Start();
        var plan = await again.PlanAndQueueAsync(Snapshot(("6002", "reg-6002")), [Mac7960], Ct);
        var told = await _ami.NextActionAsync(Ct);

        Assert.Equal("sip:6001@127.0.0.1:5070", Assert.Single(plan.Orders).Uri);
        Assert.Equal(AmiFixtures.Numbered("registration-and-notify", "11-", "request"), AmiActionWriter.ToBytes(told.WithActionId("registration-and-notify-11")));
        await Eventually.TrueAsync(async () => (await Queue.ListAsync(Ct)).Count == 0, "nothing left to watch", Ct, Bound);
        var log = (await new NotifyLog(_connections).RecentAsync(Mac7960, 1, Ct))[0];
        Assert.Equal(("sent", "6001"), (log.Outcome, log.Endpoint));
        Assert.Contains("to its last contact sip:6001@127.0.0.1:5070", log.Detail, StringComparison.Ordinal);
    }

    private ResyncQueue Queue => new(_connections);

    // Asterisk's answer is written once the plan's sends are done; the phone fetches after it.
    private async Task AwaitingFetchAsync() =>
        await Eventually.TrueAsync(async () => (await Queue.ListAsync(Ct)) is [{ State: ResyncState.AwaitingFetch }], "the NOTIFY's answer recorded", Ct, Bound);

    private async Task<ResyncService> StartAsync()
    {
        await _connections.MigrateAsync(Ct);
        var phones = new PhoneStore(_connections);
        await phones.BindAsync(Mac7960, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6001" }], "test", _time.GetUtcNow(), Ct);
        await phones.BindAsync(Mac7961, PhoneModels.Find("7961")!, [new BindingRow { Position = 1, Endpoint = "6002" }], "test", _time.GetUtcNow(), Ct);
        return Start();
    }

    private ResyncService Start()
    {
        var resync = new ResyncService(new PhoneStore(_connections), new ResyncQueue(_connections), Options, _time, NullLogger<ResyncService>.Instance);
        _loops.Add(resync.SendLoopAsync(_ami, _stop.Token));
        return resync;
    }

    // Moves the driven clock once the sender waits for a deadline. The sender armed its wait for the
    // deadline it knew (a fetch moves the row's deadline later), so a move goes one deadline at a time.
    // A fetch wakes the sender, which arms its wait again: then the wait is the one scheduled after
    // <paramref name="rearmed"/> (taken before the fetch), not the one it replaces.
    private async Task PassAsync(TimeSpan span, long rearmed = 0)
    {
        await _time.ArmedAfterAsync(rearmed, Ct).WithinAsync(Bound, "the sender's deadline armed", Ct);
        _time.Advance(span);
    }

    // The sender waits for its deadline (its timer armed, nothing else to do): what it arms from now on replaces that wait.
    private async Task<long> WaitingAsync()
    {
        await _time.ArmedAfterAsync(0, Ct).WithinAsync(Bound, "the sender's deadline armed", Ct);
        return _time.Scheduled;
    }

    private PjsipContactsUpdate Contacts(params (string Endpoint, string CallId)[] registered) => new()
    {
        TakenAt = _time.GetUtcNow(),
        Contacts = [.. registered.Select(r => new PjsipContact(r.Endpoint, $"sip:{r.Endpoint}@127.0.0.1:5070", "Cisco", r.CallId, "Reachable", RecordedExpiration))],
    };

    private static PjsipSnapshot Snapshot(params (string Endpoint, string CallId)[] registered) => new()
    {
        TakenAt = DateTimeOffset.UnixEpoch,
        ActionCount = 6,
        Problems = [],
        Endpoints = [.. new[] { "6001", "6002" }.Where(n => registered.Length == 0 || registered.Any(r => r.Endpoint == n)).Select(n => new PjsipEndpoint
        {
            Name = n,
            Aor = n,
            Aors = [n],
            Transport = "transport-udp",
            CallerIdName = string.Empty,
            CallerIdNumber = string.Empty,
            Auth = new PjsipAuth(n, n, "pw", "userpass", string.Empty),
            Contacts = [.. registered.Where(r => r.Endpoint == n).Select(r => new PjsipContact(n, $"sip:{n}@127.0.0.1:5070", "Cisco", r.CallId, "Reachable", RecordedExpiration))],
            SetVars = [],
            NotProvisionableReason = null,
            Problems = [],
            DeviceState = "Not in use",
        })],
    };
}
