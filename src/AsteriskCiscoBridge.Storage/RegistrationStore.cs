using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Storage;

/// <summary>
/// The table <c>registrations</c> (migration 010): each line's registration Call-ID learned from Asterisk's security
/// events where Asterisk lists an older one, kept across restarts of the service.
/// </summary>
public sealed class RegistrationStore(SqliteConnectionFactory connections)
{
    /// <summary>Every learned registration.</summary>
    public async Task<IReadOnlyList<LearnedRegistration>> ListAsync(CancellationToken cancellationToken)
    {
        const string Sql = "SELECT endpoint, call_id, supersedes, learned_at FROM registrations ORDER BY endpoint";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql);
        return await command.ListAsync(r => new LearnedRegistration(r.GetString(0), r.GetString(1), r.GetString(2), r.GetTimestamp(3)), cancellationToken);
    }

    /// <summary>Records <paramref name="learned"/> for its line; one that supersedes nothing removes the line's row (Asterisk lists the right Call-ID).</summary>
    public async Task SaveAsync(LearnedRegistration learned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(learned);
        await using var connection = await connections.OpenAsync(cancellationToken);
        if (learned.Supersedes is null)
        {
            using var delete = connection.Command("DELETE FROM registrations WHERE endpoint = @Endpoint", ("@Endpoint", learned.Endpoint));
            await delete.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        const string Sql = """
            INSERT INTO registrations (endpoint, call_id, supersedes, learned_at) VALUES (@Endpoint, @CallId, @Supersedes, @At)
            ON CONFLICT (endpoint) DO UPDATE SET call_id = excluded.call_id, supersedes = excluded.supersedes, learned_at = excluded.learned_at
            """;
        using var command = connection.Command(Sql, ("@Endpoint", learned.Endpoint), ("@CallId", learned.CallId), ("@Supersedes", learned.Supersedes), ("@At", learned.At));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
