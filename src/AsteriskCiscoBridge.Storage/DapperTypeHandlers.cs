using System.Data;
using System.Globalization;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Requests;
using Dapper;

namespace AsteriskCiscoBridge.Storage;

/// <summary>
/// Dapper handlers for our column types, registered once per process: timestamps as UTC
/// ISO-8601 text, MAC addresses as their 12 hex digits, request outcomes as their <c>kind: detail</c> text.
/// </summary>
internal static class DapperTypeHandlers
{
    private static readonly Lock Gate = new();
    private static bool _registered;

    public static void EnsureRegistered()
    {
        // Under a lock, not a flag alone: a second caller must not run a query before the first has finished.
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            // Dapper maps DateTimeOffset itself and never asks a handler unless the built-in map
            // is removed first.
            SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
            SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
            SqlMapper.AddTypeHandler(new UtcTimestampHandler());
            SqlMapper.AddTypeHandler(new MacAddressHandler());
            SqlMapper.AddTypeHandler(new RequestOutcomeHandler());
            _registered = true;
        }
    }

    /// <summary>Always written in UTC with a fixed layout, so text order is time order.</summary>
    internal sealed class UtcTimestampHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = Write(value);
        }

        public override DateTimeOffset Parse(object value) =>
            DateTimeOffset.ParseExact((string)value, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

        public static string Write(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
    }

    internal sealed class MacAddressHandler : SqlMapper.TypeHandler<MacAddress>
    {
        public override void SetValue(IDbDataParameter parameter, MacAddress value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.Value;
        }

        public override MacAddress Parse(object value) =>
            MacAddress.Parse((string)value).Mac ?? throw new DataException($"stored MAC '{value}' is not 12 hex digits");
    }

    /// <summary>The text the request log has always held, so rows of every version read the same.</summary>
    internal sealed class RequestOutcomeHandler : SqlMapper.TypeHandler<RequestOutcome>
    {
        public override void SetValue(IDbDataParameter parameter, RequestOutcome value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.ToString();
        }

        public override RequestOutcome Parse(object value) => RequestOutcome.Parse(value as string);
    }
}
