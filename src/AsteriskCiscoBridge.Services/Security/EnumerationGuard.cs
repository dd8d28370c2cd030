using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Services.Security;

/// <summary>Limits of the <see cref="EnumerationGuard"/> (configuration section <c>Security</c>).</summary>
public sealed class EnumerationGuardOptions
{
    /// <summary>Distinct MACs one address may ask for within <see cref="Window"/> before it counts as a scan. Default 20: a phone asks for one.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be 1 or more")]
    public int MaxDistinctMacs { get; set; } = 20;

    /// <summary>
    /// Distinct MACs bound to no phone that the addresses of one network (<see cref="IPv4PrefixLength"/>,
    /// <see cref="IPv6PrefixLength"/>) together may ask for within <see cref="Window"/> before the network
    /// counts as scanning: thirty aliases on one host do not get thirty allowances. Bound phones' MACs
    /// do not count, so a boot storm of a site's phones never trips it; raise it when more new (unbound)
    /// phones than this boot at once in one network. Default 100; 0 turns it off.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "must be 0 (off) or more")]
    public int MaxDistinctMacsPerPrefix { get; set; } = 100;

    /// <summary>
    /// Distinct MACs bound to no phone that everyone together may ask for within <see cref="Window"/>
    /// (a scan spread over many networks). Past it, for <see cref="BlockFor"/>, files of MACs bound to no
    /// phone are refused to everyone, while bound phones are still served. Default 500; 0 turns it off.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "must be 0 (off) or more")]
    public int MaxDistinctMacsGlobal { get; set; } = 500;

    /// <summary>The network an IPv4 address is counted in: its /24 by default.</summary>
    [Range(8, 32, ErrorMessage = "must be 8–32")]
    public int IPv4PrefixLength { get; set; } = 24;

    /// <summary>The network an IPv6 address is counted in: its /64 by default (one LAN; a host picks addresses in it at will).</summary>
    [Range(16, 128, ErrorMessage = "must be 16–128")]
    public int IPv6PrefixLength { get; set; } = 64;

    /// <summary>The sliding window. Default 60 s.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a scanning address or network is refused per-phone files (and the global throttle lasts). Default 10 min.</summary>
    public TimeSpan BlockFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Addresses, and networks, tracked at once; beyond it the least recently seen that is not blocked is forgotten (a block is never). Default 10,000.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be 1 or more")]
    public int MaxTrackedAddresses { get; set; } = 10_000;
}

/// <summary>At which level the guard decided.</summary>
public enum GuardScope
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>The client's own address asked for too many MACs.</summary>
    Address = 1,

    /// <summary>The client's network (/24, /64) asked for too many unbound MACs.</summary>
    Prefix = 2,

    /// <summary>Everyone together asked for too many unbound MACs: only bound phones are served.</summary>
    Global = 3,
}

/// <summary>What the guard decided for one request.</summary>
/// <param name="Allowed">Serve it (false: refuse with an access violation).</param>
/// <param name="Alarm">True exactly once per scan: the moment an address, a network or everyone crossed the limit.</param>
/// <param name="Reason">Why it was refused, for the request log.</param>
/// <param name="Scope">The level that refused it.</param>
/// <param name="Prefix">The client's network as counted (for the log of a network's alarm).</param>
public readonly record struct GuardDecision(bool Allowed, bool Alarm, string? Reason, GuardScope Scope = GuardScope.None, IPNetwork? Prefix = null);

