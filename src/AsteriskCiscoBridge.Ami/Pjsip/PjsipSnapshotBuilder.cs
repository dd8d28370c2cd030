using System.Collections.Immutable;
using System.Globalization;

namespace AsteriskCiscoBridge.Ami.Pjsip;

/// <summary>Everything one snapshot read returned, as messages (the builder's input).</summary>
/// <param name="EndpointList"><c>EndpointList</c> events of <c>PJSIPShowEndpoints</c>.</param>
/// <param name="AuthList"><c>AuthList</c> events of <c>PJSIPShowAuths</c> (they carry <c>Password</c>).</param>
/// <param name="ContactList"><c>ContactList</c> events of <c>PJSIPShowContacts</c> (registered contacts with User-Agent).</param>
/// <param name="Config">Categories of <c>GetConfig pjsip.conf</c> (empty when the configuration is not file based).</param>
/// <param name="Details">Events of <c>PJSIPShowEndpoint</c>, per endpoint, for the endpoints the lists and the file could not describe.</param>
public sealed record PjsipReadResults(
    IReadOnlyList<AmiMessage> EndpointList,
    IReadOnlyList<AmiMessage> AuthList,
    IReadOnlyList<AmiMessage> ContactList,
    ImmutableArray<ConfigCategory> Config,
    IReadOnlyDictionary<string, IReadOnlyList<AmiMessage>> Details);

/// <summary>
/// Pure functions from AMI answers to a <see cref="PjsipSnapshot"/>. The list actions lack caller id
/// and set_var (see the fixtures: <c>EndpointList</c> has neither); a file-based endpoint gets them
/// from GetConfig, any other endpoint needs a targeted <c>PJSIPShowEndpoint</c>.
/// </summary>
public static class PjsipSnapshotBuilder
{
    /// <summary>
    /// Endpoints that need <c>PJSIPShowEndpoint</c>: those without a <c>type=endpoint</c> section in
    /// pjsip.conf (realtime, or another file), and those whose section disagrees with what Asterisk
    /// has loaded (auth or AOR changed on disk but not reloaded), because the file then cannot be trusted
    /// for caller id and set_var either. Then one endpoint per transport that neither pjsip.conf nor those
    /// reads describe: its <c>TransportDetail</c> says where that transport listens.
    /// </summary>
    public static IReadOnlyList<string> EndpointsNeedingDetail(IReadOnlyList<AmiMessage> endpointList, ImmutableArray<ConfigCategory> config)
    {
        ArgumentNullException.ThrowIfNull(endpointList);
        var sections = EndpointSections(config);
        var needed = new List<string>();
        var described = new HashSet<string>(TransportSections(config).Select(t => t.Name), StringComparer.Ordinal);
        foreach (var e in endpointList)
        {
            var name = e["ObjectName"] ?? string.Empty;
            if (!sections.TryGetValue(name, out var section)
                || !SameList(section.Get("auth"), e["Auths"])
                || !SameList(section.Get("aors"), e["Aor"]))
            {
                needed.Add(name);
                described.Add(e["Transport"] ?? string.Empty);
            }
        }

        foreach (var e in endpointList)
        {
            if (e["Transport"] is { Length: > 0 } transport && described.Add(transport))
            {
                needed.Add(e["ObjectName"] ?? string.Empty);
            }
        }

        return needed;
    }

