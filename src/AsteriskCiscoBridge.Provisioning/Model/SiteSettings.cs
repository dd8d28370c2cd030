namespace AsteriskCiscoBridge.Provisioning.Model;

/// <summary>Codec the phone offers first (79x0 <c>preferred_codec</c>, 79x1 <c>preferredCodec</c>).</summary>
public enum PreferredCodec
{
    G711Ulaw = 0,
    G711Alaw = 1,
    G729a = 2,
    None = 3,
}

/// <summary>How DTMF leaves the phone (79x0 <c>dtmf_outofband</c>).</summary>
public enum DtmfOutOfBand
{
    /// <summary>RFC 2833/4733 events when the far end offers them (the phone's default).</summary>
    Avt = 0,

    /// <summary>RFC 2833/4733 events always.</summary>
    AvtAlways = 1,

    /// <summary>In-band audio only.</summary>
    None = 2,
}

/// <summary>What an unbound phone gets when it asks for its own file.</summary>
public enum UnprovisionedPolicy
{
    /// <summary>A credential-free config whose label and line say the phone is unprovisioned.</summary>
    DefaultConfig = 0,

    /// <summary>TFTP "file not found": the phone keeps probing as if no bridge were there.</summary>
    NotFound = 1,
}

/// <summary>One entry of a dial plan (spec §2.6): <c>&lt;TEMPLATE MATCH=… Timeout=…/&gt;</c>.</summary>
/// <param name="Match">Match pattern: digits, <c>.</c> one digit, <c>*</c> any, <c>\*</c> literal star.</param>
/// <param name="Timeout">Seconds to wait after the last digit.</param>
/// <param name="User"><c>Phone</c> or <c>IP</c>, or null to leave it out.</param>
/// <param name="Rewrite">Rewrite pattern, or null.</param>
public sealed record DialRule(string Match, int Timeout, string? User = null, string? Rewrite = null);

/// <summary>One ring tone (spec §2.4, §2.5): a name shown on the phone and a raw file on TFTP.</summary>
public sealed record RingTone(string DisplayName, string FileName);

/// <summary>
/// An admin's extra setting: a cnf key (<c>name: "value"</c>) for 7940/7960 files, or an XML
/// element (<c>&lt;name&gt;value&lt;/name&gt;</c>) added to <c>&lt;device&gt;</c> for 79x1 files.
/// The value is text: it is quoted or escaped like every other value.
/// </summary>
public sealed record ExtraSetting(string Name, string Value);

/// <summary>Load names per model (spec §3.1), without extension.</summary>
public sealed record SiteLoads
{
    /// <summary>The SIP image for 7940/7960, written to OS79XX.TXT and <c>image_version</c>.</summary>
    public string Sip79x0 { get; init; } = "P0S3-08-12-00";

    /// <summary>Loads of the models that read SEP&lt;MAC&gt;.cnf.xml, by model name (<c>7961</c> → <c>SIP41.9-4-2SR3-1S</c>, <c>8841</c> → <c>sip88xx.14-2-1-0001-131</c>).</summary>
    public IReadOnlyDictionary<string, string> Sip79x1 { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["7906"] = "SIP11.9-4-2SR3-1S",
        ["7911"] = "SIP11.9-4-2SR3-1S",
        ["7941"] = "SIP41.9-4-2SR3-1S",
        ["7961"] = "SIP41.9-4-2SR3-1S",
        ["7942"] = "SIP42.9-4-2SR3-1S",
        ["7962"] = "SIP42.9-4-2SR3-1S",
        ["7945"] = "SIP45.9-4-2SR3-1S",
        ["7965"] = "SIP45.9-4-2SR3-1S",
        ["7970"] = "SIP70.9-4-2SR3-1S",
        ["7971"] = "SIP70.9-4-2SR3-1S",
        ["7975"] = "SIP75.9-4-2SR3-1S",
    };

    /// <summary>
    /// True when every bound phone's own file names the load it is offered (the load planner's hop, or the load it
    /// runs to keep it): then <c>SIPDefault.cnf</c> names no <c>image_version</c>, so a phone whose plan offers
    /// nothing (a pin that cannot be honoured, an unknown running load) cannot fall back to the site load.
    /// <c>OS79XX.TXT</c> still names it for phones converting from SCCP.
    /// </summary>
    public bool PerPhone { get; init; }

    /// <summary>The site's load for <paramref name="model"/>, or null when none is configured.</summary>
    public string? For(PhoneModel model) => model.Family == PhoneFamily.Sip79x0
        ? Sip79x0
        : Sip79x1.GetValueOrDefault(model.Name);
}

