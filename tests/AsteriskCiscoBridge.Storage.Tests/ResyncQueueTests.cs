using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Storage.Tests;

/// <summary>The persisted resync queue on a real SQLite file: each move, and what a restart finds.</summary>
public sealed class ResyncQueueTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("001122334455").Mac!.Value;
    private static readonly MacAddress Other = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private static readonly ResyncRegistration RegA = new("reg-a@10.0.0.5", "sip:6001@10.0.0.5:5060;transport=udp", DateTimeOffset.FromUnixTimeSeconds(1795313105));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_changed_phone_is_queued_in_the_transaction_that_stores_its_files()
    {
        await using var db = await TempDatabase.CreateAsync();
        var (store, queue) = await BoundAsync(db);

        await store.SaveRenderedAsync([Rendering(Mac, "a"), Rendering(Other, "b")], Now, "changed", Ct);
        await store.SaveRenderedAsync([Rendering(Mac, "a"), Rendering(Other, "b2")], Now.AddMinutes(1), null, Ct);

        var row = Assert.Single(await queue.ListAsync(Ct), r => r.Mac == Mac);
        Assert.Equal((ResyncState.Pending, "changed", Now, 0L), (row.State, row.Reason, row.ChangedAt, row.Attempt));
        Assert.Equal(Now, Assert.Single(await queue.ListAsync(Ct), r => r.Mac == Other).ChangedAt);
    }

    [Fact]
    public async Task Unknown_phones_are_not_queued_and_unbinding_removes_the_row()
    {
        await using var db = await TempDatabase.CreateAsync();
        var (store, queue) = await BoundAsync(db);

        await queue.EnqueueAsync([Mac, MacAddress.Parse("0000000000FF").Mac!.Value], "changed", Now, Ct);
        Assert.Equal([Mac], (await queue.ListAsync(Ct)).Select(r => r.Mac));

        await store.UnbindAsync(Mac, "test", Now, Ct);
        Assert.Empty(await queue.ListAsync(Ct));
    }

    [Fact]
    public async Task Only_one_sender_can_take_a_phone_and_an_accepted_notify_awaits_its_fetch()
    {
        await using var db = await TempDatabase.CreateAsync();
        var (_, queue) = await BoundAsync(db);
        await queue.EnqueueAsync([Mac], "changed", Now, Ct);
        var send = new ResyncSend(Mac, "6001", ResyncKind.CheckSync, 1);

        Assert.True(await queue.BeginSendAsync(send, Now, Ct));
        Assert.False(await queue.BeginSendAsync(send, Now, Ct));
        await queue.CompleteSendsAsync([Result(Mac, ResyncSendOutcome.Accepted, Now.AddMinutes(3))], Now, Ct);

        var row = Assert.Single(await queue.ListAsync(Ct));
        Assert.Equal((ResyncState.AwaitingFetch, "6001", (ResyncKind?)ResyncKind.CheckSync, 1L, Now, Now.AddMinutes(3)), (row.State, row.Endpoint, row.Kind, row.Attempt, row.SentAt, row.Deadline));
        Assert.Equal(Now.AddMinutes(3), await queue.NextDeadlineAsync(Ct));
        Assert.Empty(await queue.OverdueAsync(Now.AddMinutes(2), Ct));
        Assert.Single(await queue.OverdueAsync(Now.AddMinutes(3), Ct));
        Assert.Equal(["sent"], (await new NotifyLog(db.Factory).RecentAsync(Mac, 10, Ct)).Select(n => n.Outcome));

        // The escalation leaves awaiting-fetch, not a queued state.
        Assert.False(await queue.BeginSendAsync(send, Now, Ct));
        Assert.True(await queue.BeginSendAsync(send with { Attempt = 2 }, Now.AddMinutes(3), Ct));
    }

    [Fact]
    public async Task A_failed_send_queues_the_phone_again_and_a_refused_one_makes_it_stale()
    {
        await using var db = await TempDatabase.CreateAsync();
        var (_, queue) = await BoundAsync(db);
        await queue.EnqueueAsync([Mac, Other], "changed", Now, Ct);
        await queue.BeginSendAsync(new ResyncSend(Mac, "6001", ResyncKind.CheckSync, 1), Now, Ct);
        await queue.BeginSendAsync(new ResyncSend(Other, "6002", ResyncKind.Restart, 1), Now, Ct);

        await queue.CompleteSendsAsync([Result(Mac, ResyncSendOutcome.Failed, null), Result(Other, ResyncSendOutcome.Refused, null, "Endpoint not found")], Now, Ct);

        var rows = await queue.ListAsync(Ct);
        Assert.Equal(ResyncState.Pending, rows.Single(r => r.Mac == Mac).State);
        Assert.Equal((ResyncState.Stale, "Asterisk refused the check-sync NOTIFY: Endpoint not found"), (rows.Single(r => r.Mac == Other).State, rows.Single(r => r.Mac == Other).Reason));
        Assert.Equal([Mac], (await queue.QueuedAsync(Ct)).Select(r => r.Mac));
    }

    [Fact]
    public async Task A_fetch_after_the_change_awaits_the_registration_keeps_the_call_ids_of_the_notify_and_a_proof_removes_the_row()
    {
        await using var db = await TempDatabase.CreateAsync();
        var (_, queue) = await BoundAsync(db);
        await queue.EnqueueAsync([Mac], "changed", Now, Ct);
        await queue.BeginSendAsync(new ResyncSend(Mac, "6001", ResyncKind.CheckSync, 1) { Registrations = [RegA, new ResyncRegistration("reg-b")] }, Now, Ct);
        await queue.CompleteSendsAsync([Result(Mac, ResyncSendOutcome.Accepted, Now.AddMinutes(3))], Now, Ct);
        NotifyRecord Fetch(ResyncQueueRow row) => new() { At = Now.AddSeconds(30), Mac = row.Mac, Endpoint = row.Endpoint!, Event = "check-sync", Outcome = "fetched" };

        Assert.Null(await queue.FetchedAsync(Mac, Now.AddSeconds(-1), Now.AddMinutes(5), [new ResyncRegistration("reg-now")], Fetch, Ct));
        var before = await queue.FetchedAsync(Mac, Now.AddSeconds(30), Now.AddSeconds(30).AddMinutes(5), [new ResyncRegistration("reg-now")], Fetch, Ct);

        Assert.Equal(ResyncState.AwaitingFetch, before!.State);
        var row = Assert.Single(await queue.ListAsync(Ct));
        Assert.Equal((ResyncState.AwaitingRegistration, (DateTimeOffset?)Now.AddSeconds(30), (DateTimeOffset?)Now.AddSeconds(30).AddMinutes(5)), (row.State, row.FetchedAt, row.Deadline));
        Assert.Equal([RegA, new ResyncRegistration("reg-b")], row.RegistrationList);
        Assert.Equal([Mac], (await queue.FetchedRowsAsync(Ct)).Select(r => r.Mac));
        Assert.Equal(Now.AddSeconds(30).AddMinutes(5), await queue.NextDeadlineAsync(Ct));

        Assert.True(await queue.ProveAsync(Mac, new NotifyRecord { At = Now.AddMinutes(1), Mac = Mac, Endpoint = "6001", Event = "check-sync", Outcome = "proven" }, Ct));
        Assert.Empty(await queue.ListAsync(Ct));
        Assert.Equal(["proven", "fetched", "sent"], (await new NotifyLog(db.Factory).RecentAsync(Mac, 10, Ct)).Select(n => n.Outcome));
        Assert.False(await queue.ProveAsync(Mac, new NotifyRecord { At = Now.AddMinutes(2), Mac = Mac, Endpoint = "6001", Event = "check-sync", Outcome = "proven" }, Ct));
    }

    [Fact]
    public void Registrations_keep_call_id_uri_and_expiration_and_rows_of_call_ids_alone_still_read()
    {
        var text = ResyncQueue.JoinRegistrations([RegA, new ResyncRegistration("reg-b")]);

        Assert.Equal("reg-a@10.0.0.5\tsip:6001@10.0.0.5:5060;transport=udp\t1795313105\nreg-b", text);
        Assert.Equal([RegA, new ResyncRegistration("reg-b")], ResyncQueue.SplitRegistrations(text));
        Assert.Equal([new ResyncRegistration("reg-a"), new ResyncRegistration("reg-b")], ResyncQueue.SplitRegistrations("reg-a\nreg-b"));
        Assert.Equal([new ResyncRegistration("reg-c", "sip:6001@10.0.0.5:5060")], ResyncQueue.SplitRegistrations("reg-c\tsip:6001@10.0.0.5:5060\t"));
        Assert.Null(ResyncQueue.JoinRegistrations([]));
        Assert.Empty(ResyncQueue.SplitRegistrations(null));
    }

    [Fact]
    public async Task A_phone_fetching_unasked_keeps_the_registrations_seen_at_its_fetch_and_misses_its_deadline_into_stale()
    {
        await using var db = await TempDatabase.CreateAsync();
        var (_, queue) = await BoundAsync(db);
        await queue.EnqueueAsync([Mac], "changed", Now, Ct);

        await queue.FetchedAsync(Mac, Now.AddSeconds(5), Now.AddMinutes(5), [new ResyncRegistration("reg-now")], _ => null, Ct);
        Assert.Equal([new ResyncRegistration("reg-now")], Assert.Single(await queue.ListAsync(Ct)).RegistrationList);
        Assert.Single(await queue.OverdueAsync(Now.AddMinutes(5), Ct));

        Assert.True(await queue.MarkStaleAsync(Mac, new NotifyRecord { At = Now.AddMinutes(5), Mac = Mac, Endpoint = "6001", Event = "check-sync", Outcome = "stale", Detail = "fetched but did not register" }, Ct));
        var row = Assert.Single(await queue.ListAsync(Ct));
        Assert.Equal((ResyncState.Stale, "fetched but did not register"), (row.State, row.Reason));

        // Still one a registration can prove; a new change starts it over without its fetch.
        Assert.Single(await queue.FetchedRowsAsync(Ct));
        await queue.EnqueueAsync([Mac], "changed", Now.AddMinutes(6), Ct);
        Assert.Equal((ResyncState.Pending, (DateTimeOffset?)null), (Assert.Single(await queue.ListAsync(Ct)).State, Assert.Single(await queue.ListAsync(Ct)).FetchedAt));
        Assert.Empty(await queue.FetchedRowsAsync(Ct));
    }

    [Fact]
    public async Task A_refused_notify_waits_for_its_retry_counts_the_refusals_and_the_retry_may_be_sent_for_any_attempt()
    {
        await using var db = await TempDatabase.CreateAsync();
        var (_, queue) = await BoundAsync(db);
        await queue.EnqueueAsync([Mac], "changed", Now, Ct);
        await using var session = await queue.OpenSendSessionAsync(Ct);
        var send = new ResyncSend(Mac, "6001", ResyncKind.CheckSync, 1);

        Assert.Equal(new ResyncSendTicket(0, 0), await session.TakeAsync(send, Now, Ct));
        await queue.CompleteSendsAsync([Result(Mac, ResyncSendOutcome.Retry, Now.AddSeconds(10), "Unable to retrieve endpoint 6001") with { Reason = "refused, try 1 of 3" }], Now, Ct);
        var row = Assert.Single(await queue.ListAsync(Ct));
        Assert.Equal((ResyncState.Retry, 1L, (DateTimeOffset?)Now.AddSeconds(10), "refused, try 1 of 3"), (row.State, row.Refused, row.Deadline, row.Reason));
        Assert.Empty(await queue.QueuedAsync(Ct));
        Assert.Single(await queue.OverdueAsync(Now.AddSeconds(10), Ct));

        Assert.Equal(new ResyncSendTicket(1, 0), await session.TakeAsync(send, Now.AddSeconds(10), Ct));
        await queue.CompleteSendsAsync([Result(Mac, ResyncSendOutcome.Failed, null)], Now.AddSeconds(10), Ct);
        Assert.Equal(new ResyncSendTicket(1, 1), await session.TakeAsync(send, Now.AddSeconds(20), Ct));
        await queue.CompleteSendsAsync([Result(Mac, ResyncSendOutcome.GaveUp, null) with { Reason = "lost with the AMI session 2 times" }], Now.AddSeconds(20), Ct);
        row = Assert.Single(await queue.ListAsync(Ct));
        Assert.Equal((ResyncState.Stale, 2L, "lost with the AMI session 2 times"), (row.State, row.Failed, row.Reason));
    }

    [Fact]
    public async Task A_notify_told_to_a_removed_endpoints_last_contact_ends_the_row_and_last_contacts_are_kept_per_phone()
    {
        await using var db = await TempDatabase.CreateAsync();
        var (_, queue) = await BoundAsync(db);
        await queue.EnqueueAsync([Mac], "changed", Now, Ct);
        await queue.BeginSendAsync(new ResyncSend(Mac, "6001", ResyncKind.CheckSync, 1), Now, Ct);
        await queue.CompleteSendsAsync([Result(Mac, ResyncSendOutcome.Told, null)], Now, Ct);
        Assert.Empty(await queue.ListAsync(Ct));

        await queue.LastContacts.SaveAsync([new LastContactRow { Mac = Mac, Endpoint = "6001", Uri = "sip:6001@10.0.0.5:5060", CallId = "a@10.0.0.5", SeenAt = Now }], Ct);
        await queue.LastContacts.SaveAsync([new LastContactRow { Mac = Mac, Endpoint = "6001", Uri = "sip:6001@10.0.0.6:5060", CallId = "b@10.0.0.6", SeenAt = Now.AddMinutes(1) }], Ct);
        await queue.LastContacts.SaveAsync([new LastContactRow { Mac = MacAddress.Parse("0000000000FF").Mac!.Value, Endpoint = "6009", Uri = "sip:6009@10.0.0.9", SeenAt = Now }], Ct);

        var last = Assert.Single(await queue.LastContacts.ListAsync(Ct));
        Assert.Equal(("sip:6001@10.0.0.6:5060", "b@10.0.0.6", Now.AddMinutes(1)), (last.Uri, last.CallId, last.SeenAt));
    }

    [Fact]
    public async Task Learned_registrations_are_kept_per_line_and_one_that_supersedes_nothing_clears_the_line()
    {
        await using var db = await TempDatabase.CreateAsync();
        var (_, queue) = await BoundAsync(db);

        await queue.Registrations.SaveAsync(new LearnedRegistration("6001", "b@10.0.0.5", "a@10.0.0.5", Now), Ct);
        await queue.Registrations.SaveAsync(new LearnedRegistration("6002", "y@10.0.0.5", "x@10.0.0.5", Now), Ct);
        await queue.Registrations.SaveAsync(new LearnedRegistration("6001", "c@10.0.0.5", "a@10.0.0.5", Now.AddMinutes(5)), Ct);
        await queue.Registrations.SaveAsync(new LearnedRegistration("6002", "z@10.0.0.5", null, Now.AddMinutes(6)), Ct);

        // Read back from a second connection: the rows are in the file, not in memory.
        var reopened = new ResyncQueue(new SqliteConnectionFactory(new StorageOptions { Database = db.Path }));
        Assert.Equal([new LearnedRegistration("6001", "c@10.0.0.5", "a@10.0.0.5", Now.AddMinutes(5))], await reopened.Registrations.ListAsync(Ct));
    }

    [Fact]
    public async Task A_new_change_starts_a_stale_or_notified_phone_over_but_leaves_one_being_sent()
    {
        await using var db = await TempDatabase.CreateAsync();
        var (_, queue) = await BoundAsync(db);
        await queue.EnqueueAsync([Mac, Other], "changed", Now, Ct);
        await queue.BeginSendAsync(new ResyncSend(Mac, "6001", ResyncKind.CheckSync, 1), Now, Ct);
        await queue.BeginSendAsync(new ResyncSend(Other, "6002", ResyncKind.Restart, 1), Now, Ct);
        await queue.CompleteSendsAsync([Result(Other, ResyncSendOutcome.Accepted, Now.AddMinutes(3))], Now, Ct);

        await queue.EnqueueAsync([Mac, Other], "admin resync", Now.AddMinutes(1), Ct);

        var rows = await queue.ListAsync(Ct);
        Assert.Equal((ResyncState.Sending, Now.AddMinutes(1)), (rows.Single(r => r.Mac == Mac).State, rows.Single(r => r.Mac == Mac).ChangedAt));
        Assert.Equal((ResyncState.Pending, 0L, (DateTimeOffset?)null), (rows.Single(r => r.Mac == Other).State, rows.Single(r => r.Mac == Other).Attempt, rows.Single(r => r.Mac == Other).Deadline));
    }

    [Fact]
    public async Task After_a_restart_a_row_left_sending_is_taken_as_sent_with_a_fresh_deadline_and_never_queued_again()
    {
        await using var db = await TempDatabase.CreateAsync();
        var (_, queue) = await BoundAsync(db);
        await queue.EnqueueAsync([Mac, Other], "changed", Now, Ct);
        await queue.BeginSendAsync(new ResyncSend(Mac, "6001", ResyncKind.CheckSync, 1), Now, Ct);

        // A new process on the same file.
        var reopened = new ResyncQueue(new SqliteConnectionFactory(new StorageOptions { Database = db.Path }));
        var recovered = await reopened.RecoverAsync(Now.AddMinutes(10), Now.AddMinutes(13), Ct);

        Assert.Equal([Mac], recovered.Select(r => r.Mac));
        var rows = await reopened.ListAsync(Ct);
        var taken = rows.Single(r => r.Mac == Mac);
        Assert.Equal((ResyncState.AwaitingFetch, 1L, Now, Now.AddMinutes(13)), (taken.State, taken.Attempt, taken.SentAt, taken.Deadline));
        Assert.Equal([Other], (await reopened.QueuedAsync(Ct)).Select(r => r.Mac));
        Assert.Equal(["assumed-sent"], (await new NotifyLog(db.Factory).RecentAsync(Mac, 10, Ct)).Select(n => n.Outcome));
        Assert.Empty(await reopened.RecoverAsync(Now.AddMinutes(11), Now.AddMinutes(14), Ct));
    }

    [Fact]
    public async Task Deferred_and_waiting_placements_are_kept_and_the_call_deadline_counts_as_a_deadline()
    {
        await using var db = await TempDatabase.CreateAsync();
        var (_, queue) = await BoundAsync(db);
        await queue.EnqueueAsync([Mac, Other], "changed", Now, Ct);

        await queue.PlaceAsync([new ResyncPlacement(Mac, ResyncState.Deferred, Now, Now.AddMinutes(30)), new ResyncPlacement(Other, ResyncState.WaitingContact, null, null)], Now, Ct);

        var rows = await queue.QueuedAsync(Ct);
        Assert.Equal((ResyncState.Deferred, (DateTimeOffset?)Now, (DateTimeOffset?)Now.AddMinutes(30)), (rows[0].State, rows[0].DeferredSince, rows[0].Deadline));
        Assert.Equal(ResyncState.WaitingContact, rows[1].State);
        Assert.Equal(Now.AddMinutes(30), await queue.NextDeadlineAsync(Ct));

        // A change keeps the time the call was first seen: the deadline does not restart.
        await queue.EnqueueAsync([Mac], "changed", Now.AddMinutes(5), Ct);
        Assert.Equal(Now, (await queue.QueuedAsync(Ct))[0].DeferredSince);
    }

    [Fact]
    public async Task Marking_stale_needs_a_row_awaiting_its_fetch_and_logs_the_reason()
    {
        await using var db = await TempDatabase.CreateAsync();
        var (_, queue) = await BoundAsync(db);
        await queue.EnqueueAsync([Mac], "changed", Now, Ct);
        var record = new NotifyRecord { At = Now, Mac = Mac, Endpoint = "6001", Event = "check-sync", Outcome = "stale", Detail = "no fetch after 2 NOTIFYs" };

        Assert.False(await queue.MarkStaleAsync(Mac, record, Ct));
        await queue.BeginSendAsync(new ResyncSend(Mac, "6001", ResyncKind.CheckSync, 1), Now, Ct);
        await queue.CompleteSendsAsync([Result(Mac, ResyncSendOutcome.Accepted, Now.AddMinutes(3))], Now, Ct);
        Assert.True(await queue.MarkStaleAsync(Mac, record, Ct));

        var row = Assert.Single(await queue.ListAsync(Ct));
        Assert.Equal((ResyncState.Stale, "no fetch after 2 NOTIFYs"), (row.State, row.Reason));
        Assert.Null(await queue.NextDeadlineAsync(Ct));
    }

    // The words rows have always held: a database written before the states and rungs were enums reads the same.
    [Theory]
    [InlineData("pending", ResyncState.Pending, null, null)]
    [InlineData("waiting-contact", ResyncState.WaitingContact, null, null)]
    [InlineData("deferred", ResyncState.Deferred, null, null)]
    [InlineData("sending", ResyncState.Sending, "check-sync", ResyncKind.CheckSync)]
    [InlineData("awaiting-fetch", ResyncState.AwaitingFetch, "restart", ResyncKind.Restart)]
    [InlineData("awaiting-registration", ResyncState.AwaitingRegistration, "reset", ResyncKind.Reset)]
    [InlineData("retry", ResyncState.Retry, "check-sync", ResyncKind.CheckSync)]
    [InlineData("stale", ResyncState.Stale, "reset", ResyncKind.Reset)]
    public async Task A_row_written_in_the_stored_words_reads_as_its_state_and_rung(string state, ResyncState expected, string? kind, ResyncKind? expectedKind)
    {
        await using var db = await TempDatabase.CreateAsync();
        await BoundAsync(db);
        await using (var connection = await db.Factory.OpenAsync(Ct))
        {
            using var insert = connection.Command(
                "INSERT INTO resync_queue (mac, state, reason, changed_at, updated_at, kind, attempt) VALUES ('001122334455', @state, 'changed', '2026-11-22T08:00:00.0000000Z', '2026-11-22T08:00:00.0000000Z', @kind, 1)",
                ("@state", state),
                ("@kind", kind));
            await insert.ExecuteNonQueryAsync(Ct);
        }

        var row = Assert.Single(await new ResyncQueue(db.Factory).ListAsync(Ct));
        Assert.Equal((expected, expectedKind), (row.State, row.Kind));
        Assert.Equal(state, ResyncStateNames.Name(row.State));
    }

    [Fact]
    public async Task States_and_rungs_are_stored_as_their_words()
    {
        await using var db = await TempDatabase.CreateAsync();
        var (_, queue) = await BoundAsync(db);
        await queue.EnqueueAsync([Mac, Other], "changed", Now, Ct);
        await queue.PlaceAsync([new ResyncPlacement(Other, ResyncState.WaitingContact, null, null)], Now, Ct);
        await queue.BeginSendAsync(new ResyncSend(Mac, "6001", ResyncKind.Reset, 1), Now, Ct);

        await using var connection = await db.Factory.OpenAsync(Ct);
        using var query = connection.Command("SELECT mac, state, kind FROM resync_queue ORDER BY mac");
        var stored = await query.ListAsync(r => (r.GetString(0), r.GetString(1), r.GetStringOrNull(2)), Ct);
        Assert.Equal([("001122334455", "sending", (string?)"reset"), ("0011223344AA", "waiting-contact", null)], stored);
    }

    private static async Task<(PhoneStore Store, ResyncQueue Queue)> BoundAsync(TempDatabase db)
    {
        var store = new PhoneStore(db.Factory);
        await store.BindAsync(Mac, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6001" }], "test", Now, Ct);
        await store.BindAsync(Other, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6002" }], "test", Now, Ct);
        return (store, new ResyncQueue(db.Factory));
    }

    private static StoredPhoneFiles Rendering(MacAddress mac, string content) =>
        new(mac, [new RenderedFile($"SIP{mac.Value}.cnf", FileScope.Phone, Encoding.UTF8.GetBytes(content))], content, null);

    private static ResyncSendResult Result(MacAddress mac, ResyncSendOutcome outcome, DateTimeOffset? deadline, string detail = "NOTIFY sent") =>
        new(mac, outcome, deadline, new NotifyRecord { At = Now, Mac = mac, Endpoint = "6001", Event = "check-sync", Outcome = outcome == ResyncSendOutcome.Accepted ? "sent" : "failed", Detail = detail });
}
