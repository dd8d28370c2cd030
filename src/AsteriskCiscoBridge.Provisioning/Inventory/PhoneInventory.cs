using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Inventory;

/// <summary>One line of a phone as the inventory sees it: where it comes from, and whether it is served.</summary>
/// <param name="Origin">For people: <c>phoneprov [6001-phone]</c>, <c>set_var CISCO_MAC on 6004</c>, <c>acb bind</c>.</param>
/// <param name="Line">What the phone is given for it, or null when <paramref name="Problem"/> says why not.</param>
/// <param name="Declaration">For a line from Asterisk: the phoneprov section's name, or the set_var's name (<c>CISCO_MAC</c>).</param>
public sealed record InventoryLine(string Endpoint, LineSource Source, string Origin, LineInput? Line, string? Problem, string? Declaration = null)
{
    /// <summary>True when the line is in the phone's files.</summary>
    public bool IsServed => Line is not null && Problem is null;

    /// <summary>True for a line that Asterisk's configuration declares (phoneprov or set_var).</summary>
    public bool IsFromAsterisk => Source is LineSource.Phoneprov or LineSource.SetVar;
}

/// <summary>One phone: its lines in button order, its model when known, and every conflict found on the way.</summary>
/// <param name="Model">The model, a family's stand-in (<see cref="PhoneFamilies"/>) when only the family is known, or null.</param>
/// <param name="ModelOrigin">For people: where the model was learned (<c>set_var CISCO_MODEL=CP-7945G on 6004</c>).</param>
public sealed record InventoryPhone(
    MacAddress Mac,
    ImmutableArray<InventoryLine> Lines,
    PhoneModel? Model,
    ModelSource ModelSource,
    string? ModelOrigin,
    ImmutableArray<string> Conflicts)
{
    /// <summary>The lines in its files, in button order.</summary>
    public IReadOnlyList<LineInput> ServedLines => [.. Lines.Where(l => l.IsServed).Select(l => l.Line!)];

    /// <summary>The endpoints of the served lines, in button order (where a NOTIFY can reach the phone).</summary>
    public IReadOnlyList<string> ServedEndpoints => [.. Lines.Where(l => l.IsServed).Select(l => l.Endpoint)];

    /// <summary>True when Asterisk's configuration declares at least one of its lines.</summary>
    public bool IsDeclaredByAsterisk => Lines.Any(l => l.IsFromAsterisk);

    /// <summary>The family, when known.</summary>
    public PhoneFamily? Family => Model?.Family;

    /// <summary>True when the exact model is known (not only the family).</summary>
    public bool IsModelKnown => Model is not null && !PhoneFamilies.IsRepresentative(Model);

    /// <summary>Feature keys Asterisk declares for it: <c>set_var=ACB_KEY_N=…</c> on its first endpoint, in the order of N.</summary>
    public ImmutableArray<FeatureKey> Keys { get; init; } = [];
}

/// <summary>
/// Which MAC carries which lines, with what model: the one answer that provisioning rounds, <c>acb
/// phones</c>, <c>acb endpoints</c>, <c>acb doctor</c> and the dashboard all read (DESIGN step 2). Pure.
/// </summary>
/// <remarks>
/// Line sources, in button order: Asterisk's <c>type=phoneprov</c> sections (by <c>LINE</c>, then file
/// order), endpoint <c>set_var=ACB_MAC/CISCO_MAC</c> (by endpoint name), then the bridge's own bindings
/// (<c>acb bind</c>, auto-assignment) by position. One endpoint on one phone is one line, from its first
/// source. Lines past the model's buttons are left out and reported, never cut silently. Model sources:
/// <c>acb bind --model</c>, <c>set_var CISCO_MODEL/ACB_MODEL</c>, a phoneprov <c>PROFILE</c> naming a
/// model, the User-Agent of a registration, then what was learned before (a User-Agent seen earlier, the
/// files the phone asked for).
/// </remarks>
public sealed partial record PhoneInventory(ImmutableArray<InventoryPhone> Phones, bool HasSnapshot)
{
    /// <summary>The variables that name a phone's model on an endpoint, in order of precedence.</summary>
    public static readonly ImmutableArray<string> ModelVariables = ["CISCO_MODEL", "ACB_MODEL"];

