using AsteriskCiscoBridge.Provisioning.Resync;
using Dapper;

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
        const string Sql = "SELECT endpoint AS Endpoint, call_id AS CallId, supersedes AS Supersedes, learned_at AS At FROM registrations ORDER BY endpoint";
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(Sql, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new LearnedRegistration(r.Endpoint, r.CallId, r.Supersedes, r.At))];
    }

    /// <summary>Records <paramref name="learned"/> for its line; one that supersedes nothing removes the line's row (Asterisk lists the right Call-ID).</summary>
    public async Task SaveAsync(LearnedRegistration learned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(learned);
        await using var connection = await connections.OpenAsync(cancellationToken);
        if (learned.Supersedes is null)
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM registrations WHERE endpoint = @Endpoint", new { learned.Endpoint }, cancellationToken: cancellationToken));
            return;
        }

        const string Sql = """
            INSERT INTO registrations (endpoint, call_id, supersedes, learned_at) VALUES (@Endpoint, @CallId, @Supersedes, @At)
            ON CONFLICT (endpoint) DO UPDATE SET call_id = excluded.call_id, supersedes = excluded.supersedes, learned_at = excluded.learned_at
            """;
        await connection.ExecuteAsync(new CommandDefinition(Sql, learned, cancellationToken: cancellationToken));
    }

    private sealed record Row
    {
        public required string Endpoint { get; init; }

        public required string CallId { get; init; }

        public required string Supersedes { get; init; }

        public required DateTimeOffset At { get; init; }
    }
}
