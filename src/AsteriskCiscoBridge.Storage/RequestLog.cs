using AsteriskCiscoBridge.Provisioning.Model;
using Dapper;

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

    private const string CountColumns = """
        minute AS Minute, address AS Address, malformed AS Malformed, denied AS Denied, guarded AS Guarded, busy AS Busy, first_at AS FirstAt, last_at AS LastAt, last_file AS LastFile
        """;

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
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, records, transaction, cancellationToken: cancellationToken));
        }

        if (refused.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(AddCountSql, refused, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Refused-request counts, newest minute first.</summary>
    public async Task<IReadOnlyList<RefusedCount>> RecentRefusedAsync(int limit, CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {CountColumns} FROM refused_requests ORDER BY minute DESC, address LIMIT @limit";
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<RefusedCount>(new CommandDefinition(Sql, new { limit }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Refused-request counts of the minutes from <paramref name="from"/> up to, not including, <paramref name="before"/>, oldest first.</summary>
    public async Task<IReadOnlyList<RefusedCount>> RefusedBetweenAsync(DateTimeOffset from, DateTimeOffset before, CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {CountColumns} FROM refused_requests WHERE minute >= @from AND minute < @before ORDER BY minute, address";
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<RefusedCount>(new CommandDefinition(Sql, new { from, before }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Requests in the log (cheap: rows are only deleted oldest first, so the ids in between are all there).</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        const string Sql = "SELECT coalesce(max(id) - min(id) + 1, 0) FROM request_log";
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(Sql, cancellationToken: cancellationToken));
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
        var (first, last, batchLast, firstRecent) = await connection.QuerySingleAsync<(long?, long?, long?, long?)>(
            new CommandDefinition(Bounds, new { batchSize, cutoff }, transaction, cancellationToken: cancellationToken));
        if (first is { } lowest)
        {
            var byCount = last!.Value - maxRows;
            var byAge = firstRecent is { } recent ? recent - 1 : batchLast!.Value;
            var upTo = Math.Min(Math.Max(byCount, byAge), batchLast!.Value);
            if (upTo >= lowest)
            {
                deleted += await connection.ExecuteAsync(new CommandDefinition(DeleteRequests, new { upTo }, transaction, cancellationToken: cancellationToken));
            }
        }

        var old = await connection.ExecuteAsync(new CommandDefinition(DeleteOldCounts, new { cutoff, batchSize }, transaction, cancellationToken: cancellationToken));
        deleted += old;
        if (old < batchSize)
        {
            deleted += await connection.ExecuteAsync(new CommandDefinition(DeleteExcessCounts, new { batchSize = batchSize - old, maxRows }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    /// <summary>Newest first; only <paramref name="mac"/>'s when given.</summary>
    public async Task<IReadOnlyList<RequestRecord>> RecentAsync(MacAddress? mac, int limit, CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT id AS Id, at AS At, client AS Client, file_name AS FileName, mac AS Mac, outcome AS Outcome, bytes AS Bytes, source AS Source
            FROM request_log WHERE @Mac IS NULL OR mac = @Mac ORDER BY id DESC LIMIT @Limit
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<RequestRecord>(new CommandDefinition(Sql, new { Mac = mac?.Value, Limit = limit }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Oldest first, those after <paramref name="afterId"/>; only <paramref name="mac"/>'s when given (what <c>acb log --follow</c> polls).</summary>
    public async Task<IReadOnlyList<RequestRecord>> AfterAsync(long afterId, MacAddress? mac, int limit, CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT id AS Id, at AS At, client AS Client, file_name AS FileName, mac AS Mac, outcome AS Outcome, bytes AS Bytes, source AS Source
            FROM request_log WHERE id > @AfterId AND (@Mac IS NULL OR mac = @Mac) ORDER BY id LIMIT @Limit
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<RequestRecord>(new CommandDefinition(Sql, new { AfterId = afterId, Mac = mac?.Value, Limit = limit }, cancellationToken: cancellationToken))).AsList();
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
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, record, cancellationToken: cancellationToken));
    }

    /// <summary>Adds the record inside a caller's transaction, so a queue change and its history commit together.</summary>
    internal static Task AppendAsync(System.Data.IDbConnection connection, System.Data.IDbTransaction transaction, NotifyRecord record, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(InsertSql, record, transaction, cancellationToken: cancellationToken));

    public async Task<IReadOnlyList<NotifyRecord>> RecentAsync(MacAddress? mac, int limit, CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT id AS Id, at AS At, mac AS Mac, endpoint AS Endpoint, event AS Event, outcome AS Outcome, detail AS Detail
            FROM notify_log WHERE @Mac IS NULL OR mac = @Mac ORDER BY id DESC LIMIT @Limit
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<NotifyRecord>(new CommandDefinition(Sql, new { Mac = mac?.Value, Limit = limit }, cancellationToken: cancellationToken))).AsList();
    }
}
