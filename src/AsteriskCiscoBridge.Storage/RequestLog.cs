using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Requests;
using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Storage;

/// <summary>
/// What phones asked for and what they got: a row per request that reached the file tree, and counts
/// per address and minute of those turned away before it (<see cref="RefusedCount"/>). Bounded by age and
/// row count (<see cref="PruneAsync"/>): rows are only ever deleted oldest first.
/// </summary>
public sealed class RequestLog(SqliteConnectionFactory connections)
{
    private const string InsertSql = """
        INSERT INTO request_log (at, client, file_name, mac, outcome, bytes, source) VALUES (@At, @Client, @FileName, @Mac, @Outcome, @Bytes, @Source)
        """;

    // Counts add to those already stored for the minute and address: a minute's counts may come in several writes.
    private const string AddCountSql = """
        INSERT INTO refused_requests (minute, address, malformed, denied, guarded, busy, first_at, last_at, last_file)
        VALUES (@Minute, @Address, @Malformed, @Denied, @Guarded, @Busy, @FirstAt, @LastAt, @LastFile)
        ON CONFLICT (minute, address) DO UPDATE SET
            malformed = malformed + excluded.malformed, denied = denied + excluded.denied,
            guarded = guarded + excluded.guarded, busy = busy + excluded.busy,
            first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at),
            last_file = coalesce(excluded.last_file, last_file)
        """;

    private const string CountColumns = "minute, address, malformed, denied, guarded, busy, first_at, last_at, last_file";

    private static RefusedCount ReadCount(SqliteDataReader r) => new()
    {
        Minute = r.GetTimestamp(0),
        Address = r.GetString(1),
        Malformed = r.GetInt64(2),
        Denied = r.GetInt64(3),
        Guarded = r.GetInt64(4),
        Busy = r.GetInt64(5),
        FirstAt = r.GetTimestamp(6),
        LastAt = r.GetTimestamp(7),
        LastFile = r.GetStringOrNull(8),
    };

    private const string RecordColumns = "id, at, client, file_name, mac, outcome, bytes, source";

    private static RequestRecord ReadRecord(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        At = r.GetTimestamp(1),
        Client = r.GetString(2),
        FileName = r.GetString(3),
        Mac = r.GetMacOrNull(4),
        Outcome = RequestOutcome.Parse(r.GetStringOrNull(5)),
        Bytes = r.GetInt64(6),
        Source = r.GetStringOrNull(7),
    };

    public Task AppendAsync(RequestRecord record, CancellationToken cancellationToken) => AppendAsync([record], [], cancellationToken);

