using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Storage;

/// <summary>Admin changes: who did what to which phone, when. Details never hold secrets.</summary>
public sealed class AuditLog(SqliteConnectionFactory connections)
{
    internal const string InsertSql = """
        INSERT INTO audit_log (at, actor, action, mac, detail) VALUES (@At, @Actor, @Action, @Mac, @Detail)
        """;

    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = Insert(connection.Command(InsertSql), record);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Adds the record inside a caller's transaction, so the change and its audit commit together.</summary>
    internal static async Task AppendAsync(SqliteTransaction transaction, AuditRecord record, CancellationToken cancellationToken)
    {
        using var command = Insert(transaction.Command(InsertSql), record);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SqliteCommand Insert(SqliteCommand command, AuditRecord record) => command
        .With("@At", record.At).With("@Actor", record.Actor).With("@Action", record.Action).With("@Mac", record.Mac).With("@Detail", record.Detail);

    /// <summary>
    /// The id of the newest row (0 when there is none): every admin change writes a row in the transaction of
    /// its change, so a running service that sees this number move knows the store changed beside it. Cheap
    /// enough to ask twice a second: SQLite answers max() of the rowid from the end of the table's b-tree.
    /// </summary>
    public async Task<long> LastIdAsync(CancellationToken cancellationToken)
    {
        const string Sql = "SELECT coalesce(max(id), 0) FROM audit_log";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql);
        return await command.ScalarAsync<long>(cancellationToken);
    }

    /// <summary>Whether a row newer than <paramref name="afterId"/> was written by anyone but <paramref name="exceptActor"/> (a range read on the rowid).</summary>
    public async Task<bool> AnyAfterAsync(long afterId, string exceptActor, CancellationToken cancellationToken)
    {
        const string Sql = "SELECT EXISTS (SELECT 1 FROM audit_log WHERE id > @afterId AND actor <> @exceptActor)";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@afterId", afterId), ("@exceptActor", exceptActor));
        return await command.ScalarAsync<long>(cancellationToken) != 0;
    }

    public async Task<IReadOnlyList<AuditRecord>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        const string Sql = "SELECT id, at, actor, action, mac, detail FROM audit_log ORDER BY id DESC LIMIT @limit";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@limit", limit));
        return await command.ListAsync(
            r => new AuditRecord { Id = r.GetInt64(0), At = r.GetTimestamp(1), Actor = r.GetString(2), Action = r.GetString(3), Mac = r.GetMacOrNull(4), Detail = r.GetStringOrNull(5) },
            cancellationToken);
    }
}