    public static PhoneInventory Empty { get; } = new([], false);

    /// <summary>The phone with <paramref name="mac"/>, or null.</summary>
    public InventoryPhone? Find(MacAddress mac)
    {
        foreach (var phone in Phones)
        {
            if (phone.Mac == mac)
            {
                return phone;
            }
        }

        return null;
    }

    /// <summary>Builds the inventory.</summary>
    /// <param name="endpoints">Every endpoint of the last complete snapshot, or null when no snapshot of Asterisk exists yet (bindings then use their recorded line data).</param>
    /// <param name="bindings">The bridge's own bindings.</param>
    /// <param name="stored">What the bridge stored of each known phone's model.</param>
    public static PhoneInventory Build(IReadOnlyList<InventoryEndpoint>? endpoints, IReadOnlyList<BridgeBinding> bindings, IReadOnlyList<StoredModel> stored)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        ArgumentNullException.ThrowIfNull(stored);
        var byName = new Dictionary<string, InventoryEndpoint>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints ?? [])
        {
            byName.TryAdd(endpoint.Name, endpoint);
        }

        var claims = new Dictionary<MacAddress, List<Claim>>();
        foreach (var endpoint in (endpoints ?? []).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            foreach (var declared in endpoint.Macs)
            {
                var (rank, key) = declared.Source == LineSource.Phoneprov ? (0, declared.Line ?? int.MaxValue) : (1, 0);
                Add(claims, declared.Mac, new Claim(rank, key, declared.Order, endpoint.Name, declared.Source, OriginText(declared, endpoint.Name), null, declared.Profile, declared.Origin));
            }
        }

        foreach (var binding in bindings)
        {
            Add(claims, binding.Mac, new Claim(2, binding.Position, 0, binding.Endpoint, binding.Source, binding.Source == LineSource.AutoAssign ? "auto-assignment" : "acb bind", binding.Recorded, null, null));
        }

        var storedByMac = stored.GroupBy(s => s.Mac).ToDictionary(g => g.Key, g => g.First());
        foreach (var mac in storedByMac.Keys)
        {
            claims.TryAdd(mac, []);
        }

        var phones = ImmutableArray.CreateBuilder<InventoryPhone>(claims.Count);
        foreach (var (mac, list) in claims.OrderBy(c => c.Key.Value, StringComparer.Ordinal))
        {
            phones.Add(BuildPhone(mac, list, byName, endpoints is not null, storedByMac.GetValueOrDefault(mac)));
        }

        return new PhoneInventory(phones.ToImmutable(), endpoints is not null);
    }

    /// <summary>The model a User-Agent names (<c>Cisco-CP7962G/9.4.2</c> → 7962, <c>Cisco-CP8865NR/14.2.1</c> → 8865), or null.</summary>
    public static PhoneModel? ModelOfUserAgent(string? userAgent) =>
        UserAgentLoad.TryParse(userAgent, out var model, out _) ? PhoneModels.Find(model.ToString(CultureInfo.InvariantCulture)) : null;

    /// <summary>The model a phoneprov <c>PROFILE</c> names (<c>cisco-7945</c>, <c>CP-7961G</c>), or null for a profile that names none.</summary>
    public static PhoneModel? ModelOfProfile(string? profile) =>
        profile is not null && ModelNumber().Match(profile) is { Success: true } m ? PhoneModels.Find(m.Value) : null;

    /// <summary>The family a phone's own file name shows: <c>SIP&lt;MAC&gt;.cnf</c> (7940/7960), <c>SEP&lt;MAC&gt;.cnf.xml</c> (79x1), else null.</summary>
    public static PhoneFamily? FamilyOfFileName(string fileName) =>
        PhoneFileName.TryParse(fileName, out var file) && !file.Encrypted && !file.Signed
            ? file.Kind switch
            {
                PhoneFileKind.SipCnf => PhoneFamily.Sip79x0,
                PhoneFileKind.SepCnfXml => PhoneFamily.Sip79x1,
                _ => null,
            }
            : null;

    private static InventoryPhone BuildPhone(MacAddress mac, List<Claim> claims, Dictionary<string, InventoryEndpoint> endpoints, bool hasSnapshot, StoredModel? stored)
    {
        var conflicts = ImmutableArray.CreateBuilder<string>();
        var ordered = claims.OrderBy(c => c.Rank).ThenBy(c => c.Key).ThenBy(c => c.Order).ToList();
        var taken = new List<Claim>();
        foreach (var claim in ordered)
        {
            if (taken.Find(t => t.Endpoint == claim.Endpoint) is { } first)
            {
                // The same endpoint declared twice (phoneprov and set_var, or Asterisk and acb bind) is one line.
                if (first.Source != claim.Source && claim.Rank == 2 && first.Rank < 2)
                {
                    conflicts.Add($"endpoint {claim.Endpoint} is bound by {claim.Origin} and by {first.Origin} in Asterisk: one line, from Asterisk");
                }

                continue;
            }

            taken.Add(claim);
        }

        var (model, source, origin) = ResolveModel(taken, endpoints, stored, conflicts);
        var buttons = model?.LineKeys ?? PhoneFamilies.Any79x1.LineKeys;
        var lines = ImmutableArray.CreateBuilder<InventoryLine>(taken.Count);
        var served = 0;
        foreach (var claim in taken)
        {
            LineInput? line;
            string? problem;
            if (!hasSnapshot)
            {
                line = claim.Recorded;
                problem = line is null ? $"no line data for endpoint {claim.Endpoint} yet: the bridge has not read Asterisk" : null;
            }
            else if (!endpoints.TryGetValue(claim.Endpoint, out var endpoint))
            {
                line = null;
                problem = $"endpoint {claim.Endpoint} is not in Asterisk";
            }
            else
            {
                line = endpoint.Line;
                problem = line is null ? $"endpoint {claim.Endpoint} cannot be provisioned: {endpoint.Problem ?? "no plain password"}" : null;
            }

            if (problem is null && served == buttons)
            {
                problem = $"a {model?.Name ?? "phone of unknown model"} has {buttons} line button{(buttons == 1 ? "" : "s")}: {claim.Endpoint} ({claim.Origin}) is line {served + 1} and left out";
                conflicts.Add(problem);
            }

            if (problem is null)
            {
                served++;
            }

            lines.Add(new InventoryLine(claim.Endpoint, claim.Source, claim.Origin, problem is null ? line : null, problem, claim.Declaration));
        }

        var keys = KeysOf(taken, endpoints, conflicts);
        if (model is not null && !PhoneFamilies.IsRepresentative(model) && FeatureKeys.Refusal(model, served, keys) is { } refusal)
        {
            conflicts.Add($"set_var keys: {refusal}; the keys past its buttons are left out");
        }

        return new InventoryPhone(mac, lines.ToImmutable(), model, source, origin, conflicts.ToImmutable()) { Keys = keys };
    }

    /// <summary>
    /// <c>set_var=ACB_KEY_N=speeddial:NUMBER[:LABEL]</c> (or <c>blf:…</c>) on the phone's first endpoint; on a later one it is
    /// named and ignored (one phone, one place for its keys).
    /// </summary>
    private static ImmutableArray<FeatureKey> KeysOf(List<Claim> lines, Dictionary<string, InventoryEndpoint> endpoints, ImmutableArray<string>.Builder conflicts)
    {
        var keys = new List<FeatureKey>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (!endpoints.TryGetValue(lines[i].Endpoint, out var endpoint))
            {
                continue;
            }

            foreach (var (name, value) in endpoint.Variables)
            {
                if (FeatureKeys.IndexOf(name, FeatureKeys.VariablePrefix) is not { } index)
                {
                    continue;
                }

                var origin = $"set_var {name} on {endpoint.Name}";
                if (i > 0)
                {
                    conflicts.Add($"{origin} is ignored: keys are read from the phone's first endpoint, {lines[0].Endpoint}");
                }
                else if (FeatureKeys.Parse(index, value, origin, out var error) is { } key)
                {
                    keys.RemoveAll(k => k.Index == index);
                    keys.Add(key);
                }
                else
                {
                    conflicts.Add($"{origin}: {error}");
                }
            }
        }

        return [.. keys.OrderBy(k => k.Index)];
    }

    private static (PhoneModel? Model, ModelSource Source, string? Origin) ResolveModel(
        List<Claim> lines, Dictionary<string, InventoryEndpoint> endpoints, StoredModel? stored, ImmutableArray<string>.Builder conflicts)
    {
        var candidates = new List<(PhoneModel Model, ModelSource Source, string Origin)>();
        if (stored is { Source: ModelSource.Bind } && PhoneModels.Find(stored.Model) is { } bound)
        {
            candidates.Add((bound, ModelSource.Bind, "acb bind --model"));
        }

        var phoneEndpoints = lines.Select(l => endpoints.GetValueOrDefault(l.Endpoint)).OfType<InventoryEndpoint>().ToList();
        foreach (var endpoint in phoneEndpoints)
        {
            foreach (var variable in ModelVariables)
            {
                if (endpoint.Variable(variable) is { } text)
                {
                    if (PhoneModels.Find(text) is { } named)
                    {
                        candidates.Add((named, ModelSource.SetVar, $"set_var {variable}={text} on {endpoint.Name}"));
                    }
                    else
                    {
                        conflicts.Add($"set_var {variable}={text} on {endpoint.Name} names no supported model (supported: {PhoneModels.Names})");
                    }
                }
            }
        }

        foreach (var line in lines.Where(l => l.Profile is not null))
        {
            if (ModelOfProfile(line.Profile) is { } profiled)
            {
                candidates.Add((profiled, ModelSource.Profile, $"PROFILE={line.Profile} of {line.Origin}"));
            }
        }

        // A shared line's contacts may be other phones: the User-Agents count only when they all name one model.
        var agents = phoneEndpoints.SelectMany(e => e.UserAgents).Select(ua => (Agent: ua, Model: ModelOfUserAgent(ua))).Where(a => a.Model is not null).ToList();
        if (agents.Select(a => a.Model!.Name).Distinct().Count() == 1)
        {
            candidates.Add((agents[0].Model!, ModelSource.UserAgent, $"User-Agent {agents[0].Agent}"));
        }

        if (stored is { Source: ModelSource.UserAgent or ModelSource.Files } && PhoneFamilies.Find(stored.Model) is { } learned)
        {
            candidates.Add((learned, stored.Source, stored.Source == ModelSource.Files ? "the files it asked for" : "a User-Agent seen before"));
        }

        if (candidates.Count == 0)
        {
            return (null, ModelSource.Unknown, null);
        }

        var chosen = candidates[0];
        foreach (var other in candidates.Skip(1))
        {
            // What was learned before (a family, an older User-Agent) is only a fallback: it cannot contradict.
            if (other.Source != chosen.Source && other.Source <= ModelSource.UserAgent && other.Model.Name != chosen.Model.Name)
            {
                conflicts.Add($"model: {chosen.Origin} says {chosen.Model.Name}, {other.Origin} says {other.Model.Name}; {chosen.Model.Name} is used");
            }
        }

        return chosen;
    }

    private static string OriginText(MacDeclaration declared, string endpoint) =>
        declared.Source == LineSource.Phoneprov ? $"phoneprov [{declared.Origin}]" : $"set_var {declared.Origin} on {endpoint}";

    private static void Add(Dictionary<MacAddress, List<Claim>> claims, MacAddress mac, Claim claim)
    {
        if (!claims.TryGetValue(mac, out var list))
        {
            claims[mac] = list = [];
        }

        list.Add(claim);
    }

    [GeneratedRegex(@"(?<!\d)(?:79|78|88|89|99|69)\d\d(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex ModelNumber();

    private sealed record Claim(int Rank, int Key, int Order, string Endpoint, LineSource Source, string Origin, LineInput? Recorded, string? Profile, string? Declaration);
}