/// <summary>Everything that is the same for every phone of a site.</summary>
public sealed record SiteSettings
{
    /// <summary>
    /// Address (IP or host name) the phones use to reach Asterisk in the site files and for a line that names no
    /// server of its own. The default stands for the address each phone's request reaches the bridge at
    /// (<see cref="SipServer.RequestLocalHost"/>), filled in when the file is served.
    /// </summary>
    public string AsteriskHost { get; init; } = SipServer.RequestLocalHost;

    /// <summary>Asterisk's SIP port as the phones reach it, in the same cases as <see cref="AsteriskHost"/>.</summary>
    public int AsteriskPort { get; init; } = SipServerResolver.DefaultPort;

    /// <summary>The server of the site files and of a line without one: <see cref="AsteriskHost"/>, <see cref="AsteriskPort"/>, UDP.</summary>
    public SipServer DefaultServer => new(AsteriskHost, AsteriskPort, SipTransportProtocol.Udp, "the site settings");

    public string NtpServer { get; init; } = "pool.ntp.org";

    /// <summary>7940/7960 <c>time_zone</c> code, e.g. <c>GMT</c>, <c>CET</c>, <c>EST</c>.</summary>
    public string TimeZone79x0 { get; init; } = "GMT";

    /// <summary>79x1 <c>timeZone</c> name, e.g. <c>Central Europe Standard/Daylight Time</c>.</summary>
    public string TimeZone79x1 { get; init; } = "GMT Standard/Daylight Time";

    /// <summary>Date shown on the phone: <c>D/M/Y</c>, <c>M/D/Y</c>, <c>Y/M/D</c>…</summary>
    public string DateFormat { get; init; } = "D/M/Y";

    public IReadOnlyList<DialRule> DialPlan { get; init; } = [new DialRule("*", 5)];

    public PreferredCodec Codec { get; init; } = PreferredCodec.G711Ulaw;

    public DtmfOutOfBand DtmfOutOfBand { get; init; } = DtmfOutOfBand.Avt;

    /// <summary>RFC 4733 payload type; 101 matches Asterisk's default.</summary>
    public int DtmfAvtPayload { get; init; } = 101;

    public bool DtmfInband { get; init; }

    /// <summary>7940/7960 <c>telnet_level</c>: 0 off, 1 on, 2 privileged.</summary>
    public int TelnetLevel { get; init; }

    /// <summary>79x1 SSH user; null leaves SSH off.</summary>
    public string? SshUser { get; init; }

    public string? SshPassword { get; init; }

    /// <summary>Settings-menu / telnet password; empty means none.</summary>
    public string PhonePassword { get; init; } = "";

    /// <summary>Number the Messages key dials.</summary>
    public string MessagesNumber { get; init; } = "*97";

    /// <summary>Text at the top right of the display, unless a phone overrides it.</summary>
    public string PhoneLabel { get; init; } = "";

    public IReadOnlyList<RingTone> Rings { get; init; } = [new RingTone("Chirp 1", "Chirp1.raw"), new RingTone("Piano 1", "Piano1.raw")];

    public SiteLoads Loads { get; init; } = new();

    /// <summary>
    /// 79x1 <c>&lt;proxy&gt;</c> value: false writes the Asterisk host, true the CUCM keyword
    /// <c>USECALLMANAGER</c> (spec §2.8: both are seen working).
    /// </summary>
    public bool ProxyUseCallManager { get; init; }

    public UnprovisionedPolicy Unprovisioned { get; init; } = UnprovisionedPolicy.DefaultConfig;

    /// <summary>Extra keys for SIPDefault.cnf (7940/7960); a key the bridge writes is replaced in place.</summary>
    public IReadOnlyList<ExtraSetting> ExtraCnfKeys { get; init; } = [];

    /// <summary>Extra elements for every SEP&lt;MAC&gt;.cnf.xml (79x1), added at the end of <c>&lt;device&gt;</c>.</summary>
    public IReadOnlyList<ExtraSetting> ExtraXmlElements { get; init; } = [];

    /// <summary>
    /// The URL the phone's Directories (Contacts) key opens: <c>directoryURL</c> in SEP&lt;MAC&gt;.cnf.xml, <c>directory_url</c>
    /// in SIP&lt;MAC&gt;.cnf. Null writes neither. May name <see cref="SipServer.RequestLocalHost"/> for the address the
    /// phone reached the bridge at.
    /// </summary>
    public string? DirectoryUrl { get; init; }

    /// <summary>
    /// Device type ids for <c>loadInformationNNN</c> in XMLDefault.cnf.xml that replace the built-in ones, by model
    /// (<c>8865</c> → 36225): the ids with a single source (spec beyond-79xx A2) can be corrected without a release.
    /// </summary>
    public IReadOnlyDictionary<string, int> LoadInformationIds { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>The device type id XMLDefault.cnf.xml uses for <paramref name="model"/>.</summary>
    public int LoadInformationId(PhoneModel model) => LoadInformationIds.TryGetValue(model.Name, out var id) && id > 0 ? id : model.DeviceTypeId;
}
