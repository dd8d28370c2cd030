using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AsteriskCiscoBridge.Provisioning.Dhcp;

/// <summary>DHCP servers the bridge writes configuration for.</summary>
public enum DhcpFormat
{
    Dnsmasq,
    Isc,
    Kea,
    Ios,
}

/// <summary>
/// Option 150 (Cisco TFTP server list, RFC 5859: IPv4 addresses, network byte order, 4×n bytes)
/// and option 66 (RFC 2132: one server as text) for each DHCP server's configuration
/// language (spec §5). Pure.
/// </summary>
public static class DhcpSnippets
{
    /// <summary>Parses <c>IP[,IP…]</c>: IPv4 only (option 150 carries IPv4), no repeats, at most 63 (4×n ≤ 255).</summary>
    public static IReadOnlyList<IPAddress>? ParseServers(string text, out string? error)
    {
        error = null;
        var servers = new List<IPAddress>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!IPAddress.TryParse(part, out var address) || address.AddressFamily != AddressFamily.InterNetwork || part.Count(c => c == '.') != 3)
            {
                error = $"'{part}' is not an IPv4 address (option 150 lists IPv4 addresses)";
                return null;
            }

            if (servers.Contains(address))
            {
                error = $"{part} is listed twice";
                return null;
            }

            servers.Add(address);
        }

        if (servers.Count is 0 or > 63)
        {
            error = "give 1 to 63 TFTP server addresses";
            return null;
        }

        return servers;
    }

    /// <summary>Option 150 as it travels in a DHCP packet: code, length, addresses (big-endian).</summary>
    public static byte[] Option150WireBytes(IReadOnlyList<IPAddress> servers)
    {
        var bytes = new byte[2 + (4 * servers.Count)];
        bytes[0] = 150;
        bytes[1] = (byte)(4 * servers.Count);
        for (var i = 0; i < servers.Count; i++)
        {
            servers[i].GetAddressBytes().CopyTo(bytes, 2 + (4 * i));
        }

        return bytes;
    }

    /// <summary>The snippet for <paramref name="format"/>: option 150 with every server, option 66 with the first.</summary>
    public static string Render(DhcpFormat format, IReadOnlyList<IPAddress> servers)
    {
        var list = servers.Select(s => s.ToString()).ToList();
        var first = list[0];
        var wire = string.Join(' ', Option150WireBytes(servers).Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
        var b = new StringBuilder();
        switch (format)
        {
            case DhcpFormat.Dnsmasq:
                b.Append("# Cisco IP phones: TFTP servers for AsteriskCiscoBridge.\n");
                b.Append("# Option 150, every server in order (on the wire: ").Append(wire).Append(").\n");
                b.Append("dhcp-option=150,").Append(string.Join(',', list)).Append('\n');
                b.Append("# Option 66, one server, for phones and tools that only know 66.\n");
                b.Append("dhcp-option=66,\"").Append(first).Append("\"\n");
                break;
            case DhcpFormat.Isc:
                b.Append("# Cisco IP phones: TFTP servers for AsteriskCiscoBridge.\n");
                b.Append("# At top level of dhcpd.conf, once:\n");
                b.Append("option voip-tftp-server code 150 = array of ip-address;\n");
                b.Append("# In the phones' subnet or class (on the wire: ").Append(wire).Append("):\n");
                b.Append("option voip-tftp-server ").Append(string.Join(", ", list)).Append(";\n");
                b.Append("option tftp-server-name \"").Append(first).Append("\";\n");
                break;
            case DhcpFormat.Kea:
                // A fragment for the Dhcp4 object; option 150 is defined here because not every
                // Kea version knows it (spec §5).
                b.Append("{\n");
                b.Append("  \"option-def\": [\n");
                b.Append("    { \"name\": \"cisco-tftp-servers\", \"code\": 150, \"space\": \"dhcp4\", \"type\": \"ipv4-address\", \"array\": true }\n");
                b.Append("  ],\n");
                b.Append("  \"option-data\": [\n");
                b.Append("    { \"name\": \"cisco-tftp-servers\", \"code\": 150, \"space\": \"dhcp4\", \"data\": \"").Append(string.Join(", ", list)).Append("\" },\n");
                b.Append("    { \"name\": \"tftp-server-name\", \"code\": 66, \"space\": \"dhcp4\", \"data\": \"").Append(first).Append("\" }\n");
                b.Append("  ]\n");
                b.Append("}\n");
                break;
            case DhcpFormat.Ios:
                b.Append("! Cisco IP phones: TFTP servers for AsteriskCiscoBridge (option 150 on the wire: ").Append(wire).Append(")\n");
                b.Append("ip dhcp pool VOICE\n");
                b.Append(" option 150 ip ").Append(string.Join(' ', list)).Append('\n');
                b.Append(" option 66 ascii ").Append(first).Append('\n');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "unknown DHCP format");
        }

        return b.ToString();
    }
}
