using System.Globalization;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>A phone's running load as a request or a registration showed it, and how.</summary>
public sealed record LoadSeen(MacAddress Mac, string Load, string Source);

/// <summary>
/// Learns which load a phone runs from what it fetches over TFTP. A phone asks for
/// <c>&lt;load&gt;.loads</c> only when the load it is offered differs from the one it runs, then fetches every
/// file the descriptor lists, installs them and reboots (spec §1.2 item 5, §1.5 item 5): once every file of
/// a load has been served to it, the phone runs that load from its next boot. Load files carry no MAC, so
/// the phone is known by its address from a request for one of its own files (SEP&lt;MAC&gt;.cnf.xml,
/// SIP&lt;MAC&gt;.cnf): the last one before, or, for a 7940/7960 whose dual boot fetches the image right after
/// OS79XX.TXT (spec §2.1), the first one after. No I/O and no clock; the caller feeds it the requests in order.
/// </summary>
public sealed class LoadFetchTracker(int capacity = 4096)
{
    private readonly Dictionary<string, MacAddress> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Progress> _progress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CatalogLoad> _unclaimed = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes one request: the client's address (without port: each transfer has its own port), the MAC when
    /// the file names one, the file name and whether it was served whole. Returns the load the phone now runs
    /// when this request completed its download (or named the phone that completed one), otherwise null.
    /// </summary>
    public LoadSeen? Observe(string client, MacAddress? mac, string fileName, bool served, FirmwareCatalog catalog)
    {
        if (_clients.Count + _progress.Count + _unclaimed.Count >= capacity && !_clients.ContainsKey(client))
        {
            // A bound on memory, not a policy: at worst a phone mid-download is learned at its next one.
            _clients.Clear();
            _progress.Clear();
            _unclaimed.Clear();
        }

        if (mac is { } own)
        {
            _clients[client] = own;
            return _unclaimed.Remove(client, out var done) ? Seen(own, done, " (phone known by its address)") : null;
        }

        if (!served)
        {
            return null;
        }

        var started = catalog.Loads.FirstOrDefault(l => l.Descriptor is not null && string.Equals(l.Descriptor, fileName, StringComparison.OrdinalIgnoreCase))
            ?? catalog.Loads.FirstOrDefault(l => l.Descriptor is null && l.Files.Length == 1 && string.Equals(l.Files[0].Name, fileName, StringComparison.OrdinalIgnoreCase));
        if (started is not null)
        {
            _progress[client] = new Progress(started, new HashSet<string>(StringComparer.OrdinalIgnoreCase) { fileName });
        }
        else if (_progress.TryGetValue(client, out var progress) && progress.Load.Files.Any(f => string.Equals(f.Name, fileName, StringComparison.OrdinalIgnoreCase)))
        {
            progress.Served.Add(fileName);
        }
        else
        {
            return null;
        }

        var current = _progress[client];
        if (!current.Load.Files.All(f => current.Served.Contains(f.Name)))
        {
            return null;
        }

        _progress.Remove(client);
        if (_clients.TryGetValue(client, out var phone))
        {
            return Seen(phone, current.Load, string.Empty);
        }

        _unclaimed[client] = current.Load;
        return null;
    }

    private static LoadSeen Seen(MacAddress phone, CatalogLoad load, string note) =>
        new(phone, load.Name, string.Create(CultureInfo.InvariantCulture, $"tftp: fetched all {load.Files.Length} files of {load.Name}{note}"));

    private sealed record Progress(CatalogLoad Load, HashSet<string> Served);
}

