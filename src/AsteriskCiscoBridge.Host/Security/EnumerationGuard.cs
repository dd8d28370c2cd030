using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.RegularExpressions;

namespace AsteriskCiscoBridge.Host.Security;

/// <summary>Limits of the <see cref="EnumerationGuard"/> (configuration section <c>Security</c>).</summary>
public sealed class EnumerationGuardOptions
{
    /// <summary>Distinct MACs one address may ask for within <see cref="Window"/> before it counts as a scan. Default 20: a phone asks for one.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be 1 or more")]
    public int MaxDistinctMacs { get; init; } = 20;

    /// <summary>The sliding window. Default 60 s.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a scanning address is refused per-phone files. Default 10 min.</summary>
    public TimeSpan BlockFor { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Addresses tracked at once; the least recently seen are forgotten beyond it. Default 10,000.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be 1 or more")]
    public int MaxTrackedAddresses { get; init; } = 10_000;
}

/// <summary>What the guard decided for one request.</summary>
/// <param name="Allowed">Serve it (false: refuse with an access violation).</param>
/// <param name="Alarm">True exactly once per scan: the moment an address crossed the limit.</param>
/// <param name="Reason">Why it was refused, for the request log.</param>
public readonly record struct GuardDecision(bool Allowed, bool Alarm, string? Reason);

/// <summary>
/// TFTP has no authentication, and a per-phone file carries SIP passwords: whoever walks
/// through MAC addresses could collect them (reliability catalogue §5.5 case 18). A phone only
/// ever asks for its own MAC, so an address that asks for many distinct MACs within a minute is
/// scanning: it raises one alarm and is refused every per-phone file for a while, while phones
/// at other addresses go on being served. Pure: time is a parameter; one instance per server.
/// </summary>
public sealed partial class EnumerationGuard(EnumerationGuardOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, Tracker> _trackers = [];

    /// <summary>
    /// The 12-hex-digit MAC a per-phone file name carries (SEP…cnf.xml, SIP….cnf, CTLSEP/ITLSEP….tlv,
    /// .sgn variants), upper-cased; null for shared files. Any case matches: the file tree is
    /// case-insensitive, so a scan in lower case must count the same.
    /// </summary>
    public static string? MacIn(string fileName)
    {
        var match = PerPhoneName().Match(Path.GetFileName(fileName));
        return match.Success ? match.Groups[1].Value.ToUpperInvariant() : null;
    }

    /// <summary>Addresses refused right now.</summary>
    public IReadOnlyList<IPAddress> BlockedAddresses(DateTimeOffset now)
    {
        lock (_gate)
        {
            return [.. _trackers.Where(t => t.Value.BlockedUntil > now).Select(t => t.Key)];
        }
    }

    public GuardDecision Decide(IPAddress client, string fileName, DateTimeOffset now)
    {
        var mac = MacIn(fileName);
        if (mac is null)
        {
            return new GuardDecision(true, false, null);
        }

        lock (_gate)
        {
            if (!_trackers.TryGetValue(client, out var tracker))
            {
                if (_trackers.Count >= options.MaxTrackedAddresses)
                {
                    var oldest = _trackers.MinBy(t => t.Value.LastSeen).Key;
                    _trackers.Remove(oldest);
                }

                tracker = new Tracker();
                _trackers[client] = tracker;
            }

            tracker.LastSeen = now;
            if (tracker.BlockedUntil > now)
            {
                return new GuardDecision(false, false, $"address is blocked until {tracker.BlockedUntil:HH:mm:ss} for asking for many MACs");
            }

            tracker.Seen[mac] = now;
            foreach (var stale in tracker.Seen.Where(s => now - s.Value > options.Window).Select(s => s.Key).ToList())
            {
                tracker.Seen.Remove(stale);
            }

            if (tracker.Seen.Count > options.MaxDistinctMacs)
            {
                tracker.BlockedUntil = now + options.BlockFor;
                tracker.Seen.Clear();
                return new GuardDecision(false, true, $"asked for more than {options.MaxDistinctMacs} MACs within {options.Window.TotalSeconds:0} s: looks like a scan");
            }

            return new GuardDecision(true, false, null);
        }
    }

    [GeneratedRegex("^(?:CTL|ITL)?(?:SEP|SIP)([0-9A-Fa-f]{12})\\.(?:cnf\\.xml|cnf|tlv)(?:\\.enc)?(?:\\.sgn)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PerPhoneName();

    private sealed class Tracker
    {
        public Dictionary<string, DateTimeOffset> Seen { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset LastSeen { get; set; }

        public DateTimeOffset BlockedUntil { get; set; }
    }
}
