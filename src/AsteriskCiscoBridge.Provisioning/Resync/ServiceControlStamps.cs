using System.Collections.Immutable;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Resync;

/// <summary>
/// How many version-stamp lines a phone's service-control body carries: its series' default (<see cref="SeriesTraits.VersionStamps"/>:
/// 3 for the 7800/8800, 4 for the others), or the site's <c>Resync:VersionStamps:SERIES</c>. Pure.
/// </summary>
public static class ServiceControlStamps
{
    /// <summary>Config, Dialplan, Softkey and FeatureControl: the usecallmanager patch's body.</summary>
    public const int Full = 4;

    /// <summary>The lines for a phone of <paramref name="model"/> (a family's stand-in, or null when unknown: the 79x1's four).</summary>
    public static int For(PhoneModel? model, IReadOnlyDictionary<string, int>? configured)
    {
        var traits = (model ?? PhoneFamilies.Any79x1).Traits;
        return configured is not null && configured.FirstOrDefault(c => string.Equals(c.Key, traits.Key, StringComparison.OrdinalIgnoreCase)) is { Key: not null } set
            ? set.Value
            : traits.VersionStamps;
    }

    /// <summary>What is wrong with <c>Resync:VersionStamps</c>: a key that names no series, a count outside 0–4. Empty when it is right.</summary>
    public static ImmutableArray<string> Problems(IReadOnlyDictionary<string, int>? configured)
    {
        var problems = ImmutableArray.CreateBuilder<string>();
        foreach (var (key, value) in configured ?? new Dictionary<string, int>())
        {
            if (SeriesTraits.FindKey(key) is not { VersionStamps: > 0 })
            {
                problems.Add($"Resync:VersionStamps:{key}: not a series that takes service-control ({string.Join(", ", SeriesTraits.All.Where(t => t.VersionStamps > 0).Select(t => t.Key))})");
            }
            else if (value is < 0 or > Full)
            {
                problems.Add($"Resync:VersionStamps:{key}: {value} is not 0–{Full} (Config, Dialplan, Softkey, FeatureControl, in that order)");
            }
        }

        return problems.ToImmutable();
    }
}
