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