    /// <summary>Builds the snapshot from complete results.</summary>
    public static PjsipSnapshot Build(PjsipReadResults results, DateTimeOffset takenAt, int actionCount)
    {
        ArgumentNullException.ThrowIfNull(results);
        var sections = EndpointSections(results.Config);
        var auths = new Dictionary<string, AmiMessage>(StringComparer.Ordinal);
        foreach (var a in results.AuthList)
        {
            auths[a["ObjectName"] ?? string.Empty] = a;
        }

        foreach (var detail in results.Details.Values)
        {
            foreach (var a in detail.Where(d => d.EventName == "AuthDetail"))
            {
                auths.TryAdd(a["ObjectName"] ?? string.Empty, a);
            }
        }

        var registered = new Dictionary<string, List<PjsipContact>>(StringComparer.Ordinal);
        foreach (var contact in Contacts(results.ContactList))
        {
            if (!registered.TryGetValue(contact.Aor, out var list))
            {
                registered[contact.Aor] = list = [];
            }

            list.Add(contact);
        }

        var transports = Transports(results);
        var endpoints = ImmutableArray.CreateBuilder<PjsipEndpoint>(results.EndpointList.Count);
        foreach (var e in results.EndpointList.OrderBy(e => e["ObjectName"], StringComparer.Ordinal))
        {
            var name = e["ObjectName"] ?? string.Empty;
            var problems = new List<string>();
            var aors = SplitList(e["Aor"]);
            var authNames = SplitList(e["Auths"]);

            string callerId;
            ImmutableArray<KeyValuePair<string, string>> setVars;
            if (results.Details.TryGetValue(name, out var detailEvents) && detailEvents.FirstOrDefault(d => d.EventName == "EndpointDetail") is { } detail)
            {
                callerId = detail["Callerid"] ?? string.Empty;
                setVars = ParseSetVarList(detail["SetVar"]);
            }
            else if (sections.TryGetValue(name, out var section))
            {
                callerId = section.Get("callerid") ?? string.Empty;
                setVars = [.. section.GetAll("set_var").Select(SplitAssignment)];
            }
            else
            {
                callerId = string.Empty;
                setVars = [];
                problems.Add("neither pjsip.conf nor PJSIPShowEndpoint described this endpoint: caller id and set_var unknown");
            }

            PjsipAuth? auth = null;
            string? notProvisionable = null;
            if (aors.Length == 0)
            {
                notProvisionable = "no AOR: there is nothing a phone could register to";
            }

            if (authNames.Length > 0)
            {
                var authName = authNames[0];
                if (!auths.TryGetValue(authName, out var a))
                {
                    notProvisionable ??= $"auth '{authName}' not found in Asterisk";
                }
                else
                {
                    var type = a["AuthType"] ?? string.Empty;
                    var isPlain = type.Equals("userpass", StringComparison.OrdinalIgnoreCase);
                    auth = new PjsipAuth(authName, a["Username"] is { Length: > 0 } u ? u : name, isPlain ? a["Password"] ?? string.Empty : null, type, a["Realm"] ?? string.Empty);
                    if (type.Equals("md5", StringComparison.OrdinalIgnoreCase))
                    {
                        notProvisionable ??= $"auth '{authName}' is auth_type=md5 (md5_cred): there is no plain password to give a phone";
                    }
                    else if (!isPlain)
                    {
                        notProvisionable ??= $"auth '{authName}' is auth_type={type}: only userpass can be provisioned";
                    }
                }
            }

            var contacts = ImmutableArray.CreateBuilder<PjsipContact>();
            foreach (var aor in aors)
            {
                if (registered.TryGetValue(aor, out var list))
                {
                    contacts.AddRange(list);
                }
            }

            // EndpointList's Contacts ("aor/uri,") also lists static contact= entries, which PJSIPShowContacts omits.
            foreach (var entry in SplitList(e["Contacts"]))
            {
                var slash = entry.IndexOf('/', StringComparison.Ordinal);
                if (slash <= 0)
                {
                    continue;
                }

                var aor = entry[..slash];
                var uri = entry[(slash + 1)..];
                if (!contacts.Any(c => c.Aor == aor && c.Uri == uri))
                {
                    contacts.Add(new PjsipContact(aor, uri, null, null, null));
                }
            }

            var transportName = e["Transport"] ?? string.Empty;
            var (transport, choice) = TransportOf(transportName, transports);
            if (transportName.Length > 0 && transport is null)
            {
                problems.Add($"transport '{transportName}' is not in pjsip.conf and Asterisk did not describe it: where it listens is unknown");
            }

            var parsedCallerId = CallerId.Parse(callerId);
            endpoints.Add(new PjsipEndpoint
            {
                Name = name,
                Aor = aors.Length > 0 ? aors[0] : string.Empty,
                Aors = aors,
                Transport = transportName,
                SipTransport = transport,
                TransportChoice = choice,
                CallerIdName = parsedCallerId.Name,
                CallerIdNumber = parsedCallerId.Number,
                Auth = auth,
                Contacts = contacts.ToImmutable(),
                SetVars = setVars,
                NotProvisionableReason = notProvisionable,
                Problems = [.. problems],
                DeviceState = e["DeviceState"] ?? string.Empty,
            });
        }

        return new PjsipSnapshot
        {
            TakenAt = takenAt,
            Endpoints = endpoints.ToImmutable(),
            Problems = [],
            PhoneprovSections = [.. results.Config.Where(c => c.Type.Equals("phoneprov", StringComparison.OrdinalIgnoreCase))],
            ActionCount = actionCount,
            Transports = transports,
        };
    }

    /// <summary>The registered contacts of <c>PJSIPShowContacts</c>' <c>ContactList</c> events, in order.</summary>
    public static ImmutableArray<PjsipContact> Contacts(IReadOnlyList<AmiMessage> contactList)
    {
        ArgumentNullException.ThrowIfNull(contactList);
        var contacts = ImmutableArray.CreateBuilder<PjsipContact>(contactList.Count);
        foreach (var c in contactList.Where(c => c.EventName is null or "ContactList"))
        {
            contacts.Add(new PjsipContact(ContactAor(c["ObjectName"] ?? string.Empty), c["Uri"] ?? string.Empty, c["UserAgent"], c["CallId"], c["Status"], ExpirationTime(c["ExpirationTime"])));
        }

        return contacts.ToImmutable();
    }

