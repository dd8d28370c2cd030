using System.Collections.Immutable;

namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>
/// What the planner knows of one phone: its model, the protocol it was seen speaking (from the files it asks
/// for), the load it runs (null when not learned yet), the site default load for its model and protocol,
/// and a per-phone pin.
/// </summary>
public sealed record LoadPlanRequest(string Model, LoadProtocol Protocol, string? RunningLoad, string? SiteDefault, string? Pin);

public enum LoadPlanOutcome
{
    /// <summary>The phone runs its target: hand it the load it runs.</summary>
    UpToDate = 1,

    /// <summary>The phone should move to <see cref="LoadPlan.NextHop"/> at its next boot.</summary>
    Step = 2,

    /// <summary>No move is planned: hand the phone the load it runs (spec §3.5 "keep current").</summary>
    KeepCurrent = 3,

    /// <summary>The target or a hop is not in the catalog, or incomplete: nothing new is offered.</summary>
    Blocked = 4,

    /// <summary>Nothing is known to hand the phone (no target and no running load, or an unknown model).</summary>
    None = 5,
}

/// <summary>How the next hop reaches the phone (spec §2.1, §1.2, §1.3, §1.5).</summary>
public enum LoadDelivery
{
    None = 0,

    /// <summary>7940/7960 changing protocol: <c>OS79XX.TXT</c> names the image (spec §2.1).</summary>
    Os79xxTxt = 1,

    /// <summary>7940/7960 on SIP (and MGCP): <c>image_version</c> in the SIP config (spec §1.2).</summary>
    ImageVersion = 2,

    /// <summary>79x1, and 7940/7960 on SCCP: <c>loadInformation</c> in <c>SEP&lt;MAC&gt;.cnf.xml</c> (spec §1.3, §1.5, §2.8).</summary>
    LoadInformation = 3,
}

/// <summary>
/// The plan for one phone: the load to hand it now (<see cref="NextHop"/>, one hop per boot), the whole path
/// from its running load to the target (<see cref="Path"/>, excluding the running load), and why.
/// </summary>
public sealed record LoadPlan(LoadPlanOutcome Outcome, string? NextHop, ImmutableArray<string> Path, string? Target, LoadDelivery Delivery, string Reason);

/// <summary>Decides the load a phone gets at its next boot. Pure: the catalog and the rules are values.</summary>
public static class LoadPlanner
{
    private const int MaxHops = 8;

