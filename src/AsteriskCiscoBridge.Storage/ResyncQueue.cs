using System.Data;
using System.Globalization;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Storage;

/// <summary>
/// The persisted resync queue, the truth the resync service works from. Each move is one
/// conditional UPDATE, so two senders (the service and <c>acb resync</c>) can never both move a
/// phone to <see cref="ResyncState.Sending"/>; history goes to the notify log in the same transaction.
/// </summary>
public sealed class ResyncQueue(SqliteConnectionFactory connections)
{
    /// <summary>Where each phone was last reachable (a removed endpoint's phone is told there).</summary>
    public LastContactStore LastContacts { get; } = new(connections);

    /// <summary>Each line's registration Call-ID learned where Asterisk lists an older one.</summary>
    public RegistrationStore Registrations { get; } = new(connections);

    /// <summary>
    /// Writes registrations for the <c>registrations</c> column: one a line, Call-ID, contact URI and
    /// expiration (epoch seconds, empty when unknown) apart by tabs. Neither a Call-ID (RFC 3261 §25.1
    /// word) nor a URI (RFC 3986) holds a tab or a line break. Rows written before the URI and expiration
    /// were kept hold the Call-ID alone.
    /// </summary>
    public static string? JoinRegistrations(IReadOnlyList<ResyncRegistration> registrations) =>
        registrations is null || registrations.Count == 0 ? null : string.Join('\n', registrations.Select(Line));

    /// <summary>Reads the <c>registrations</c> column (either layout of <see cref="JoinRegistrations"/>).</summary>
    public static IReadOnlyList<ResyncRegistration> SplitRegistrations(string? registrations)
    {
        if (string.IsNullOrEmpty(registrations))
        {
            return [];
        }

        var list = new List<ResyncRegistration>();
        foreach (var line in registrations.Split('\n'))
        {
            var parts = line.Split('\t');
            DateTimeOffset? expires = parts.Length > 2 && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
            list.Add(new ResyncRegistration(parts[0], parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null, expires));
        }

        return list;
    }

    private static string Line(ResyncRegistration r) =>
        r.Uri is null && r.ExpiresAt is null
            ? r.CallId
            : $"{r.CallId}\t{r.Uri}\t{r.ExpiresAt?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";

    private const string Columns = """
        mac, state, reason, changed_at, endpoint, kind, attempt, sent_at, deadline, deferred_since, updated_at,
        fetched_at, registrations, refused, failed
        """;

    private static ResyncQueueRow Read(SqliteDataReader r) => new()
    {
        Mac = r.GetMac(0),
        State = ReadState(r.GetString(1)),
        Reason = r.GetString(2),
        ChangedAt = r.GetTimestamp(3),
        Endpoint = r.GetStringOrNull(4),
        Kind = r.GetStringOrNull(5) is { } kind ? ReadKind(kind) : null,
        Attempt = r.GetInt64(6),
        SentAt = r.GetTimestampOrNull(7),
        Deadline = r.GetTimestampOrNull(8),
        DeferredSince = r.GetTimestampOrNull(9),
        UpdatedAt = r.GetTimestamp(10),
        FetchedAt = r.GetTimestampOrNull(11),
        Registrations = r.GetStringOrNull(12),
        Refused = r.GetInt64(13),
        Failed = r.GetInt64(14),
    };

    // States and rungs are stored as their words, never their numbers.
    private static ResyncState ReadState(string text) =>
        ResyncStateNames.Parse(text) ?? throw new DataException($"stored resync state '{text}' is not one of pending, waiting-contact, deferred, sending, awaiting-fetch, awaiting-registration, retry, stale");

    private static ResyncKind ReadKind(string text) =>
        ResyncNotify.ParseKind(text) ?? throw new DataException($"stored resync kind '{text}' is not one of check-sync, restart, reset");

    private const string Queued = "('pending', 'waiting-contact', 'deferred')";

