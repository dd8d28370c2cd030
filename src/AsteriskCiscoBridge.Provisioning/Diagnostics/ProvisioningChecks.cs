using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Provisioning.Diagnostics;

/// <summary>How one check came out.</summary>
public enum CheckStatus
{
    Ok = 0,
    Warn = 1,
    Fail = 2,
}

/// <summary>One finding of a check: what it found and, unless OK, what to do about it.</summary>
public sealed record CheckFinding(CheckStatus Status, string Check, string Line, string? Fix = null)
{
    public static CheckFinding Ok(string check, string line) => new(CheckStatus.Ok, check, line);

    public static CheckFinding Warn(string check, string line, string fix) => new(CheckStatus.Warn, check, line, fix);

    public static CheckFinding Fail(string check, string line, string fix) => new(CheckStatus.Fail, check, line, fix);
}

/// <summary>A phone the store holds, as the checks need it.</summary>
public sealed record CheckedPhone(MacAddress Mac, string Model, string? Load = null);

/// <summary>A line the bridge binds to a phone (<c>acb bind</c>), as the checks need it.</summary>
public sealed record CheckedBinding(int Position, string Endpoint, string? Label = null, string? DisplayName = null);

/// <summary>An Asterisk endpoint as the checks need it, with no AMI type in sight.</summary>
/// <param name="NotProvisionableReason">Why no phone line can be made of it; null when one can.</param>
/// <param name="BoundMacs">The MACs Asterisk's configuration binds to it (phoneprov, <c>set_var</c>), as written there.</param>
public sealed record CheckedEndpoint(string Name, string? NotProvisionableReason, string? CallerIdName, IReadOnlyList<ResyncContact> Contacts, IReadOnlyList<string> BoundMacs);

/// <summary>What the checks look at: the store's phones and bindings, Asterisk's endpoints (null: not read) and the site.</summary>
public sealed record ProvisioningCheckFacts(
    IReadOnlyList<CheckedPhone> Phones,
    IReadOnlyDictionary<MacAddress, IReadOnlyList<CheckedBinding>> Bindings,
    IReadOnlyList<CheckedEndpoint>? Endpoints,
    SiteLoads Loads)
{
    /// <summary>The inventory over Asterisk and the store: what the service provisions.</summary>
    public PhoneInventory Inventory { get; init; } = PhoneInventory.Empty;

    public CheckedEndpoint? Find(string endpoint) => Endpoints?.FirstOrDefault(e => e.Name.Equals(endpoint, StringComparison.Ordinal));
}

/// <summary>
/// The checks on what the bridge would hand out (<c>acb doctor</c>): bound endpoints that cannot become a
/// phone line or have no registered contact, a MAC bound to different endpoints in different places, labels
/// longer than the model shows, and firmware loads that phones would be sent but the folder does not hold
/// complete. Pure: the host reads the store, Asterisk and the folder, and prints.
/// </summary>
public static class ProvisioningChecks
{
    public static IReadOnlyList<CheckFinding> Endpoints(ProvisioningCheckFacts facts)
    {
        if (facts.Endpoints is null)
        {
            return [CheckFinding.Warn("endpoints", "not checked: Asterisk's endpoints could not be read", "fix the AMI lines above first")];
        }

        var results = new List<CheckFinding>();
        var bound = BoundEndpoints(facts);
        foreach (var (endpoint, macs) in bound.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            var who = string.Join(", ", macs.Order(StringComparer.Ordinal));
            if (facts.Find(endpoint) is not { } found)
            {
                results.Add(CheckFinding.Fail("endpoints", $"endpoint {endpoint} (bound to {who}) does not exist in Asterisk", $"create it in pjsip.conf or rebind: acb bind {macs.First()} ENDPOINT"));
            }
            else if (found.NotProvisionableReason is { } reason)
            {
                results.Add(CheckFinding.Fail("endpoints", $"endpoint {endpoint} (bound to {who}) cannot be provisioned: {reason}", "give its auth auth_type = userpass and a password: a phone needs the secret itself, an md5_cred cannot be turned back into it"));
            }
        }

        if (results.Count == 0)
        {
            results.Add(CheckFinding.Ok("endpoints", $"{bound.Count} bound endpoint{(bound.Count == 1 ? string.Empty : "s")}, all provisionable"));
        }

        return results;
    }

