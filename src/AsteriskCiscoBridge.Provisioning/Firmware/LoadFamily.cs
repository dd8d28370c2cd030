using System.Collections.Immutable;

namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>Which generation of phone a load is for (spec's family table at the top, §3.1).</summary>
public enum LoadGeneration
{
    /// <summary>7940/7960: single-image loads named P0…, dual boot through OS79XX.TXT.</summary>
    Classic = 1,

    /// <summary>79x1/79x2/79x5/797x (Java): multi-file loads named SIPnn.… / SCCPnn.….</summary>
    Java = 2,

    /// <summary>
    /// The series after the 79xx on enterprise (CUCM) loads: sip78xx.…, sip88xx.…, sip8845_65.…, SIP8941_8945.…,
    /// sip8961.…, sip9951.…, sip9971.…, SIP69xx.… (spec beyond-79xx A3).
    /// </summary>
    Enterprise = 3,
}

/// <summary>
/// A set of phone models that run the same loads: <c>P0…</c> loads run on 7940 and 7960, <c>SIP41.…</c> on
/// 7941 and 7961 (spec §3.1), <c>sip88xx.…</c> on 8811/8841/8851/8861 (beyond-79xx A3). <see cref="Code"/> is the two
/// digits in a Java load name, the family part of a later series' name in lower case (<c>88xx</c>, <c>8941_8945</c>),
/// "" for 7940/7960. <see cref="Prefix"/> is the name's part before the dot as Cisco spells it (<c>sip88xx</c>).
/// </summary>
public sealed record LoadFamily(LoadGeneration Generation, string Code, string Title, ImmutableArray<int> Models, string Prefix = "")
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

    // Spec beyond-79xx A3. The 8845/8865 run their own sip8845_65 loads, not sip88xx; the SCCP 8941/8945 loads are
    // named SCCP894x (read as the same family).
    private static readonly ImmutableArray<LoadFamily> EnterpriseFamilies =
    [
        new(LoadGeneration.Enterprise, "78xx", "7811/7821/7841/7861", [7811, 7821, 7841, 7861], "sip78xx"),
        new(LoadGeneration.Enterprise, "88xx", "8811/8841/8851/8861", [8811, 8841, 8851, 8861], "sip88xx"),
        new(LoadGeneration.Enterprise, "8845_65", "8845/8865", [8845, 8865], "sip8845_65"),
        new(LoadGeneration.Enterprise, "8941_8945", "8941/8945", [8941, 8945], "SIP8941_8945"),
        new(LoadGeneration.Enterprise, "8961", "8961", [8961], "sip8961"),
        new(LoadGeneration.Enterprise, "9951", "9951", [9951], "sip9951"),
        new(LoadGeneration.Enterprise, "9971", "9971", [9971], "sip9971"),
        new(LoadGeneration.Enterprise, "69xx", "6921/6941/6961", [6921, 6941, 6961], "SIP69xx"),
    ];

    /// <summary>Every family the bridge knows models for.</summary>
    public static ImmutableArray<LoadFamily> Known { get; } = [Classic79x0, .. JavaFamilies, .. EnterpriseFamilies];

    /// <summary>The family of a later series' load-name code (<c>88xx</c>, any case); unknown codes give a family with no models.</summary>
    public static LoadFamily ForEnterpriseCode(string code)
    {
        var key = code.ToLowerInvariant() == "894x" ? "8941_8945" : code.ToLowerInvariant();
        foreach (var family in EnterpriseFamilies)
        {
            if (family.Code == key)
            {
                return family;
            }
        }

        // 7832/8832 conference phones and other codes: read, never offered to a model.
        return new LoadFamily(LoadGeneration.Enterprise, key, $"{key} (no supported model)", [], "sip" + key);
    }

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
    /// <c>IP Phone 7960</c>, <c>Cisco-CP8865NR</c>; false for models whose loads the bridge does not know (7902/7905/7912 are out of scope, spec §1.6).
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
