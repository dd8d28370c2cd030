using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using AsteriskCiscoBridge.Ami.Pjsip;

namespace AsteriskCiscoBridge.Testing.Ami;

/// <summary>A registered contact of a test endpoint; <paramref name="ExpiresAt"/> null lists the recorded <c>ExpirationTime</c>.</summary>
public sealed record AmiTestContact(string Uri, string UserAgent, string CallId, string Status = "Reachable", DateTimeOffset? ExpiresAt = null);

/// <summary>
/// A <c>type=transport</c> section of the test PBX. The lab's (fixtures README) is <c>transport-udp</c>, udp on
/// 127.0.0.1:5060; <paramref name="InConfigFile"/> false is one pjsip.conf does not show (only its <c>TransportDetail</c> does).
/// </summary>
public sealed record AmiTestTransport(string Name, string Protocol = "udp", string Bind = "127.0.0.1:5060", string ExternalSignalingAddress = "", int ExternalSignalingPort = 0, bool InConfigFile = true)
{
    public static AmiTestTransport Lab { get; } = new("transport-udp");
}

/// <summary>One PJSIP endpoint of the test PBX (endpoint + auth + aor + optional phoneprov section).</summary>
public sealed record AmiTestEndpoint
{
    public required string Name { get; init; }

    /// <summary>Auth section name; null for an endpoint without auth.</summary>
    public string? AuthName { get; init; }

    public string Username { get; init; } = string.Empty;

    public string Password { get; init; } = string.Empty;

    public string AuthType { get; init; } = "userpass";

    public string Md5Cred { get; init; } = string.Empty;

    public string Realm { get; init; } = string.Empty;

    /// <summary>Caller id as written in pjsip.conf (GetConfig returns it verbatim).</summary>
    public string CallerId { get; init; } = string.Empty;

    /// <summary>AOR name; null for an endpoint without AOR.</summary>
    public string? Aor { get; init; }

    /// <summary>The endpoint's <c>transport=</c>; empty when it names none.</summary>
    public string Transport { get; init; } = "transport-udp";

    public ImmutableArray<KeyValuePair<string, string>> SetVars { get; init; } = [];

    public ImmutableArray<AmiTestContact> Contacts { get; init; } = [];

    public string? StaticContact { get; init; }

    /// <summary>MAC of a <c>type=phoneprov</c> section for this endpoint, as the admin wrote it.</summary>
    public string? PhoneprovMac { get; init; }

    /// <summary>The phoneprov section's <c>PROFILE=</c> (getconfig/02 has <c>cisco</c>).</summary>
    public string PhoneprovProfile { get; init; } = "cisco";

    /// <summary>The phoneprov section's <c>LINE=</c> (the line's button on the phone), as the admin wrote it; null leaves it out.</summary>
    public string? PhoneprovLine { get; init; }

    /// <summary>False for a realtime endpoint: GetConfig pjsip.conf does not show it.</summary>
    public bool InConfigFile { get; init; } = true;

    public string DeviceState { get; init; } = "Unavailable";

    /// <summary>A typical endpoint: auth <c>{name}-auth</c> userpass, AOR <c>{name}</c>.</summary>
    public static AmiTestEndpoint Plain(string name, string password, string callerId = "") => new()
    {
        Name = name,
        AuthName = name + "-auth",
        Username = name,
        Password = password,
        Aor = name,
        CallerId = callerId,
    };
}

/// <summary>
/// The scriptable PBX behind <see cref="AmiTestServer"/>: endpoints can be added, changed and removed
/// while clients are connected; answers are rendered in the recorded layouts.
/// </summary>
public sealed class AmiTestPbx
{
    private readonly Lock _gate = new();
    private ImmutableSortedDictionary<string, AmiTestEndpoint> _endpoints = ImmutableSortedDictionary.Create<string, AmiTestEndpoint>(StringComparer.Ordinal);
    private ImmutableArray<AmiTestTransport> _transports = [AmiTestTransport.Lab];

    /// <summary>The transports in pjsip.conf order; the lab's <c>transport-udp</c> until set.</summary>
    public ImmutableArray<AmiTestTransport> Transports
    {
        get
        {
            lock (_gate)
            {
                return _transports;
            }
        }

        set
        {
            lock (_gate)
            {
                _transports = value;
            }
        }
    }