    /// <summary>
    /// The NOTIFY reaches a phone only through a registered contact: Asterisk answers "NOTIFY sent"
    /// for an endpoint without one and sends nothing (pjsipnotify-errors/08), so say which bound
    /// endpoints have none.
    /// </summary>
    public static CheckFinding Contacts(ProvisioningCheckFacts facts)
    {
        if (facts.Endpoints is null)
        {
            return CheckFinding.Warn("notify.contacts", "not checked: Asterisk's endpoints could not be read", "fix the AMI lines above first");
        }

        var bound = BoundEndpoints(facts).Keys.Where(e => facts.Find(e) is not null).Order(StringComparer.Ordinal).ToList();
        var silent = bound.Where(e => !facts.Find(e)!.Contacts.Any(c => c.IsLive)).ToList();
        if (silent.Count == 0)
        {
            return CheckFinding.Ok("notify.contacts", $"every bound endpoint ({bound.Count}) has a registered contact: a resync reaches its phone");
        }

        var shown = string.Join(", ", silent.Take(10)) + (silent.Count > 10 ? $" and {silent.Count - 10} more" : string.Empty);
        return CheckFinding.Warn("notify.contacts", $"{silent.Count} of {bound.Count} bound endpoints have no registered contact ({shown}): their resync waits until the phone registers", "power the phones on, or check they register (asterisk -rx \"pjsip show contacts\")");
    }

    /// <summary>
    /// What the inventory makes of every binding (Asterisk's phoneprov and set_var, acb bind): how many
    /// phones are provisioned with how many lines, each conflict it found, and endpoints shared by phones.
    /// </summary>
    public static IReadOnlyList<CheckFinding> DuplicateMacs(ProvisioningCheckFacts facts)
    {
        var results = new List<CheckFinding>();
        var phones = facts.Inventory.Phones.Where(p => p.Lines.Length > 0).ToList();
        foreach (var phone in phones)
        {
            foreach (var conflict in phone.Conflicts)
            {
                results.Add(CheckFinding.Warn("bindings", $"{phone.Mac}: {conflict}", conflict.Contains("line button", StringComparison.Ordinal)
                    ? "bind fewer endpoints to it, or give it its real model (set_var=CISCO_MODEL=…)"
                    : "keep one source for it: the Asterisk configuration, or acb bind"));
            }
        }

        var shared = phones
            .SelectMany(p => p.Lines.Select(l => (l.Endpoint, p.Mac)))
            .GroupBy(x => x.Endpoint, StringComparer.Ordinal)
            .Where(g => g.Count() > 1);
        foreach (var group in shared.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            results.Add(CheckFinding.Warn("bindings", $"endpoint {group.Key} is bound to {group.Count()} phones ({string.Join(", ", group.Select(g => g.Mac))}): they register with the same credentials", "give each phone its own endpoint unless the shared line is intended"));
        }

        if (results.Count == 0)
        {
            var fromAsterisk = phones.Count(p => p.IsDeclaredByAsterisk);
            var served = phones.Count(p => p.ServedLines.Count > 0);
            results.Add(CheckFinding.Ok("bindings", $"{phones.Count} phone{(phones.Count == 1 ? string.Empty : "s")} bound ({fromAsterisk} in Asterisk, {phones.Count - fromAsterisk} by acb bind only), {served} provisioned with {phones.Sum(p => p.ServedLines.Count)} lines, no conflicts"));
        }

        return results;
    }