    public static LoadPlan Plan(LoadPlanRequest request, FirmwareCatalog catalog, IReadOnlyList<StaircaseRule>? rules = null)
    {
        rules ??= StaircaseRules.BuiltIn;
        if (!LoadFamily.TryForModel(request.Model, out var family, out _))
        {
            return new LoadPlan(LoadPlanOutcome.None, null, [], null, LoadDelivery.None, $"model '{request.Model}' has no known loads (7940/7960, 79x1 and the 6900/7800/8800/8900/9900 series only)");
        }

        LoadName? running = null;
        var runningNote = "running load unknown";
        if (!string.IsNullOrWhiteSpace(request.RunningLoad))
        {
            if (LoadName.TryParse(request.RunningLoad, out var parsedRunning, out var runningError))
            {
                running = parsedRunning;
            }
            else
            {
                runningNote = $"running load not understood ({runningError})";
            }
        }

        var runningProtocol = running?.Protocol ?? request.Protocol;
        var pinned = !string.IsNullOrWhiteSpace(request.Pin);
        var targetText = pinned ? request.Pin : request.SiteDefault;
        var source = pinned ? "pinned" : "site default";
        if (string.IsNullOrWhiteSpace(targetText))
        {
            return running is null
                ? new LoadPlan(LoadPlanOutcome.None, null, [], null, LoadDelivery.None, "no site default, no pin and no running load known")
                : Keep(running, family, $"no site default or pin for {family}: keeping {running.Name}");
        }

        if (!LoadName.TryParse(targetText, out var target, out var targetError))
        {
            return Blocked(running, family, targetText, $"{source} load: {targetError}");
        }

        if (!target.Family.SameAs(family))
        {
            return Blocked(running, family, target.Name, $"{source} load {target.Name} is for {target.Family}, not {request.Model}");
        }

        if (running is not null && running.IsSameLoad(target.Name))
        {
            return new LoadPlan(LoadPlanOutcome.UpToDate, running.Name, [], target.Name, DeliveryFor(family, runningProtocol, target), $"runs its {source} load {target.Name}");
        }

        var targetEntry = catalog.Find(target.Name);
        if (targetEntry is null || !targetEntry.IsComplete)
        {
            var why = targetEntry is null ? "is not in the firmware folder" : "is incomplete: " + targetEntry.Explain();
            return Blocked(running, family, target.Name, $"{source} load {target.Name} {why}; never offered");
        }

        if (running is not null && !pinned && running.Protocol == target.Protocol && running.Version > target.Version)
        {
            // Spec §3.5: any difference triggers a download, so a newer phone on a site whose default is older
            // would silently downgrade (seed "stuck with a later load"). Only a pin downgrades.
            return Keep(running, family, $"runs {running.Name}, newer than the site default {target.Name}: kept (pin {target.Name} to downgrade, spec §3.5)");
        }

        if (running is null)
        {
            return new LoadPlan(
                LoadPlanOutcome.Step,
                target.Name,
                [target.Name],
                target.Name,
                DeliveryFor(family, runningProtocol, target),
                $"{runningNote}: offered the {source} load {target.Name} directly (staircase not checked until the phone's load is seen)");
        }

        var path = ImmutableArray.CreateBuilder<string>();
        var notes = new List<string>();
        var current = running;
        while (true)
        {
            var rule = rules.FirstOrDefault(r => r.Applies(current, target));
            if (rule is null)
            {
                path.Add(target.Name);
                break;
            }

            var hop = catalog.Loads
                .Where(l => l.IsComplete && l.Load is not null && rule.IsHop(l.Load, target))
                .Select(l => l.Load!)
                .OrderByDescending(l => l.Version)
                .FirstOrDefault();
            if (hop is null)
            {
                path.Add($"({rule.Hop} {rule.HopProtocol ?? target.Protocol})");
                path.Add(target.Name);
                return new LoadPlan(
                    LoadPlanOutcome.Blocked,
                    running.Name,
                    path.ToImmutable(),
                    target.Name,
                    DeliveryFor(family, runningProtocol, running),
                    $"{rule.Reason}: no complete {ProtocolText(rule.HopProtocol ?? target.Protocol)} {rule.Hop} load for {family} in the firmware folder; kept {running.Name}");
            }

            if (path.Count >= MaxHops || path.Any(p => hop.IsSameLoad(p)) || hop.IsSameLoad(current.Name))
            {
                return new LoadPlan(LoadPlanOutcome.Blocked, running.Name, path.ToImmutable(), target.Name, DeliveryFor(family, runningProtocol, running), $"staircase rules loop at {hop.Name} ({rule.Id}); kept {running.Name}");
            }

            path.Add(hop.Name);
            notes.Add(rule.Reason);
            current = hop;
        }

        var next = path[0];
        LoadName.TryParse(next, out var nextLoad, out _);
        var reason = path.Count == 1
            ? $"{source} load {target.Name}"
            : $"{source} load {target.Name} in {path.Count} hops ({string.Join("; ", notes)})";
        if (pinned && running.Protocol == target.Protocol && running.Version > target.Version)
        {
            reason = $"pinned downgrade from {running.Name} to {target.Name} (spec §3.5)";
        }

        return new LoadPlan(LoadPlanOutcome.Step, next, path.ToImmutable(), target.Name, DeliveryFor(family, runningProtocol, nextLoad), reason);
    }

    private static LoadPlan Keep(LoadName running, LoadFamily family, string reason) =>
        new(LoadPlanOutcome.KeepCurrent, running.Name, [], running.Name, DeliveryFor(family, running.Protocol, running), reason);

    private static LoadPlan Blocked(LoadName? running, LoadFamily family, string? target, string reason) =>
        new(
            LoadPlanOutcome.Blocked,
            running?.Name,
            [],
            target,
            running is null ? LoadDelivery.None : DeliveryFor(family, running.Protocol, running),
            running is null ? reason : $"{reason}; kept {running.Name}");

    private static LoadDelivery DeliveryFor(LoadFamily family, LoadProtocol runningProtocol, LoadName next)
    {
        if (family.Generation is LoadGeneration.Java or LoadGeneration.Enterprise)
        {
            // Spec §1.5 item 5 / §2.8 (and beyond-79xx A3 for the later series): both protocols take loadInformation
            // from SEP<MAC>.cnf.xml (XMLDefault as fallback).
            return LoadDelivery.LoadInformation;
        }

        // Spec §2.1: a 7940/7960 compares the first four characters of OS79XX.TXT with its image; a different
        // protocol character makes the universal loader fetch the named image.
        if (runningProtocol != LoadProtocol.Unknown && next.Protocol != runningProtocol)
        {
            return LoadDelivery.Os79xxTxt;
        }

        return (next.Protocol == LoadProtocol.Sccp ? LoadDelivery.LoadInformation : LoadDelivery.ImageVersion);
    }

    private static string ProtocolText(LoadProtocol protocol) => protocol switch
    {
        LoadProtocol.Sip => "SIP",
        LoadProtocol.Sccp => "SCCP",
        LoadProtocol.Mgcp => "MGCP",
        _ => "unknown-protocol",
    };
}
