using System.Collections.Immutable;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>
/// The site's default load per model (configuration <c>Firmware:Defaults:MODEL = LOAD</c>, e.g.
/// <c>Firmware:Defaults:7961 = SIP41.9-4-2SR3-1S</c>), and the staircase rules (the built-in ones plus
/// <c>Firmware:Staircase</c>). The load's name says its protocol; the bridge provisions SIP, so a default
/// is normally a SIP load and a phone seen on SCCP or MGCP is led to it (protocol conversion).
/// </summary>
public sealed record SiteLoadDefaults(ImmutableDictionary<string, string> ByModel, ImmutableArray<StaircaseRule> Rules, ImmutableArray<string> Problems)
{
    public static SiteLoadDefaults None { get; } = new(ImmutableDictionary<string, string>.Empty, StaircaseRules.BuiltIn, []);

    /// <summary>
    /// Reads the configured defaults and rules. Total: an unknown model, a name that is not a load, a load
    /// of another family or a rule that does not parse is left out and named in <see cref="Problems"/>.
    /// </summary>
    public static SiteLoadDefaults Parse(IEnumerable<KeyValuePair<string, string?>> defaults, IEnumerable<string?> staircase)
    {
        var problems = ImmutableArray.CreateBuilder<string>();
        var byModel = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in defaults)
        {
            var model = PhoneModels.Find(key);
            if (model is null || !LoadFamily.TryForModel(model.Name, out var family, out _))
            {
                problems.Add($"Firmware:Defaults:{key}: '{key}' is not a model the bridge provisions ({PhoneModels.Names})");
                continue;
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (!LoadName.TryParse(value, out var load, out var reason))
            {
                problems.Add($"Firmware:Defaults:{key}: {reason}");
            }
            else if (!load.Family.SameAs(family))
            {
                problems.Add($"Firmware:Defaults:{key}: {load.Name} is a load for {load.Family}, not the {model.Name}");
            }
            else
            {
                byModel[model.Name] = load.Name;
            }
        }

        // Site rules come first: the planner takes the first rule that applies, so a site rule can
        // narrow or replace what a built-in rule would say.
        var rules = ImmutableArray.CreateBuilder<StaircaseRule>();
        foreach (var text in staircase)
        {
            if (StaircaseRule.TryParse(text, out var rule, out var reason))
            {
                rules.Add(rule);
            }
            else
            {
                problems.Add($"Firmware:Staircase: {reason}");
            }
        }

        rules.AddRange(StaircaseRules.BuiltIn);
        return new SiteLoadDefaults(byModel.ToImmutable(), rules.ToImmutable(), problems.ToImmutable());
    }

    /// <summary>The configured default for a model, or null.</summary>
    public string? For(PhoneModel model) => ByModel.GetValueOrDefault(model.Name);

    /// <summary>
    /// The loads the site files may name (OS79XX.TXT, SIPDefault.cnf, XMLDefault.cnf.xml): each configured
    /// default that the catalog holds complete, and none otherwise (empty for 7940/7960). A load whose files
    /// are incomplete is never offered (issue 6).
    /// </summary>
    public SiteLoads Offered(FirmwareCatalog catalog)
    {
        string? Offer(string? load) => load is not null && catalog.IsOffered(load) ? load : null;

        var classic = Offer(ByModel.GetValueOrDefault(PhoneModels.Cisco7960.Name)) ?? Offer(ByModel.GetValueOrDefault(PhoneModels.Cisco7940.Name));
        var java = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var model in PhoneModels.All.Where(m => m.Family == PhoneFamily.Sip79x1))
        {
            if (Offer(ByModel.GetValueOrDefault(model.Name)) is { } load)
            {
                java[model.Name] = load;
            }
        }

        return new SiteLoads { Sip79x0 = classic ?? string.Empty, Sip79x1 = java };
    }
}