    public static IReadOnlyList<CheckFinding> Labels(ProvisioningCheckFacts facts)
    {
        var results = new List<CheckFinding>();
        var models = facts.Phones.ToDictionary(p => p.Mac, p => PhoneModels.Find(p.Model));
        foreach (var (mac, rows) in facts.Bindings.OrderBy(b => b.Key.Value, StringComparer.Ordinal))
        {
            if (models.GetValueOrDefault(mac) is not { } model)
            {
                continue;
            }

            // SIP<MAC>.cnf's lineN_shortname shows 12 characters; the 79x1 featureLabel 30 (spec §2, §2.3).
            var limit = model.Family == PhoneFamily.Sip79x0 ? SipCnfRenderer.ShortNameLimit : SepXmlRenderer.LineFieldLimit;
            foreach (var row in rows.OrderBy(r => r.Position))
            {
                var label = row.Label ?? row.DisplayName ?? facts.Find(row.Endpoint)?.CallerIdName;
                if (label is not null && label.Length > limit)
                {
                    results.Add(CheckFinding.Warn("labels", $"{mac} line {row.Position} label \"{label}\" has {label.Length} characters; the {model.Name} shows {limit}", $"set a label of at most {limit} characters for endpoint {row.Endpoint} (its callerid name, or the binding's label)"));
                }
            }
        }

        if (results.Count == 0)
        {
            results.Add(CheckFinding.Ok("labels", "every line label fits its phone"));
        }

        return results;
    }

    public static IReadOnlyList<CheckFinding> Firmware(ProvisioningCheckFacts facts, FirmwareCatalog catalog, string folder)
    {
        var results = new List<CheckFinding>();
        foreach (var load in catalog.Loads.Where(l => !l.IsComplete).OrderBy(l => l.Name, StringComparer.Ordinal))
        {
            results.Add(CheckFinding.Fail("firmware", $"load {load.Name} is incomplete: {load.Explain()}", $"import the whole load again: acb firmware import PATH (into {folder})"));
        }

        // Loads the phones would be sent: the site's load for each bound model, and each phone's own.
        var wanted = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var phone in facts.Phones)
        {
            var load = phone.Load ?? (PhoneModels.Find(phone.Model) is { } model ? facts.Loads.For(model) : null);
            if (load is null)
            {
                continue;
            }

            if (!wanted.TryGetValue(load, out var who))
            {
                wanted[load] = who = new SortedSet<string>(StringComparer.Ordinal);
            }

            who.Add(phone.Model);
        }

        foreach (var (load, models) in wanted)
        {
            if (catalog.Find(load) is null)
            {
                results.Add(CheckFinding.Warn("firmware", $"load {load} (for {string.Join(", ", models)}) is not in the firmware folder: those phones keep the load they run", $"acb firmware import the {load} files (into {folder})"));
            }
        }

        if (results.Count == 0)
        {
            results.Add(CheckFinding.Ok("firmware", $"{catalog.Loads.Length} load{(catalog.Loads.Length == 1 ? string.Empty : "s")} in {folder}, all complete; every load the bound phones need is there"));
        }

        return results;
    }

    // Endpoints bound to a phone, by the bridge (acb bind) or by Asterisk's configuration, with the MACs bound to each.
    private static Dictionary<string, HashSet<string>> BoundEndpoints(ProvisioningCheckFacts facts)
    {
        var bound = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        void Add(string endpoint, string mac)
        {
            if (!bound.TryGetValue(endpoint, out var macs))
            {
                bound[endpoint] = macs = new HashSet<string>(StringComparer.Ordinal);
            }

            macs.Add(mac);
        }

        foreach (var (mac, rows) in facts.Bindings)
        {
            foreach (var row in rows)
            {
                Add(row.Endpoint, mac.Value);
            }
        }

        foreach (var endpoint in facts.Endpoints ?? [])
        {
            foreach (var mac in endpoint.BoundMacs)
            {
                Add(endpoint.Name, mac);
            }
        }

        return bound;
    }
}
