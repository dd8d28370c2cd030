namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>Says where a phone is on its load path, compactly: <c>8.3(2) → 8.5(2) → 9.4(2)SR3, next hop 8.5(2)</c>.</summary>
public static class LoadPathText
{
    public static string Describe(string? running, LoadPlan plan, bool pinned)
    {
        var from = Short(running) ?? "?";
        var text = plan.Outcome switch
        {
            LoadPlanOutcome.UpToDate => $"{from}, up to date",
            LoadPlanOutcome.KeepCurrent => $"{from}, kept",
            LoadPlanOutcome.Step when plan.Path.Length > 0 =>
                $"{string.Join(" → ", new[] { from }.Concat(plan.Path.Select(p => Short(p) ?? p)))}, next hop {Short(plan.NextHop)}",
            LoadPlanOutcome.Blocked => $"{from} → {Short(plan.Target) ?? "?"} blocked",
            _ => running is null ? "-" : from,
        };
        return pinned ? text + ", pinned" : text;
    }

    private static string? Short(string? load) =>
        load is null ? null : LoadName.TryParse(load, out var parsed, out _) ? parsed.Version.ToString() : load;
}
