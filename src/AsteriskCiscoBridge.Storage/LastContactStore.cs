using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Storage;

/// <summary>Where a phone was last reachable: the first live contact of its lines (migration 009).</summary>
public sealed record LastContactRow
{
    public required MacAddress Mac { get; init; }

    /// <summary>The endpoint the contact belongs to.</summary>
    public required string Endpoint { get; init; }

    public required string Uri { get; init; }

    /// <summary>The Call-ID of the REGISTER that made it; null for a static contact.</summary>
    public string? CallId { get; init; }

    public required DateTimeOffset SeenAt { get; init; }
}

/// <summary>
/// The table <c>phone_contacts</c>: each phone's last known contact, kept after Asterisk forgets it,
/// so a phone whose endpoints were all removed can still be told (PJSIPNotify <c>URI:</c>).
/// </summary>
public sealed class LastContactStore(SqliteConnectionFactory connections)
{
    /// <summary>Every phone's last contact.</summary>
    public async Task<IReadOnlyList<LastContactRow>> ListAsync(CancellationToken cancellationToken)
    {
        const string Sql = "SELECT mac, endpoint, uri, call_id, seen_at FROM phone_contacts ORDER BY mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql);
        return await command.ListAsync(
            r => new LastContactRow { Mac = r.GetMac(0), Endpoint = r.GetString(1), Uri = r.GetString(2), CallId = r.GetStringOrNull(3), SeenAt = r.GetTimestamp(4) },
            cancellationToken);
    }

    /// <summary>Records contacts that changed, in one transaction; phones the store does not know are skipped.</summary>
    public async Task SaveAsync(IReadOnlyList<LastContactRow> rows, CancellationToken cancellationToken)
    {
        const string Sql = """
            INSERT INTO phone_contacts (mac, endpoint, uri, call_id, seen_at)
            SELECT @Mac, @Endpoint, @Uri, @CallId, @SeenAt WHERE EXISTS (SELECT 1 FROM phones WHERE mac = @Mac)
            ON CONFLICT (mac) DO UPDATE SET endpoint = excluded.endpoint, uri = excluded.uri, call_id = excluded.call_id, seen_at = excluded.seen_at
            """;
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        using var command = transaction.Command(Sql);
        foreach (var row in rows)
        {
            await command.With("@Mac", row.Mac).With("@Endpoint", row.Endpoint).With("@Uri", row.Uri).With("@CallId", row.CallId).With("@SeenAt", row.SeenAt)
                .ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
