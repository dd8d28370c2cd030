using System.Globalization;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Firmware;

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
