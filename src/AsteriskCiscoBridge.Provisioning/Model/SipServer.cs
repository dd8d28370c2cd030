namespace AsteriskCiscoBridge.Provisioning.Model;

/// <summary>The protocol a phone sends its SIP over.</summary>
public enum SipTransportProtocol
{
    Udp = 0,
    Tcp = 1,
    Tls = 2,
}

/// <summary>Where a line registers: the address, port and protocol its phone sends SIP to, and why.</summary>
/// <param name="Host">IP address or host name; <see cref="RequestLocalHost"/> for the address the phone reached the bridge at.</param>
/// <param name="Port">SIP port.</param>
/// <param name="Protocol">Transport protocol.</param>
/// <param name="Reason">Where each part came from, for the log and <c>acb render</c> (never rendered into a file).</param>
public sealed record SipServer(string Host, int Port, SipTransportProtocol Protocol, string Reason = "")
{
    /// <summary>
    /// Stands for "the local address the phone's request arrived on" (what res_pjsip_phoneprov_provider puts in
    /// <c>SERVER</c>, spec §7.1), which no stored file can know: the file service replaces it in every file it
    /// serves with the address the request reached. A <c>.invalid</c> name (RFC 6761) never resolves, so a file
    /// that left the bridge some other way cannot point a phone at a stranger.
    /// </summary>
    public const string RequestLocalHost = "acb-local-address.invalid";

    /// <summary>True when <see cref="Host"/> is <see cref="RequestLocalHost"/>.</summary>
    public bool IsRequestLocal => Host == RequestLocalHost;

    /// <summary><c>udp</c>, <c>tcp</c> or <c>tls</c>.</summary>
    public string ProtocolName => Protocol switch
    {
        SipTransportProtocol.Tcp => "tcp",
        SipTransportProtocol.Tls => "tls",
        _ => "udp",
    };

    /// <summary><c>10.0.0.5:5160/udp</c>; the request-local host in words.</summary>
    public string Address => $"{(IsRequestLocal ? "<the address each phone reaches this machine at>" : Host)}:{Port}/{ProtocolName}";

    /// <summary><c>10.0.0.5:5160/udp from transport 'transport-udp' (bind)</c>.</summary>
    public override string ToString() => Reason.Length == 0 ? Address : $"{Address} from {Reason}";
}

/// <summary>
/// Where an endpoint's transport listens, as Asterisk reports it (a PJSIP <c>type=transport</c>), in
/// Provisioning's own terms.
/// </summary>
/// <param name="Name">Transport name.</param>
/// <param name="Protocol"><c>udp</c>, <c>tcp</c>, <c>tls</c>, <c>ws</c>, …</param>
/// <param name="BindHost">Bind address without port; empty or a wildcard when it listens everywhere.</param>
/// <param name="BindPort">Port it listens on.</param>
/// <param name="ExternalAddress"><c>external_signaling_address</c>, or null.</param>
/// <param name="ExternalPort"><c>external_signaling_port</c>, or null.</param>
/// <param name="Implicit">True when the endpoint names no transport and this is the one Asterisk uses for it.</param>
public sealed record SipTransportFacts(
    string Name,
    string Protocol,
    string BindHost,
    int BindPort,
    string? ExternalAddress = null,
    int? ExternalPort = null,
    bool Implicit = false);

/// <summary>The admin's <c>Site:AsteriskHost</c> and <c>Site:AsteriskPort</c>; null when not set (learn them from Asterisk).</summary>
public sealed record SipServerOverrides(string? Host, int? Port)
{
    public static SipServerOverrides None { get; } = new(null, null);
}