/// <summary>
/// TFTP has no authentication, and a per-phone file carries SIP passwords: whoever walks through
/// MAC addresses could collect them (reliability catalogue §5.5 case 18). A phone only ever asks for
/// its own MAC, so the guard counts distinct MACs at three levels within a sliding window:
/// <list type="bullet">
/// <item>per address, every MAC: past <see cref="EnumerationGuardOptions.MaxDistinctMacs"/> the address is
/// refused every per-phone file for a while;</item>
/// <item>per network (/24, /64), MACs bound to no phone: many addresses of one host or LAN share one
/// allowance; past it the network is refused per-phone files, except addresses where a bound phone
/// lives;</item>
/// <item>for everyone, MACs bound to no phone: past it, files of unbound MACs are refused to all while
/// bound phones go on being served.</item>
/// </list>
/// Each crossing raises one alarm. Tables are bounded, and a block is never forgotten to make room.
/// Pure: time is a parameter; thread-safe; one instance per service.
/// </summary>
/// <param name="isKnownMac">True for a MAC bound to a phone; null: none is.</param>
/// <param name="isKnownAddress">True for an address where a bound phone lives; null: none is.</param>
public sealed class EnumerationGuard(EnumerationGuardOptions options, Func<MacAddress, bool>? isKnownMac = null, Func<IPAddress, bool>? isKnownAddress = null)
{
    private readonly Lock _gate = new();
    private readonly TrackerTable<IPAddress> _addresses = new(options.MaxTrackedAddresses);
    private readonly TrackerTable<IPNetwork> _prefixes = new(options.MaxTrackedAddresses);
    private readonly Tracker _everyone = new();