    /// <summary>
    /// A contact's <c>ExpirationTime</c> (epoch seconds, registration-and-notify/02: <c>1795313105</c>), or null
    /// when it is absent, 0 (no expiry) or not a number.
    /// </summary>
    public static DateTimeOffset? ExpirationTime(string? value) =>
        long.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && seconds > 0 && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>
    /// Every transport known: pjsip.conf's sections in file order, each replaced by what a <c>TransportDetail</c>
    /// reported for it (the object Asterisk has loaded), then transports only a <c>TransportDetail</c> described.
    /// </summary>
    private static ImmutableArray<PjsipTransport> Transports(PjsipReadResults results)
    {
        var reported = new SortedDictionary<string, PjsipTransport>(StringComparer.Ordinal);
        foreach (var detail in results.Details.Values)
        {
            foreach (var t in detail.Where(d => d.EventName == "TransportDetail"))
            {
                reported.TryAdd(t["ObjectName"] ?? string.Empty, PjsipTransport.FromDetail(t));
            }
        }

        var all = ImmutableArray.CreateBuilder<PjsipTransport>();
        foreach (var section in TransportSections(results.Config))
        {
            if (all.Any(t => t.Name == section.Name))
            {
                continue;
            }

            all.Add(reported.Remove(section.Name, out var fromDetail) ? fromDetail : PjsipTransport.FromConfig(section));
        }

        all.AddRange(reported.Values);
        return all.ToImmutable();
    }

    private static (PjsipTransport? Transport, PjsipTransportChoice Choice) TransportOf(string name, ImmutableArray<PjsipTransport> transports)
    {
        if (name.Length > 0)
        {
            var named = transports.FirstOrDefault(t => t.Name == name);
            return (named, named is null ? PjsipTransportChoice.None : PjsipTransportChoice.Explicit);
        }

        foreach (var protocol in (ReadOnlySpan<string>)["udp", "tcp", "tls"])
        {
            if (transports.FirstOrDefault(t => t.Protocol == protocol) is { } first)
            {
                return (first, PjsipTransportChoice.FirstOfProtocol);
            }
        }

        return (null, PjsipTransportChoice.None);
    }

    private static IEnumerable<ConfigCategory> TransportSections(ImmutableArray<ConfigCategory> config) =>
        config.IsDefault ? [] : config.Where(c => c.Type.Equals("transport", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Splits <c>PJSIPShowEndpoint</c>'s <c>SetVar</c>, which joins every set_var with commas
    /// (<c>CISCO_MAC=0006D7AA2A2E,CISCO_MODEL=CP-7945G</c>). A piece without <c>=</c> belongs to the
    /// previous value (a value that itself contained a comma).
    /// </summary>
    public static ImmutableArray<KeyValuePair<string, string>> ParseSetVarList(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return [];
        }

        var result = new List<KeyValuePair<string, string>>();
        foreach (var piece in value.Split(','))
        {
            if (piece.Contains('=', StringComparison.Ordinal) || result.Count == 0)
            {
                result.Add(SplitAssignment(piece));
            }
            else
            {
                var last = result[^1];
                result[^1] = new KeyValuePair<string, string>(last.Key, last.Value + "," + piece);
            }
        }

        return [.. result];
    }

    private static KeyValuePair<string, string> SplitAssignment(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        return eq < 0
            ? new KeyValuePair<string, string>(text.Trim(), string.Empty)
            : new KeyValuePair<string, string>(text[..eq].Trim(), text[(eq + 1)..].Trim());
    }

    private static Dictionary<string, ConfigCategory> EndpointSections(ImmutableArray<ConfigCategory> config)
    {
        var sections = new Dictionary<string, ConfigCategory>(StringComparer.Ordinal);
        if (config.IsDefault)
        {
            return sections;
        }

        foreach (var c in config)
        {
            if (c.Type.Equals("endpoint", StringComparison.OrdinalIgnoreCase))
            {
                sections[c.Name] = c;
            }
        }

        return sections;
    }

    // Dynamic contacts are "aor;@hash", static ones "aor@@hash" (see pjsip-show and registration fixtures).
    private static string ContactAor(string objectName)
    {
        var i = objectName.IndexOf(";@", StringComparison.Ordinal);
        if (i < 0)
        {
            i = objectName.IndexOf("@@", StringComparison.Ordinal);
        }

        return i < 0 ? objectName : objectName[..i];
    }

    private static ImmutableArray<string> SplitList(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static bool SameList(string? fromFile, string? live) =>
        SplitList(fromFile).SequenceEqual(SplitList(live), StringComparer.Ordinal);
}