    /// <summary>Adds requests and refused-request counts in one transaction: a batch costs one commit.</summary>
    public async Task AppendAsync(IReadOnlyList<RequestRecord> records, IReadOnlyList<RefusedCount> refused, CancellationToken cancellationToken)
    {
        if (records.Count == 0 && refused.Count == 0)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (records.Count > 0)
        {
            using var insert = transaction.Command(InsertSql);
            foreach (var record in records)
            {
                await Insert(insert, record).ExecuteNonQueryAsync(cancellationToken);
            }
        }

        if (refused.Count > 0)
        {
            using var add = transaction.Command(AddCountSql);
            foreach (var count in refused)
            {
                await add
                    .With("@Minute", count.Minute)
                    .With("@Address", count.Address)
                    .With("@Malformed", count.Malformed)
                    .With("@Denied", count.Denied)
                    .With("@Guarded", count.Guarded)
                    .With("@Busy", count.Busy)
                    .With("@FirstAt", count.FirstAt)
                    .With("@LastAt", count.LastAt)
                    .With("@LastFile", count.LastFile)
                    .ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static SqliteCommand Insert(SqliteCommand command, RequestRecord record) => command
        .With("@At", record.At)
        .With("@Client", record.Client)
        .With("@FileName", record.FileName)
        .With("@Mac", record.Mac)
        .With("@Outcome", record.Outcome)
        .With("@Bytes", record.Bytes)
        .With("@Source", record.Source);

    /// <summary>Refused-request counts, newest minute first.</summary>
    public async Task<IReadOnlyList<RefusedCount>> RecentRefusedAsync(int limit, CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {CountColumns} FROM refused_requests ORDER BY minute DESC, address LIMIT @limit";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@limit", limit));
        return await command.ListAsync(ReadCount, cancellationToken);
    }

    /// <summary>Refused-request counts of the minutes from <paramref name="from"/> up to, not including, <paramref name="before"/>, oldest first.</summary>
    public async Task<IReadOnlyList<RefusedCount>> RefusedBetweenAsync(DateTimeOffset from, DateTimeOffset before, CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {CountColumns} FROM refused_requests WHERE minute >= @from AND minute < @before ORDER BY minute, address";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@from", from), ("@before", before));
        return await command.ListAsync(ReadCount, cancellationToken);
    }

    /// <summary>Requests in the log (cheap: rows are only deleted oldest first, so the ids in between are all there).</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        const string Sql = "SELECT coalesce(max(id) - min(id) + 1, 0) FROM request_log";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql);
        return await command.ScalarAsync<long>(cancellationToken);
    }

    /// <summary>
    /// Deletes, in one short transaction, at most <paramref name="batchSize"/> of the oldest requests that
    /// are older than <paramref name="cutoff"/> or beyond the newest <paramref name="maxRows"/>, and as many
    /// refused-request counts by the same rules. Returns how many rows went: called until it returns 0,
    /// it holds the write lock one batch at a time, never for the whole of a large prune.
    /// </summary>
    public async Task<int> PruneAsync(DateTimeOffset cutoff, long maxRows, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);

        // Walks the first batch in id order only: finding "the first recent row" never scans the table.
        const string Bounds = """
            WITH batch AS (SELECT id, at FROM request_log ORDER BY id LIMIT @batchSize)
            SELECT (SELECT min(id) FROM request_log), (SELECT max(id) FROM request_log),
                   (SELECT max(id) FROM batch), (SELECT min(id) FROM batch WHERE at >= @cutoff)
            """;
        const string DeleteRequests = "DELETE FROM request_log WHERE id <= @upTo";
        const string DeleteOldCounts = """
            DELETE FROM refused_requests WHERE (minute, address) IN
                (SELECT minute, address FROM refused_requests WHERE minute < @cutoff ORDER BY minute LIMIT @batchSize)
            """;
        const string DeleteExcessCounts = """
            DELETE FROM refused_requests WHERE (minute, address) IN
                (SELECT minute, address FROM refused_requests ORDER BY minute DESC, address DESC LIMIT @batchSize OFFSET @maxRows)
            """;

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var deleted = 0;
        long? first, last, batchLast, firstRecent;
        using (var bounds = transaction.Command(Bounds, ("@batchSize", batchSize), ("@cutoff", cutoff)))
        {
            (first, last, batchLast, firstRecent) = await bounds.SingleAsync(
                r => (r.GetInt64OrNull(0), r.GetInt64OrNull(1), r.GetInt64OrNull(2), r.GetInt64OrNull(3)), cancellationToken);
        }

        if (first is { } lowest)
        {
            var byCount = last!.Value - maxRows;
            var byAge = firstRecent is { } recent ? recent - 1 : batchLast!.Value;
            var upTo = Math.Min(Math.Max(byCount, byAge), batchLast!.Value);
            if (upTo >= lowest)
            {
                using var delete = transaction.Command(DeleteRequests, ("@upTo", upTo));
                deleted += await delete.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        int old;
        using (var delete = transaction.Command(DeleteOldCounts, ("@cutoff", cutoff), ("@batchSize", batchSize)))
        {
            old = await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        deleted += old;
        if (old < batchSize)
        {
            using var delete = transaction.Command(DeleteExcessCounts, ("@batchSize", batchSize - old), ("@maxRows", maxRows));
            deleted += await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>Newest first; only <paramref name="mac"/>'s when given.</summary>
    public async Task<IReadOnlyList<RequestRecord>> RecentAsync(MacAddress? mac, int limit, CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {RecordColumns} FROM request_log WHERE @Mac IS NULL OR mac = @Mac ORDER BY id DESC LIMIT @Limit";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@Mac", mac), ("@Limit", limit));
        return await command.ListAsync(ReadRecord, cancellationToken);
    }

    /// <summary>Oldest first, those after <paramref name="afterId"/>; only <paramref name="mac"/>'s when given (what <c>acb log --follow</c> polls).</summary>
    public async Task<IReadOnlyList<RequestRecord>> AfterAsync(long afterId, MacAddress? mac, int limit, CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {RecordColumns} FROM request_log WHERE id > @AfterId AND (@Mac IS NULL OR mac = @Mac) ORDER BY id LIMIT @Limit";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@AfterId", afterId), ("@Mac", mac), ("@Limit", limit));
        return await command.ListAsync(ReadRecord, cancellationToken);
    }
}

/// <summary>Resync NOTIFYs sent and how they went.</summary>
public sealed class NotifyLog(SqliteConnectionFactory connections)
{
    internal const string InsertSql = """
        INSERT INTO notify_log (at, mac, endpoint, event, outcome, detail) VALUES (@At, @Mac, @Endpoint, @Event, @Outcome, @Detail)
        """;

    public async Task AppendAsync(NotifyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = Insert(connection.Command(InsertSql), record);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Adds the record inside a caller's transaction, so a queue change and its history commit together.</summary>
    internal static async Task AppendAsync(SqliteTransaction transaction, NotifyRecord record, CancellationToken cancellationToken)
    {
        using var command = Insert(transaction.Command(InsertSql), record);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SqliteCommand Insert(SqliteCommand command, NotifyRecord record) => command
        .With("@At", record.At).With("@Mac", record.Mac).With("@Endpoint", record.Endpoint).With("@Event", record.Event).With("@Outcome", record.Outcome).With("@Detail", record.Detail);

    public async Task<IReadOnlyList<NotifyRecord>> RecentAsync(MacAddress? mac, int limit, CancellationToken cancellationToken)
    {
        const string Sql = "SELECT id, at, mac, endpoint, event, outcome, detail FROM notify_log WHERE @Mac IS NULL OR mac = @Mac ORDER BY id DESC LIMIT @Limit";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@Mac", mac), ("@Limit", limit));
        return await command.ListAsync(
            r => new NotifyRecord { Id = r.GetInt64(0), At = r.GetTimestamp(1), Mac = r.GetMac(2), Endpoint = r.GetString(3), Event = r.GetString(4), Outcome = r.GetString(5), Detail = r.GetStringOrNull(6) },
            cancellationToken);
    }
}
