using System.Globalization;

namespace AsteriskCiscoBridge.Ami.Pjsip;

/// <summary>Where the facts about a transport were read.</summary>
public enum PjsipTransportSource
{
    /// <summary>A <c>TransportDetail</c> event of <c>PJSIPShowEndpoint</c>: the transport object Asterisk has loaded.</summary>
    TransportDetail = 1,

    /// <summary>A <c>type=transport</c> section of pjsip.conf (GetConfig).</summary>
    Config = 2,
}

/// <summary>How an endpoint's transport was found.</summary>
public enum PjsipTransportChoice
{
    /// <summary>No transport is known for the endpoint.</summary>
    None = 0,

    /// <summary>The endpoint names it (<c>transport=</c>).</summary>
    Explicit = 1,

    /// <summary>
    /// The endpoint names none; Asterisk then uses the first configured transport of the protocol it
    /// needs (res_pjsip's <c>transport</c> option documentation), so this is the first one of pjsip.conf,
    /// UDP preferred (what Cisco phones speak by default), then TCP, then TLS.
    /// </summary>
    FirstOfProtocol = 2,
}

/// <summary>A PJSIP transport (<c>type=transport</c>): where Asterisk listens for SIP.</summary>
/// <param name="Name">Section name (<c>transport-udp</c>).</param>
/// <param name="Protocol"><c>udp</c>, <c>tcp</c>, <c>tls</c>, <c>ws</c>, <c>wss</c>, … in lower case.</param>
/// <param name="BindHost">The bind address without port or brackets (<c>0.0.0.0</c>, <c>10.0.0.5</c>, <c>::</c>), empty when none is set.</param>
/// <param name="BindPort">The port it listens on: the bind port, or 5061 for TLS and 5060 otherwise when the bind names none (as res_pjsip does).</param>
/// <param name="ExternalSignalingAddress"><c>external_signaling_address</c>, or null when not set.</param>
/// <param name="ExternalSignalingPort"><c>external_signaling_port</c>, or null when not set (0).</param>
/// <param name="Source">Where these facts were read.</param>
public sealed record PjsipTransport(
    string Name,
    string Protocol,
    string BindHost,
    int BindPort,
    string? ExternalSignalingAddress,
    int? ExternalSignalingPort,
    PjsipTransportSource Source)
{
    /// <summary>
    /// From a <c>TransportDetail</c> event (pjsip-show/03: <c>Protocol: udp</c>, <c>Bind: 127.0.0.1:5060</c>,
    /// <c>ExternalSignalingAddress: </c>, <c>ExternalSignalingPort: 0</c>).
    /// </summary>
    public static PjsipTransport FromDetail(AmiMessage detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return Make(detail["ObjectName"], detail["Protocol"], detail["Bind"], detail["ExternalSignalingAddress"], detail["ExternalSignalingPort"], PjsipTransportSource.TransportDetail);
    }

    /// <summary>From a <c>type=transport</c> section (<c>protocol=</c>, <c>bind=</c>, <c>external_signaling_address=</c>, <c>external_signaling_port=</c>).</summary>
    public static PjsipTransport FromConfig(ConfigCategory section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return Make(section.Name, section.Get("protocol"), section.Get("bind"), section.Get("external_signaling_address"), section.Get("external_signaling_port"), PjsipTransportSource.Config);
    }

    /// <summary>
    /// Splits a bind value: <c>10.0.0.5:5160</c>, <c>0.0.0.0</c>, <c>[::]:5060</c>, <c>::</c>. The port is null
    /// when the value names none, names 0, or is not a port number.
    /// </summary>
    public static (string Host, int? Port) SplitBind(string? bind)
    {
        var text = bind?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return (string.Empty, null);
        }

        if (text[0] == '[')
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return (text[1..], null);
            }

            var rest = text[(close + 1)..];
            return (text[1..close], rest.StartsWith(':') ? Port(rest[1..]) : null);
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || text.IndexOf(':', colon + 1) >= 0)
        {
            // No colon, or several: a bare IPv6 address without a port.
            return (text, null);
        }

        return (text[..colon], Port(text[(colon + 1)..]));
    }

    private static PjsipTransport Make(string? name, string? protocol, string? bind, string? externalAddress, string? externalPort, PjsipTransportSource source)
    {
        // res_pjsip: protocol defaults to udp; a bind without a port listens on 5061 for TLS, 5060 otherwise.
        var proto = string.IsNullOrWhiteSpace(protocol) ? "udp" : protocol.Trim().ToLowerInvariant();
        var (host, port) = SplitBind(bind);
        return new PjsipTransport(
            name ?? string.Empty,
            proto,
            host,
            port ?? (proto == "tls" ? 5061 : 5060),
            string.IsNullOrWhiteSpace(externalAddress) ? null : externalAddress.Trim(),
            Port(externalPort),
            source);
    }

    private static int? Port(string? text) =>
        int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535 ? port : null;
}
