using System.Text.Json;
using System.Text.Json.Serialization;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using Dapper;

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
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new MacConverter(), new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Replaces the stored snapshot; writes nothing when its endpoints are unchanged.</summary>
    public async Task SaveAsync(StoredSnapshot snapshot, CancellationToken cancellationToken)
    {
        const string Current = "SELECT endpoints FROM asterisk_snapshot WHERE id = 1";
        const string Upsert = """
            INSERT INTO asterisk_snapshot (id, taken_at, endpoints) VALUES (1, @TakenAt, @Endpoints)
            ON CONFLICT (id) DO UPDATE SET taken_at = excluded.taken_at, endpoints = excluded.endpoints
            """;
        var text = JsonSerializer.Serialize(snapshot.Endpoints, Json);
        await using var connection = await connections.OpenAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<string?>(new CommandDefinition(Current, cancellationToken: cancellationToken)) == text)
        {
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition(Upsert, new { snapshot.TakenAt, Endpoints = text }, cancellationToken: cancellationToken));
    }

    /// <summary>The stored snapshot, or null when the service never applied one (or the row cannot be read).</summary>
    public async Task<StoredSnapshot?> LoadAsync(CancellationToken cancellationToken)
    {
        const string Sql = "SELECT taken_at AS TakenAt, endpoints AS Endpoints FROM asterisk_snapshot WHERE id = 1";
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Sql, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<InventoryEndpoint[]>(row.Endpoints, Json) is { } endpoints ? new StoredSnapshot(row.TakenAt, endpoints) : null;
        }
        catch (JsonException)
        {
            // Written by another version: the next round writes it again.
            return null;
        }
    }

    private sealed record Row
    {
        public required DateTimeOffset TakenAt { get; init; }

        public required string Endpoints { get; init; }
    }

    internal sealed class MacConverter : JsonConverter<MacAddress>
    {
        public override MacAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            MacAddress.Parse(reader.GetString()).Mac ?? throw new JsonException("not a MAC address");

        public override void Write(Utf8JsonWriter writer, MacAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
    }
}
