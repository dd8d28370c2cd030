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
