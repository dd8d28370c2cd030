using System.Text.Json;
using AsteriskCiscoBridge.Provisioning.Inventory;

namespace AsteriskCiscoBridge.Storage;

/// <summary>The endpoints of the last snapshot of Asterisk the service applied, with when it was taken.</summary>
public sealed record StoredSnapshot(DateTimeOffset TakenAt, IReadOnlyList<InventoryEndpoint> Endpoints);

/// <summary>
/// Keeps the last complete snapshot's endpoints (as the inventory reads them), so that the CLI renders
/// and lists what the service serves when it does not ask Asterisk itself. The row holds line
/// credentials, as the rendered files do: the store is the service's private file.
/// </summary>
public sealed class SnapshotStore(SqliteConnectionFactory connections)
{
    /// <summary>Replaces the stored snapshot; writes nothing when its endpoints are unchanged.</summary>
    public async Task SaveAsync(StoredSnapshot snapshot, CancellationToken cancellationToken)
    {
        const string Current = "SELECT endpoints FROM asterisk_snapshot WHERE id = 1";
        const string Upsert = """
            INSERT INTO asterisk_snapshot (id, taken_at, endpoints) VALUES (1, @TakenAt, @Endpoints)
            ON CONFLICT (id) DO UPDATE SET taken_at = excluded.taken_at, endpoints = excluded.endpoints
            """;
        ArgumentNullException.ThrowIfNull(snapshot);
        var text = Write(snapshot.Endpoints);
        await using var connection = await connections.OpenAsync(cancellationToken);
        using (var current = connection.Command(Current))
        {
            if (await current.ScalarAsync<string>(cancellationToken) == text)
            {
                return;
            }
        }

        using var upsert = connection.Command(Upsert, ("@TakenAt", snapshot.TakenAt), ("@Endpoints", text));
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The stored snapshot, or null when the service never applied one (or the row cannot be read).</summary>
    public async Task<StoredSnapshot?> LoadAsync(CancellationToken cancellationToken)
    {
        const string Sql = "SELECT taken_at, endpoints FROM asterisk_snapshot WHERE id = 1";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql);
        var row = await command.SingleOrDefaultAsync(r => new Row(r.GetTimestamp(0), r.GetString(1)), cancellationToken);
        return row is not null && Read(row.Endpoints) is { } endpoints ? new StoredSnapshot(row.TakenAt, endpoints) : null;
    }

    /// <summary>The text of <c>asterisk_snapshot.endpoints</c>.</summary>
    internal static string Write(IReadOnlyList<InventoryEndpoint> endpoints) => JsonSerializer.Serialize(endpoints, SnapshotJson.Default.IReadOnlyListInventoryEndpoint);

    /// <summary>Reads <c>asterisk_snapshot.endpoints</c>; null when another version wrote what this one cannot read (the next round writes it again).</summary>
    internal static InventoryEndpoint[]? Read(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, SnapshotJson.Default.InventoryEndpointArray);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Row(DateTimeOffset TakenAt, string Endpoints);
}
