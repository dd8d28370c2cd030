using System.Data;
using Dapper;

namespace AsteriskCiscoBridge.Storage;

/// <summary>Admin changes: who did what to which phone, when. Details never hold secrets.</summary>
public sealed class AuditLog(SqliteConnectionFactory connections)
{
    internal const string InsertSql = """
        INSERT INTO audit_log (at, actor, action, mac, detail) VALUES (@At, @Actor, @Action, @Mac, @Detail)
        """;

    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, record, cancellationToken: cancellationToken));
    }

    /// <summary>Adds the record inside a caller's transaction, so the change and its audit commit together.</summary>
    internal static Task AppendAsync(IDbConnection connection, IDbTransaction transaction, AuditRecord record, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(InsertSql, record, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// The id of the newest row (0 when there is none): every admin change writes a row in the transaction of
    /// its change, so a running service that sees this number move knows the store changed beside it. Cheap
    /// enough to ask twice a second: SQLite answers max() of the rowid from the end of the table's b-tree.
    /// </summary>
    public async Task<long> LastIdAsync(CancellationToken cancellationToken)
    {
        const string Sql = "SELECT coalesce(max(id), 0) FROM audit_log";
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(Sql, cancellationToken: cancellationToken));
    }

    /// <summary>Whether a row newer than <paramref name="afterId"/> was written by anyone but <paramref name="exceptActor"/> (a range read on the rowid).</summary>
    public async Task<bool> AnyAfterAsync(long afterId, string exceptActor, CancellationToken cancellationToken)
    {
        const string Sql = "SELECT EXISTS (SELECT 1 FROM audit_log WHERE id > @afterId AND actor <> @exceptActor)";
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(Sql, new { afterId, exceptActor }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<AuditRecord>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT id AS Id, at AS At, actor AS Actor, action AS Action, mac AS Mac, detail AS Detail
            FROM audit_log ORDER BY id DESC LIMIT @limit
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AuditRecord>(new CommandDefinition(Sql, new { limit }, cancellationToken: cancellationToken))).AsList();
    }
}
