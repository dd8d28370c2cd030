using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Services.Configuration;

/// <summary>
/// The <c>Listen</c> settings (<c>Tftp:Listen</c>, <c>Http:Listen</c>, <c>Dashboard:Listen</c>): one
/// <c>ADDR:PORT</c> or a list of them (<c>ACB_Http__Listen=0.0.0.0:6970</c> or
/// <c>ACB_Http__Listen__0=…</c>), read in one place so the three cannot disagree.
/// </summary>
internal static class ListenAddresses
{
    /// <summary>The key's addresses, <paramref name="defaults"/> when it is not set, none when it is set empty.</summary>
    public static bool TryRead(IConfiguration configuration, string key, IReadOnlyList<string> defaults, string example, out IReadOnlyList<IPEndPoint> endPoints, out string error)
    {
        var parsed = new List<IPEndPoint>();
        endPoints = parsed;
        error = string.Empty;
        foreach (var text in Values(configuration, key) ?? defaults)
        {
            if (!TryParse(text, out var endPoint))
            {
                error = $"{key} '{text}' is not ADDR:PORT (e.g. {example})";
                return false;
            }

            parsed.Add(endPoint);
        }

        return true;
    }

    /// <summary>The texts written for <paramref name="key"/>, in index order; null when it is not set.</summary>
    public static IReadOnlyList<string>? Values(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        var items = section.GetChildren()
            .Select(c => (Index: int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue, c.Value))
            .Where(c => c.Value is not null)
            .OrderBy(c => c.Index)
            .Select(c => c.Value!)
            .ToArray();
        if (items.Length > 0)
        {
            return items;
        }

        return section.Value switch
        {
            null => null,
            "" => [],
            var one => [one],
        };
    }

    /// <summary><c>ADDR:PORT</c> with the port written (<see cref="IPEndPoint.TryParse(string, out IPEndPoint?)"/> takes a bare address as port 0).</summary>
    public static bool TryParse(string text, out IPEndPoint endPoint)
    {
        text = text.Trim();
        if (IPEndPoint.TryParse(text, out var parsed) && (parsed.Port != 0 || text.EndsWith(":0", StringComparison.Ordinal)) && (parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || text.StartsWith('[')))
        {
            endPoint = parsed;
            return true;
        }

        endPoint = new IPEndPoint(IPAddress.None, 0);
        return false;
    }
}
