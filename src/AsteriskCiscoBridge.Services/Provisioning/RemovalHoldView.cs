using System.Globalization;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Services.Provisioning;

/// <summary>How <c>acb sync</c>, <c>acb phones</c>, <c>acb doctor</c> and the dashboard word a held answer: one text for all.</summary>
internal static class RemovalHoldView
{
    /// <summary>What an admin runs to let a held answer through now.</summary>
    public const string AcceptCommand = "acb sync --accept-removals";

    /// <summary><c>Sync:RemovalHold</c>, or its default when the section cannot be read (these views show; <c>acb run</c> validates).</summary>
    public static TimeSpan HoldOf(IConfiguration configuration)
    {
        try
        {
            return SyncOptions.Read(configuration).RemovalHold;
        }
        catch (InvalidOperationException)
        {
            return new SyncOptions().RemovalHold;
        }
    }

    /// <summary>When the held answer is applied if Asterisk keeps giving it.</summary>
    public static DateTimeOffset AppliesAt(RemovalHoldRow hold, TimeSpan holdFor)
    {
        ArgumentNullException.ThrowIfNull(hold);
        return hold.FirstSeen + holdFor;
    }

    /// <summary>One line: what is held, since when, and what happens next.</summary>
    public static string Summary(RemovalHoldRow hold, TimeSpan holdFor)
    {
        ArgumentNullException.ThrowIfNull(hold);
        return hold.AcceptedAt is { } accepted
            ? $"{hold.Describe()}; held since {Utc(hold.FirstSeen)}; accepted by {hold.AcceptedBy} at {Utc(accepted)}: the running service applies it at its next round"
            : $"{hold.Describe()}; held since {Utc(hold.FirstSeen)}, nothing applied: phones keep their files and are not told; applied at {Utc(AppliesAt(hold, holdFor))} if Asterisk still answers the same, or now with: {AcceptCommand}";
    }

    /// <summary>The phones it takes lines from, for a line of text: <c>0006D7000001 (6001,6002)</c>, the first ten.</summary>
    public static string Phones(RemovalHoldRow hold)
    {
        ArgumentNullException.ThrowIfNull(hold);
        var shown = string.Join(", ", hold.Phones.Take(10).Select(p => $"{p.Mac} ({string.Join(",", p.Endpoints)})"));
        return hold.Phones.Length > 10 ? $"{shown} and {hold.Phones.Length - 10} more" : shown;
    }

    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