    /// <summary>Addresses refused right now.</summary>
    public IReadOnlyList<IPAddress> BlockedAddresses(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _addresses.Blocked(now);
        }
    }

    /// <summary>Networks refused right now.</summary>
    public IReadOnlyList<IPNetwork> BlockedPrefixes(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _prefixes.Blocked(now);
        }
    }

    /// <summary>Whether files of unbound MACs are refused to everyone right now.</summary>
    public bool IsThrottled(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _everyone.BlockedUntil > now;
        }
    }

    /// <summary>The network <paramref name="address"/> is counted in.</summary>
    public IPNetwork PrefixOf(IPAddress address)
    {
        var length = address.AddressFamily == AddressFamily.InterNetworkV6 ? options.IPv6PrefixLength : options.IPv4PrefixLength;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        bytes = bytes[..written];
        for (var bit = length; bit < written * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), length);
    }

    public GuardDecision Decide(IPAddress client, string fileName, DateTimeOffset now)
    {
        if (PhoneFileName.MacIn(fileName) is not { } phone)
        {
            return new GuardDecision(true, false, null);
        }

        var mac = phone.Value;

        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        var prefix = PrefixOf(client);
        var known = isKnownMac?.Invoke(phone) ?? false;
        var knownAddress = isKnownAddress?.Invoke(client) ?? false;
        lock (_gate)
        {
            // Refusals in force first: a blocked requester is not counted again.
            var address = _addresses.Touch(client, now);
            if (address?.BlockedUntil > now)
            {
                return Refuse(GuardScope.Address, $"address is blocked until {address.BlockedUntil:HH:mm:ss} for asking for many MACs", prefix);
            }

            var network = _prefixes.Touch(prefix, now);
            if (network?.BlockedUntil > now && !knownAddress)
            {
                return Refuse(GuardScope.Prefix, $"network {prefix} is blocked until {network.BlockedUntil:HH:mm:ss} for asking for many MACs", prefix);
            }

            if (_everyone.BlockedUntil > now && !known)
            {
                return Refuse(GuardScope.Global, $"MACs bound to no phone are refused to everyone until {_everyone.BlockedUntil:HH:mm:ss}: many were asked for from many networks", prefix);
            }

            if (address is not null && address.Exceeds(mac, now, options.Window, options.MaxDistinctMacs))
            {
                _addresses.Block(address, now + options.BlockFor);
                return Alarm(GuardScope.Address, $"asked for more than {options.MaxDistinctMacs} MACs within {options.Window.TotalSeconds:0} s: looks like a scan", prefix);
            }

            if (known)
            {
                return new GuardDecision(true, false, null);
            }

            // Only MACs bound to no phone count below: a site's own phones booting together never trip them.
            if (options.MaxDistinctMacsPerPrefix > 0 && network is not null && network.Exceeds(mac, now, options.Window, options.MaxDistinctMacsPerPrefix))
            {
                _prefixes.Block(network, now + options.BlockFor);
                return Alarm(GuardScope.Prefix, $"network {prefix} asked for more than {options.MaxDistinctMacsPerPrefix} MACs bound to no phone within {options.Window.TotalSeconds:0} s: looks like a scan from several addresses", prefix);
            }

            if (options.MaxDistinctMacsGlobal > 0 && _everyone.Exceeds(mac, now, options.Window, options.MaxDistinctMacsGlobal))
            {
                _everyone.BlockedUntil = now + options.BlockFor;
                _everyone.Seen.Clear();
                return Alarm(GuardScope.Global, $"more than {options.MaxDistinctMacsGlobal} MACs bound to no phone were asked for within {options.Window.TotalSeconds:0} s from many networks: looks like a spread scan", prefix);
            }

            return new GuardDecision(true, false, null);
        }
    }

    private static GuardDecision Refuse(GuardScope scope, string reason, IPNetwork prefix) => new(false, false, reason, scope, prefix);

    private static GuardDecision Alarm(GuardScope scope, string reason, IPNetwork prefix) => new(false, true, reason, scope, prefix);

    private sealed class Tracker
    {
        public Dictionary<string, DateTimeOffset> Seen { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset BlockedUntil { get; set; }

        /// <summary>Where it stands in the eviction order; null while blocked (a block is never evicted).</summary>
        public LinkedListNode<Tracker>? Order { get; set; }

        public object? Key { get; init; }

        /// <summary>
        /// Records <paramref name="mac"/> and returns whether more than <paramref name="limit"/> distinct MACs
        /// fall within the window. What left the window is forgotten once the count passes the limit,
        /// so the set never holds more than the limit and one.
        /// </summary>
        public bool Exceeds(string mac, DateTimeOffset now, TimeSpan window, int limit)
        {
            Seen[mac] = now;
            if (Seen.Count <= limit)
            {
                return false;
            }

            foreach (var stale in Seen.Where(s => now - s.Value > window).Select(s => s.Key).ToList())
            {
                Seen.Remove(stale);
            }

            return Seen.Count > limit;
        }
    }

    /// <summary>
    /// Trackers by key, at most <c>capacity</c>. Unblocked ones are kept in least-recently-seen order and
    /// the oldest is forgotten to make room; blocked ones are not in that order, so a flood of new
    /// addresses cannot flush a block out. When every tracker is blocked, expired blocks are swept; if
    /// none has expired, the new key goes untracked (the other levels still count its requests).
    /// </summary>
    private sealed class TrackerTable<TKey>(int capacity)
        where TKey : notnull
    {
        private readonly Dictionary<TKey, Tracker> _trackers = [];
        private readonly LinkedList<Tracker> _order = new();

        public IReadOnlyList<TKey> Blocked(DateTimeOffset now) => [.. _trackers.Where(t => t.Value.BlockedUntil > now).Select(t => t.Key)];

        public Tracker? Touch(TKey key, DateTimeOffset now)
        {
            if (_trackers.TryGetValue(key, out var tracker))
            {
                if (tracker.BlockedUntil > now)
                {
                    return tracker;
                }

                if (tracker.Order is null)
                {
                    // A block that ended: the tracker starts over and can be forgotten again.
                    tracker.Seen.Clear();
                    tracker.Order = _order.AddLast(tracker);
                }
                else
                {
                    _order.Remove(tracker.Order);
                    _order.AddLast(tracker.Order);
                }

                return tracker;
            }

            if (_trackers.Count >= capacity && !MakeRoom(now))
            {
                return null;
            }

            tracker = new Tracker { Key = key };
            tracker.Order = _order.AddLast(tracker);
            _trackers[key] = tracker;
            return tracker;
        }

        public void Block(Tracker tracker, DateTimeOffset until)
        {
            tracker.BlockedUntil = until;
            tracker.Seen.Clear();
            if (tracker.Order is not null)
            {
                _order.Remove(tracker.Order);
                tracker.Order = null;
            }
        }

        private bool MakeRoom(DateTimeOffset now)
        {
            if (_order.First is { } oldest)
            {
                _order.RemoveFirst();
                _trackers.Remove((TKey)oldest.Value.Key!);
                return true;
            }

            foreach (var expired in _trackers.Where(t => t.Value.BlockedUntil <= now).Select(t => t.Key).ToList())
            {
                _trackers.Remove(expired);
            }

            return _trackers.Count < capacity;
        }
    }
}