    public IReadOnlyList<AmiTestEndpoint> Endpoints
    {
        get
        {
            lock (_gate)
            {
                return [.. _endpoints.Values];
            }
        }
    }

    public void Set(AmiTestEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_gate)
        {
            _endpoints = _endpoints.SetItem(endpoint.Name, endpoint);
        }
    }

    public bool Remove(string name)
    {
        lock (_gate)
        {
            var before = _endpoints.Count;
            _endpoints = _endpoints.Remove(name);
            return _endpoints.Count != before;
        }
    }

    public AmiTestEndpoint? Find(string name)
    {
        lock (_gate)
        {
            return _endpoints.GetValueOrDefault(name);
        }
    }

    /// <summary>The endpoints of the recording lab (fixtures README: 6001–6006, notify-out, two phoneprov sections).</summary>
    public static AmiTestPbx FromRecordedLab()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "Xk7pL2q-6001-Lab", "\"Alice Anders\" <6001>") with { PhoneprovMac = "001122334455" });
        pbx.Set(AmiTestEndpoint.Plain("6002", "Bb-6002-secret!", "Bob Brown <6002>") with { AuthName = "6002" });
        pbx.Set(AmiTestEndpoint.Plain("6003", "zm;6003#utf8", "\"Zoë Müller\" <6003>") with { PhoneprovMac = "0006d7b1c2d3" });
        pbx.Set(AmiTestEndpoint.Plain("6004", "fd6004pw", "Front Desk <6004>") with
        {
            SetVars = [new("CISCO_MAC", "0006D7AA2A2E"), new("CISCO_MODEL", "CP-7945G")],
        });
        pbx.Set(AmiTestEndpoint.Plain("6005", string.Empty, "\"Warehouse\" <6005>") with
        {
            AuthType = "md5",
            Md5Cred = "31ee3d668edd22d2b1f5e7282075960c",
            Realm = "asterisk",
        });
        pbx.Set(new AmiTestEndpoint { Name = "6006", Aor = "6006", CallerId = "Lobby <6006>", StaticContact = "sip:6006@127.0.0.1:5072", DeviceState = "Not in use" });
        pbx.Set(new AmiTestEndpoint { Name = "notify-out" });
        return pbx;
    }

    /// <summary>
    /// <paramref name="count"/> endpoints named 100000+i: every one with a userpass auth and a caller id,
    /// every other one bound by phoneprov, every fifth by set_var ACB_MAC, every tenth registered,
    /// and, when <paramref name="realtimeEvery"/> &gt; 0, every n-th one realtime (not in pjsip.conf).
    /// </summary>
    public static AmiTestPbx Generate(int count, int realtimeEvery = 0)
    {
        var pbx = new AmiTestPbx();
        var builder = ImmutableSortedDictionary.CreateBuilder<string, AmiTestEndpoint>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = (100000 + i).ToString(CultureInfo.InvariantCulture);
            var mac = (0x0006D7000000L + i).ToString("x12", CultureInfo.InvariantCulture);
            var endpoint = AmiTestEndpoint.Plain(name, "pw-" + name + "-Zz9!", $"\"User {i} Ünïcode\" <{name}>") with
            {
                PhoneprovMac = i % 2 == 0 ? mac : null,
                SetVars = i % 5 == 1 ? [new("ACB_MAC", mac.ToUpperInvariant())] : [],
                Contacts = i % 10 == 0 ? [new AmiTestContact($"sip:{name}@10.0.{i / 250 % 250}.{i % 250}:5060", "Cisco-CP7945G/9.4.2", $"{i:x8}@10.0.0.1")] : [],
                InConfigFile = realtimeEvery <= 0 || i % realtimeEvery != 0,
            };
            builder[name] = endpoint;
        }

        pbx._endpoints = builder.ToImmutable();
        return pbx;
    }

    internal static string DetailCallerId(string callerId)
    {
        var parsed = CallerId.Parse(callerId);
        return parsed.Name.Length > 0 ? $"\"{parsed.Name}\" <{parsed.Number}>" : parsed.Number.Length > 0 ? $"<{parsed.Number}>" : string.Empty;
    }

    internal static string EndpointContacts(AmiTestEndpoint e)
    {
        var sb = new StringBuilder();
        foreach (var c in e.Contacts)
        {
            sb.Append(e.Aor).Append('/').Append(c.Uri).Append(',');
        }

        if (e.StaticContact is not null)
        {
            sb.Append(e.Aor).Append('/').Append(e.StaticContact).Append(',');
        }

        return sb.ToString();
    }

    /// <summary>
    /// Renders GetConfig pjsip.conf as Asterisk does (getconfig/02); <paramref name="typeFilter"/> keeps only
    /// categories whose <c>type</c> matches, as <c>Filter: type=phoneprov</c> does (getconfig/05), numbering kept dense.
    /// </summary>
    internal static void RenderGetConfig(StringBuilder sb, string? actionId, IReadOnlyList<AmiTestEndpoint> endpoints, IReadOnlyList<AmiTestTransport> transports, string? typeFilter = null)
    {
        sb.Append("Response: Success\r\n");
        if (actionId is not null)
        {
            sb.Append("ActionID: ").Append(actionId).Append("\r\n");
        }

        var category = 0;
        void Category(string name, params string[] lines)
        {
            if (typeFilter is not null && !lines[0].Equals("type=" + typeFilter, StringComparison.Ordinal))
            {
                return;
            }

            var c = category.ToString("D6", CultureInfo.InvariantCulture);
            sb.Append("Category-").Append(c).Append(": ").Append(name).Append("\r\n");
            for (var l = 0; l < lines.Length; l++)
            {
                sb.Append("Line-").Append(c).Append('-').Append(l.ToString("D6", CultureInfo.InvariantCulture)).Append(": ").Append(lines[l]).Append("\r\n");
            }

            category++;
        }

        Category("global", "type=global", "user_agent=Asterisk PBX (provisioning lab)", "default_outbound_endpoint=notify-out");
        foreach (var t in transports.Where(t => t.InConfigFile))
        {
            var lines = new List<string> { "type=transport", "protocol=" + t.Protocol, "bind=" + t.Bind };
            if (t.ExternalSignalingAddress.Length > 0)
            {
                lines.Add("external_signaling_address=" + t.ExternalSignalingAddress);
            }

            if (t.ExternalSignalingPort > 0)
            {
                lines.Add("external_signaling_port=" + t.ExternalSignalingPort.ToString(CultureInfo.InvariantCulture));
            }

            Category(t.Name, [.. lines]);
        }

        foreach (var e in endpoints.Where(e => e.InConfigFile))
        {
            var lines = new List<string> { "type=endpoint", "context=internal", "disallow=all", "allow=ulaw" };
            if (e.Transport.Length > 0)
            {
                lines.Add("transport=" + e.Transport);
            }

            if (e.AuthName is not null)
            {
                lines.Add("auth=" + e.AuthName);
            }

            if (e.Aor is not null)
            {
                lines.Add("aors=" + e.Aor);
            }

            if (e.CallerId.Length > 0)
            {
                lines.Add("callerid=" + e.CallerId);
            }

            lines.AddRange(e.SetVars.Select(v => "set_var=" + v.Key + "=" + v.Value));
            Category(e.Name, [.. lines]);
            if (e.AuthName is not null)
            {
                Category(e.AuthName, e.AuthType == "md5"
                    ? ["type=auth", "auth_type=md5", "username=" + e.Username, "realm=" + e.Realm, "md5_cred=" + e.Md5Cred]
                    : ["type=auth", "auth_type=" + e.AuthType, "username=" + e.Username, "password=" + e.Password]);
            }

            if (e.Aor is not null)
            {
                Category(e.Aor, e.StaticContact is null ? ["type=aor", "max_contacts=1"] : ["type=aor", "contact=" + e.StaticContact, "qualify_frequency=0"]);
            }
        }

        // getconfig/02: type, endpoint, MAC, PROFILE, then LINE when the admin wrote one.
        foreach (var e in endpoints.Where(e => e.InConfigFile && e.PhoneprovMac is not null))
        {
            string[] phoneprov = ["type=phoneprov", "endpoint=" + e.Name, "MAC=" + e.PhoneprovMac, "PROFILE=" + e.PhoneprovProfile];
            Category(e.Name + "-phone", e.PhoneprovLine is null ? phoneprov : [.. phoneprov, "LINE=" + e.PhoneprovLine]);
        }

        sb.Append("\r\n");
    }
}