/// <summary>
/// Reads the running load from a Cisco SIP User-Agent (<c>Cisco-CP7961G/9.4.2</c>, <c>Cisco-CP7945G/9.4.2-fake</c>,
/// spec §7.2; <c>Cisco-CP8841/14.2.1</c>, <c>Cisco-CP8865NR/14.2.1</c>, beyond-79xx A4). A User-Agent carries a release, not a load name: it is matched against what is already known
/// and the catalog, and a bare name (<c>SIP41.9-4-2</c>) is made only when neither knows the release.
/// </summary>
public static class UserAgentLoad
{
    /// <summary>The model number and the version text of a Cisco phone's User-Agent; false for anything else.</summary>
    public static bool TryParse(string? userAgent, out int model, out string version)
    {
        model = 0;
        version = string.Empty;
        if (string.IsNullOrEmpty(userAgent) || userAgent.Length > 200 || !userAgent.StartsWith("Cisco-CP", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var slash = userAgent.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !LoadFamily.TryForModel(userAgent[..slash], out _, out model))
        {
            return false;
        }

        version = userAgent[(slash + 1)..].Trim();
        var space = version.IndexOf(' ', StringComparison.Ordinal);
        version = space < 0 ? version : version[..space];
        return version.Length > 0;
    }

    /// <summary>
    /// The load a phone of <paramref name="model"/> registering with <paramref name="userAgent"/> runs, or null
    /// when the User-Agent says nothing usable (not Cisco, another model's family, no version). The load
    /// already known (<paramref name="current"/>) is kept when it is of the User-Agent's release; otherwise a
    /// catalog load of that release is taken (<paramref name="preferred"/> first: the load the phone was offered).
    /// </summary>
    public static string? Resolve(string? userAgent, PhoneModel model, string? current, FirmwareCatalog catalog, string? preferred = null)
    {
        if (!TryParse(userAgent, out var uaModel, out var text)
            || !LoadFamily.TryForModel(model.Name, out var family, out _)
            || !LoadFamily.TryForModel(uaModel.ToString(CultureInfo.InvariantCulture), out var uaFamily, out _)
            || !uaFamily.SameAs(family))
        {
            return null;
        }

        // Some User-Agents carry the whole load name.
        if (LoadName.TryParse(text, out var named, out _))
        {
            return named.Family.SameAs(family) ? named.Name : null;
        }

        if (!TryRelease(text, out var release))
        {
            return null;
        }

        // A User-Agent is a SIP registration: the phone runs a SIP load.
        bool Matches(LoadName load) => load.Family.SameAs(family) && load.Protocol == LoadProtocol.Sip && load.Version.IsInRelease(release);

        if (LoadName.TryParse(current, out var known, out _) && Matches(known))
        {
            return known.Name;
        }

        if (LoadName.TryParse(preferred, out var offered, out _) && Matches(offered))
        {
            return offered.Name;
        }

        var fromCatalog = catalog.Loads
            .Where(l => l.Load is not null && Matches(l.Load))
            .OrderByDescending(l => l.Load!.Version)
            .FirstOrDefault();
        if (fromCatalog is not null)
        {
            return fromCatalog.Name;
        }

        // Without a maintenance number (7960 "8.0") a name would invent too much.
        if (family.Generation == LoadGeneration.Classic || release.Maintenance is not { } maintenance)
        {
            return null;
        }

        var prefix = family.Generation == LoadGeneration.Java ? "SIP" + family.Code : family.Prefix;
        var made = string.Create(CultureInfo.InvariantCulture, $"{prefix}.{release.Major}-{release.Minor}-{maintenance}");
        return LoadName.TryParse(made, out var bare, out _) ? bare.Name : null;
    }

    private static bool TryRelease(string text, out LoadVersion release)
    {
        release = new LoadVersion(0, 0, null);
        var parts = new List<int>();
        var i = 0;
        while (parts.Count < 3 && i < text.Length && char.IsAsciiDigit(text[i]))
        {
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 5)
            {
                i++;
            }

            parts.Add(int.Parse(text.AsSpan(start, i - start), CultureInfo.InvariantCulture));
            if (i < text.Length && text[i] == '.')
            {
                i++;
            }
            else
            {
                break;
            }
        }

        if (parts.Count < 2)
        {
            return false;
        }

        release = new LoadVersion(parts[0], parts[1], parts.Count > 2 ? parts[2] : null);
        return true;
    }
}

/// <summary>Says where a phone is on its load path, compactly: <c>8.3(2) → 8.5(2) → 9.4(2)SR3, next hop 8.5(2)</c>.</summary>
public static class LoadPathText
{
    public static string Describe(string? running, LoadPlan plan, bool pinned)
    {
        var from = Short(running) ?? "?";
        var text = plan.Outcome switch
        {
            LoadPlanOutcome.UpToDate => $"{from}, up to date",
            LoadPlanOutcome.KeepCurrent => $"{from}, kept",
            LoadPlanOutcome.Step when plan.Path.Length > 0 =>
                $"{string.Join(" → ", new[] { from }.Concat(plan.Path.Select(p => Short(p) ?? p)))}, next hop {Short(plan.NextHop)}",
            LoadPlanOutcome.Blocked => $"{from} → {Short(plan.Target) ?? "?"} blocked",
            _ => running is null ? "-" : from,
        };
        return pinned ? text + ", pinned" : text;
    }

    private static string? Short(string? load) =>
        load is null ? null : LoadName.TryParse(load, out var parsed, out _) ? parsed.Version.ToString() : load;
}