    /// <summary>
    /// Queues a phone whose files changed, inside the caller's transaction (the one storing the
    /// change). A phone already queued or stale starts over as pending; one whose NOTIFY is going
    /// out right now stays <see cref="ResyncState.Sending"/>: the fetch it brings reads the new files.
    /// </summary>
    internal static async Task EnqueueAsync(SqliteTransaction transaction, MacAddress mac, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = """
            INSERT INTO resync_queue (mac, state, reason, changed_at, updated_at)
            SELECT @mac, 'pending', @reason, @now, @now WHERE EXISTS (SELECT 1 FROM phones WHERE mac = @mac)
            ON CONFLICT (mac) DO UPDATE SET
                state = CASE WHEN resync_queue.state = 'sending' THEN 'sending' ELSE 'pending' END,
                attempt = CASE WHEN resync_queue.state = 'sending' THEN resync_queue.attempt ELSE 0 END,
                deadline = CASE WHEN resync_queue.state = 'sending' THEN resync_queue.deadline ELSE NULL END,
                fetched_at = NULL, refused = 0, failed = 0,
                reason = excluded.reason, changed_at = excluded.changed_at, updated_at = excluded.updated_at
            """;
        using var command = transaction.Command(Sql, ("@mac", mac), ("@reason", reason), ("@now", now));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Queues phones (unknown MACs are skipped) in one transaction.</summary>
    public async Task EnqueueAsync(IEnumerable<MacAddress> macs, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var mac in macs)
        {
            await EnqueueAsync(transaction, mac, reason, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Every row, by MAC.</summary>
    public async Task<IReadOnlyList<ResyncQueueRow>> ListAsync(CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {Columns} FROM resync_queue ORDER BY mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql);
        return await command.ListAsync(Read, cancellationToken);
    }

    /// <summary>Rows to plan from a snapshot: pending, waiting for a contact, deferred.</summary>
    public async Task<IReadOnlyList<ResyncQueueRow>> QueuedAsync(CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {Columns} FROM resync_queue WHERE state IN {Queued} ORDER BY mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql);
        return await command.ListAsync(Read, cancellationToken);
    }

    /// <summary>Records what planning decided for queued phones, in one transaction.</summary>
    public async Task PlaceAsync(IReadOnlyList<ResyncPlacement> placements, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            UPDATE resync_queue SET state = @State, deferred_since = @DeferredSince, deadline = @Deadline, updated_at = @now
            WHERE mac = @Mac AND state IN {Queued}
            """;
        if (placements.Count == 0)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        using var command = transaction.Command(Sql, ("@now", now));
        foreach (var p in placements)
        {
            await command.With("@Mac", p.Mac).With("@State", ResyncStateNames.Name(p.State)).With("@DeferredSince", p.DeferredSince).With("@Deadline", p.Deadline)
                .ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Moves the phone to <see cref="ResyncState.Sending"/> and commits, before the NOTIFY goes out.
    /// False when it is no longer where the send expects it (fetched meanwhile, or another sender took it):
    /// then nothing must be sent.
    /// </summary>
    public async Task<bool> BeginSendAsync(ResyncSend send, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await TakeAsync(connection, send, now, cancellationToken) is not null;
    }

    /// <summary>
    /// A connection held for a round of sends: each <see cref="ResyncSendSession.BeginSendAsync"/>
    /// is still its own committed statement, without opening a connection per NOTIFY.
    /// </summary>
    public async Task<ResyncSendSession> OpenSendSessionAsync(CancellationToken cancellationToken) =>
        new(await connections.OpenAsync(cancellationToken));

    // A first NOTIFY leaves a queued state, a later rung awaiting-fetch; a retry of either leaves 'retry'.
    internal static async Task<ResyncSendTicket?> TakeAsync(SqliteConnection connection, ResyncSend send, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = """
            UPDATE resync_queue SET state = 'sending', endpoint = @Endpoint, kind = @Kind, attempt = @Attempt, sent_at = @now, deadline = NULL, updated_at = @now,
                registrations = @Registrations
            WHERE mac = @Mac AND state IN (@From1, @From2, @From3, 'retry')
            RETURNING refused, failed
            """;
        ResyncState[] from = send.Attempt <= 1 ? [ResyncState.Pending, ResyncState.WaitingContact, ResyncState.Deferred] : [ResyncState.AwaitingFetch, ResyncState.AwaitingFetch, ResyncState.AwaitingFetch];
        var registrations = JoinRegistrations(send.Registrations);
        using var command = connection.Command(
            Sql,
            ("@Mac", send.Mac),
            ("@Endpoint", send.Endpoint),
            ("@Kind", ResyncNotify.KindName(send.Kind)),
            ("@Attempt", send.Attempt),
            ("@now", now),
            ("@Registrations", registrations),
            ("@From1", ResyncStateNames.Name(from[0])),
            ("@From2", ResyncStateNames.Name(from[1])),
            ("@From3", ResyncStateNames.Name(from[2])));
        return await command.SingleOrDefaultAsync(r => new ResyncSendTicket(r.GetInt64(0), r.GetInt64(1)), cancellationToken);
    }

    /// <summary>Records Asterisk's answers to sent NOTIFYs and their notify-log rows, in one transaction.</summary>
    public async Task CompleteSendsAsync(IReadOnlyList<ResyncSendResult> results, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Accepted = "UPDATE resync_queue SET state = 'awaiting-fetch', deadline = @Deadline, updated_at = @now WHERE mac = @Mac AND state = 'sending'";
        const string Failed = "UPDATE resync_queue SET state = 'pending', failed = failed + 1, deadline = NULL, updated_at = @now WHERE mac = @Mac AND state = 'sending'";
        const string Refused = "UPDATE resync_queue SET state = 'stale', refused = refused + 1, reason = @Reason, deadline = NULL, updated_at = @now WHERE mac = @Mac AND state = 'sending'";
        const string Retry = "UPDATE resync_queue SET state = 'retry', refused = refused + 1, reason = @Reason, deadline = @Deadline, updated_at = @now WHERE mac = @Mac AND state = 'sending'";
        const string Told = "DELETE FROM resync_queue WHERE mac = @Mac AND state = 'sending'";
        const string GaveUp = "UPDATE resync_queue SET state = 'stale', failed = failed + 1, reason = @Reason, deadline = NULL, updated_at = @now WHERE mac = @Mac AND state = 'sending'";
        if (results.Count == 0)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var r in results)
        {
            var sql = r.Outcome switch
            {
                ResyncSendOutcome.Accepted => Accepted,
                ResyncSendOutcome.Failed => Failed,
                ResyncSendOutcome.Retry => Retry,
                ResyncSendOutcome.Told => Told,
                ResyncSendOutcome.GaveUp => GaveUp,
                _ => Refused,
            };
            var reason = r.Reason ?? $"Asterisk refused the {r.Record.Event} NOTIFY: {r.Record.Detail}";
            using (var command = transaction.Command(sql, ("@Mac", r.Mac), ("@Deadline", r.Deadline), ("@Reason", reason), ("@now", now)))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await NotifyLog.AppendAsync(transaction, r.Record, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A phone fetched one of its files at <paramref name="at"/>: when that is after its last change, it
    /// has them and must now register again by <paramref name="deadline"/> (its row moves to
    /// <see cref="ResyncState.AwaitingRegistration"/>; a later fetch moves the deadline on). The registrations
    /// of a phone never sent a NOTIFY are taken from <paramref name="registrations"/>. The notify-log row
    /// <paramref name="record"/> makes from the row as it was (if any) is written with it. Returns the row
    /// as it was, or null when the fetch proves nothing.
    /// </summary>
    public async Task<ResyncQueueRow?> FetchedAsync(MacAddress mac, DateTimeOffset at, DateTimeOffset deadline, IReadOnlyList<ResyncRegistration> registrations, Func<ResyncQueueRow, NotifyRecord?> record, CancellationToken cancellationToken)
    {
        const string Select = $"SELECT {Columns} FROM resync_queue WHERE mac = @mac AND changed_at <= @at";
        const string Update = """
            UPDATE resync_queue SET state = 'awaiting-registration', fetched_at = @at, deadline = @deadline,
                registrations = coalesce(registrations, @registrations), updated_at = @at
            WHERE mac = @mac
            """;
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        ResyncQueueRow? row;
        using (var select = transaction.Command(Select, ("@mac", mac), ("@at", at)))
        {
            row = await select.SingleOrDefaultAsync(Read, cancellationToken);
        }

        if (row is null)
        {
            return null;
        }

        using (var update = transaction.Command(Update, ("@mac", mac), ("@at", at), ("@deadline", deadline), ("@registrations", JoinRegistrations(registrations))))
        {
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        if (record(row) is { } written)
        {
            await NotifyLog.AppendAsync(transaction, written, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return row;
    }

    /// <summary>Rows of phones that fetched their files and have yet to be seen registering: awaiting registration, or stale for want of it.</summary>
    public async Task<IReadOnlyList<ResyncQueueRow>> FetchedRowsAsync(CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {Columns} FROM resync_queue WHERE fetched_at IS NOT NULL AND state IN ('awaiting-registration', 'stale') ORDER BY mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql);
        return await command.ListAsync(Read, cancellationToken);
    }

    /// <summary>
    /// The phone fetched and registered again (or had nothing to register): its resync is done, its row
    /// goes, with <paramref name="record"/> in the notify log if given. False when the row is no longer a
    /// fetched one (its files changed again meanwhile).
    /// </summary>
    public async Task<bool> ProveAsync(MacAddress mac, NotifyRecord? record, CancellationToken cancellationToken)
    {
        const string Sql = "DELETE FROM resync_queue WHERE mac = @mac AND fetched_at IS NOT NULL AND state IN ('awaiting-registration', 'stale')";
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        bool removed;
        using (var command = transaction.Command(Sql, ("@mac", mac)))
        {
            removed = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }

        if (removed && record is not null)
        {
            await NotifyLog.AppendAsync(transaction, record, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    /// <summary>A retry whose phone has no contact any more: it waits for one like any queued phone.</summary>
    public async Task WaitForContactAsync(MacAddress mac, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = "UPDATE resync_queue SET state = 'waiting-contact', attempt = 0, deadline = NULL, updated_at = @now WHERE mac = @mac AND state = 'retry'";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@mac", mac), ("@now", now));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// On start: a row left in <see cref="ResyncState.Sending"/> by a crash may or may not have
    /// reached Asterisk. It is taken as sent (awaiting a fetch by <paramref name="deadline"/>), never
    /// sent again: the phone's fetch or the escalation at the deadline decides. Returns those rows.
    /// </summary>
    public async Task<IReadOnlyList<ResyncQueueRow>> RecoverAsync(DateTimeOffset now, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        const string Sql = $"""
            UPDATE resync_queue SET state = 'awaiting-fetch', attempt = max(attempt, 1), sent_at = coalesce(sent_at, @now), deadline = @deadline, updated_at = @now
            WHERE state = 'sending' RETURNING {Columns}
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        List<ResyncQueueRow> rows;
        using (var command = transaction.Command(Sql, ("@now", now), ("@deadline", deadline)))
        {
            rows = await command.ListAsync(Read, cancellationToken);
        }

        foreach (var row in rows)
        {
            await NotifyLog.AppendAsync(transaction, new NotifyRecord
            {
                At = now,
                Mac = row.Mac,
                Endpoint = row.Endpoint ?? string.Empty,
                Event = ResyncNotify.EventPackage(row.Kind ?? ResyncKind.Restart),
                Outcome = "assumed-sent",
                Detail = "found sending after a restart: taken as sent, never sent twice",
            }, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    /// <summary>Rows awaiting a fetch or a registration, or a retry, whose deadline has passed.</summary>
    public async Task<IReadOnlyList<ResyncQueueRow>> OverdueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {Columns} FROM resync_queue WHERE state IN ('awaiting-fetch', 'awaiting-registration', 'retry') AND deadline <= @now ORDER BY deadline, mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@now", now));
        return await command.ListAsync(Read, cancellationToken);
    }

    /// <summary>The earliest deadline of a row awaiting a fetch or a registration, waiting for a retry, or deferred by a call, or null.</summary>
    public async Task<DateTimeOffset?> NextDeadlineAsync(CancellationToken cancellationToken)
    {
        const string Sql = "SELECT min(deadline) FROM resync_queue WHERE state IN ('awaiting-fetch', 'awaiting-registration', 'retry', 'deferred')";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql);
        return await command.ScalarAsync<string>(cancellationToken) is { } text ? StoredText.ParseTimestamp(text) : null;
    }

    /// <summary>
    /// A phone that brought no fetch after its last rung, or fetched and did not register by its deadline:
    /// stale with <paramref name="record"/>'s detail as the reason.
    /// </summary>
    public async Task<bool> MarkStaleAsync(MacAddress mac, NotifyRecord record, CancellationToken cancellationToken)
    {
        const string Sql = "UPDATE resync_queue SET state = 'stale', reason = @Reason, deadline = NULL, updated_at = @At WHERE mac = @mac AND state IN ('awaiting-fetch', 'awaiting-registration')";
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        bool moved;
        using (var command = transaction.Command(Sql, ("@mac", mac), ("@Reason", record.Detail ?? "stale"), ("@At", record.At)))
        {
            moved = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }

        if (moved)
        {
            await NotifyLog.AppendAsync(transaction, record, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    /// <summary>Moves a fetch deadline (a phone in a call is not escalated while the call lasts).</summary>
    public async Task PostponeAsync(MacAddress mac, DateTimeOffset deadline, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = "UPDATE resync_queue SET deadline = @deadline, updated_at = @now WHERE mac = @mac AND state = 'awaiting-fetch'";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@mac", mac), ("@deadline", deadline), ("@now", now));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
