using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Storage;

/// <summary>
/// The JSON of <c>asterisk_snapshot.endpoints</c>, generated at build time (no reflection). Its text is what
/// every version wrote: enums as their names, nulls left out, MACs as their 12 hex digits.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(MacJsonConverter)])]
[JsonSerializable(typeof(IReadOnlyList<InventoryEndpoint>))]
[JsonSerializable(typeof(InventoryEndpoint[]))]
internal sealed partial class SnapshotJson : JsonSerializerContext;

/// <summary>The JSON of <c>removal_hold.phones</c>, generated at build time: camelCase names, MACs as their 12 hex digits.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(MacJsonConverter)])]
[JsonSerializable(typeof(ImmutableArray<WithdrawnLines>))]
internal sealed partial class RemovalHoldJson : JsonSerializerContext;

/// <summary>A MAC address as a JSON string of its 12 hex digits.</summary>
internal sealed class MacJsonConverter : JsonConverter<MacAddress>
{
    public override MacAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        MacAddress.Parse(reader.GetString()).Mac ?? throw new JsonException("not a MAC address");

    public override void Write(Utf8JsonWriter writer, MacAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
