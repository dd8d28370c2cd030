using System.Data;
using System.Globalization;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Requests;

namespace AsteriskCiscoBridge.Storage;

/// <summary>
/// How our column types are written: timestamps as UTC ISO-8601 text, MAC addresses as their 12 hex
/// digits, request outcomes as their <c>kind: detail</c> text. The text every version of the store wrote
/// (Dapper type handlers wrote the same), so rows of every version read the same.
/// </summary>
internal static class StoredText
{
    /// <summary>Always written in UTC with a fixed layout, so text order is time order.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.ParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static MacAddress ParseMac(string text) =>
        MacAddress.Parse(text).Mac ?? throw new DataException($"stored MAC '{text}' is not 12 hex digits");

    /// <summary>
    /// A parameter's value as SQLite gets it: our types as their text, null as SQL NULL. An enum is refused:
    /// a column holds an enum's word (<see cref="Provisioning.Resync.ResyncStateNames"/>), never its number.
    /// </summary>
    public static object Parameter(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset timestamp => Timestamp(timestamp),
        MacAddress mac => mac.Value,
        RequestOutcome outcome => outcome.ToString(),
        Enum => throw new ArgumentException($"an enum ({value.GetType().Name}) is stored as its word, never its number", nameof(value)),
        _ => value,
    };
}
