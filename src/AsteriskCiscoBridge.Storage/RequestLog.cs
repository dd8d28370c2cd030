using AsteriskCiscoBridge.Provisioning.Model;
using Dapper;

namespace AsteriskCiscoBridge.Storage;

/// <summary>What phones asked for and what they got.</summary>
public sealed class RequestLog(SqliteConnectionFactory connections)
{
    public async Task AppendAsync(RequestRecord record, CancellationToken cancellationToken)
    {
        const string Sql = """
            INSERT INTO request_log (at, client, file_name, mac, outcome, bytes, source) VALUES (@At, @Client, @FileName, @Mac, @Outcome, @Bytes, @Source)
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sql, record, cancellationToken: cancellationToken));
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
