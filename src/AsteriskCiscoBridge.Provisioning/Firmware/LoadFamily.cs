using System.Collections.Immutable;

namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>Which generation of phone a load is for (spec's family table at the top, §3.1).</summary>
public enum LoadGeneration
{
    /// <summary>7940/7960: single-image loads named P0…, dual boot through OS79XX.TXT.</summary>
    Classic = 1,

    /// <summary>79x1/79x2/79x5/797x (Java): multi-file loads named SIPnn.… / SCCPnn.….</summary>
    Java = 2,
}

/// <summary>
/// A set of phone models that run the same loads: <c>P0…</c> loads run on 7940 and 7960, <c>SIP41.…</c> on
/// 7941 and 7961 (spec §3.1). <see cref="Code"/> is the two digits in a Java load name ("" for 7940/7960).
/// </summary>
public sealed record LoadFamily(LoadGeneration Generation, string Code, string Title, ImmutableArray<int> Models)
{
    public static readonly LoadFamily Classic79x0 = new(LoadGeneration.Classic, "", "7940/7960", [7940, 7960]);

    // Spec §3.1: SIP41 (7941/7961), SIP42 (7942/7962), SIP45 (7945/7965), SIP70 (7970/7971), SIP75, SIP11 (7911/7906).
    private static readonly ImmutableArray<LoadFamily> JavaFamilies =
    [
        new(LoadGeneration.Java, "41", "7941/7961", [7941, 7961]),
        new(LoadGeneration.Java, "42", "7942/7962", [7942, 7962]),
        new(LoadGeneration.Java, "45", "7945/7965", [7945, 7965]),
        new(LoadGeneration.Java, "70", "7970/7971", [7970, 7971]),
        new(LoadGeneration.Java, "75", "7975", [7975]),
        new(LoadGeneration.Java, "11", "7906/7911", [7906, 7911]),
    ];

    /// <summary>Every family the bridge knows models for.</summary>
    public static ImmutableArray<LoadFamily> Known { get; } = [Classic79x0, .. JavaFamilies];

    /// <summary>The family of a Java load name's two-digit code; unknown codes give a family with no models.</summary>
    public static LoadFamily ForJavaCode(string code)
    {
        foreach (var family in JavaFamilies)
        {
            if (family.Code == code)
            {
                return family;
            }
        }

        // Old names like sip.9-3-1SR4-1 carry no code (spec §3.1); SCCP40.8-3-1S appears in a seed guide.
        return new LoadFamily(LoadGeneration.Java, code, code.Length == 0 ? "79x1 (no family in name)" : $"79x1 family {code}", []);
    }

    /// <summary>
    /// The family and the model number of a model string such as <c>7961</c>, <c>CP-7961G-GE</c> or
    /// <c>IP Phone 7960</c>; false for models whose loads the bridge does not know (7902/7905/7912 are out of scope, spec §1.6).
    /// </summary>
    public static bool TryForModel(string? model, out LoadFamily family, out int modelNumber)
    {
        family = Classic79x0;
        modelNumber = 0;
        if (string.IsNullOrEmpty(model) || model.Length > 64)
        {
            return false;
        }

        var match = Patterns.ModelNumber().Match(model);
        if (!match.Success || !int.TryParse(match.Groups["n"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture, out modelNumber))
        {
            return false;
        }

        foreach (var candidate in Known)
        {
            if (candidate.Models.Contains(modelNumber))
            {
                family = candidate;
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a load of <paramref name="other"/> runs on the phones of this family.</summary>
    public bool SameAs(LoadFamily other) => Generation == other.Generation && Code == other.Code;

    public override string ToString() => Title;
}
