using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AsteriskCiscoBridge.Provisioning.Model;

/// <summary>
/// Decides where a line's phone sends its SIP. Port and protocol come from the endpoint's transport; the
/// address, in order: <c>Site:AsteriskHost</c>, the transport's <c>external_signaling_address</c>, its bind
/// address when it is one a phone can reach (not a wildcard, not loopback), the AMI host when it is not
/// loopback, and else the address the phone's own request reached this machine at (the
/// res_pjsip_phoneprov_provider rule for <c>SERVER</c>, spec §7.1: Asterisk runs here).
/// <c>Site:AsteriskPort</c>, when set, wins over the transport's port (admins behind NAT).
/// </summary>
public static class SipServerResolver
{
    /// <summary>The SIP port for UDP and TCP (RFC 3261 §19.1.2) and res_pjsip's bind default.</summary>
    public const int DefaultPort = 5060;

    /// <summary>The SIP port for TLS.</summary>
    public const int DefaultTlsPort = 5061;

    public static SipServer Resolve(SipServerOverrides site, SipTransportFacts? transport, string? amiHost)
    {
        ArgumentNullException.ThrowIfNull(site);
        var notes = new List<string>();
        var label = transport is null ? null : $"transport '{transport.Name}'";
        var protocol = SipTransportProtocol.Udp;
        var usable = transport is not null && TryProtocol(transport.Protocol, out protocol);
        if (transport is not null && !usable)
        {
            notes.Add($"{label} is {transport.Protocol}, which Cisco phones do not speak");
        }

        string host;
        string hostFrom;
        var external = false;
        if (!string.IsNullOrWhiteSpace(site.Host))
        {
            host = site.Host.Trim();
            hostFrom = "Site:AsteriskHost";
            external = usable && string.Equals(host, transport!.ExternalAddress, StringComparison.OrdinalIgnoreCase);
        }
        else if (usable && Reachable(transport!.ExternalAddress, "external_signaling_address", notes))
        {
            host = transport.ExternalAddress!;
            hostFrom = $"{label} (external_signaling_address)";
            external = true;
        }
        else if (usable && Reachable(transport!.BindHost, "bind", notes))
        {
            host = transport.BindHost;
            hostFrom = $"{label} (bind)";
        }
        else if (Reachable(amiHost, "Ami:Host", notes))
        {
            host = amiHost!.Trim();
            hostFrom = "Ami:Host";
        }
        else
        {
            host = SipServer.RequestLocalHost;
            hostFrom = "the address each phone's request reaches this machine at";
        }

        if (notes.Count > 0)
        {
            hostFrom += $" ({string.Join(", ", notes)})";
        }

        int port;
        string portFrom;
        if (site.Port is { } explicitPort)
        {
            port = explicitPort;
            portFrom = "Site:AsteriskPort";
        }
        else if (usable && external && transport!.ExternalPort is { } externalPort)
        {
            port = externalPort;
            portFrom = $"{label} (external_signaling_port)";
        }
        else if (usable)
        {
            port = transport!.BindPort;
            portFrom = $"{label} (bind)";
        }
        else
        {
            port = DefaultPort;
            portFrom = transport is null ? "the SIP default (no transport known)" : "the SIP default";
        }

        var reason = hostFrom == portFrom || (hostFrom == $"{label} (external_signaling_address)" && portFrom == $"{label} (external_signaling_port)")
            ? hostFrom
            : $"{hostFrom}; port from {portFrom}";
        if (usable && transport!.Implicit)
        {
            reason += $"; the endpoint names no transport: Asterisk's first {transport.Protocol} transport";
        }

        return new SipServer(host, port, protocol, reason);
    }

    /// <summary><c>udp</c>, <c>tcp</c> and <c>tls</c>; <c>ws</c>, <c>wss</c> and others are not for Cisco phones.</summary>
    public static bool TryProtocol(string? text, out SipTransportProtocol protocol)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "udp":
                protocol = SipTransportProtocol.Udp;
                return true;
            case "tcp":
                protocol = SipTransportProtocol.Tcp;
                return true;
            case "tls":
                protocol = SipTransportProtocol.Tls;
                return true;
            default:
                protocol = SipTransportProtocol.Udp;
                return false;
        }
    }

    /// <summary>
    /// True for an address a phone on the network can send to: not empty, not a wildcard, not loopback, not an
    /// IPv6 literal (79xx SIP loads speak IPv4 only). Why a non-empty address is passed over goes to <paramref name="notes"/>.
    /// </summary>
    private static bool Reachable(string? address, string what, List<string> notes)
    {
        var text = address?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return false;
        }

        if (text.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            notes.Add($"{what} {text} is loopback");
            return false;
        }

        if (!IPAddress.TryParse(text, out var ip))
        {
            // A host name: the admin's DNS knows it.
            if (text.All(c => c is > ' ' and < (char)0x7F and not '"'))
            {
                return true;
            }

            notes.Add($"{what} '{text}' is not an address");
            return false;
        }

        var why = ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) ? "a wildcard"
            : IPAddress.IsLoopback(ip) ? "loopback"
            : ip.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6, which 79xx phones do not speak"
            : null;
        if (why is null)
        {
            return true;
        }

        notes.Add(string.Create(CultureInfo.InvariantCulture, $"{what} {text} is {why}"));
        return false;
    }
}
