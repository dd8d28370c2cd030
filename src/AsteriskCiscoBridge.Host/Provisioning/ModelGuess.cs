using System.Text.RegularExpressions;
using AsteriskCiscoBridge.Provisioning.Firmware;

namespace AsteriskCiscoBridge.Host.Provisioning;

/// <summary>What the files a phone asked for say of its model.</summary>
/// <param name="Text">For people, e.g. <c>7940/7960 (SIP)</c>.</param>
/// <param name="Models">The models it can be, as <c>acb bind --model</c> takes them (empty: too vague to name one).</param>
internal sealed record ModelGuess(string Text, IReadOnlyList<string> Models)
{
    /// <summary>The one model to bind without asking: the only candidate, or the pair's larger model (same files, more buttons).</summary>
    public string? Pick => Models.Count > 0 ? Models[^1] : null;
}

/// <summary>
/// Guesses a phone's model from the names it asked for (spec §1.2–1.5, §3.1): load names are the
/// strongest sign (<c>P0S3-…</c>: 7940/7960 SIP; <c>SIP41.…</c>, <c>term41.default.loads</c>,
/// <c>jar41sip…sbn</c>: 7941/7961; <c>sip88xx.…</c>: 8811/8841/8851/8861, spec beyond-79xx A3), then
/// <c>SIP&lt;MAC&gt;.cnf</c> (only 7940/7960 on SIP ask it), then <c>ITLSEP&lt;MAC&gt;.tlv</c> (79x1 on 8.5+ and the later
/// series), then <c>SEP&lt;MAC&gt;.cnf.xml</c> (79x1 or a later series, or a 7940/7960 on SCCP or SIP 7.x+). Pure and total.
/// </summary>
internal static partial class ModelGuesser
{
    public static ModelGuess? Guess(IEnumerable<string> fileNames)
    {
        ModelGuess? best = null;
        var rank = int.MaxValue;
        foreach (var path in fileNames)
        {
            var name = Path.GetFileName(path ?? string.Empty);
            var (guess, r) = GuessOne(name);
            if (guess is not null && r < rank)
            {
                (best, rank) = (guess, r);
            }
        }

        return best;
    }

    private static (ModelGuess? Guess, int Rank) GuessOne(string name)
    {
        if (JavaLoad().Match(name) is { Success: true } java && Family(java.Groups["nn"].Value) is { } family)
        {
            var protocol = java.Groups["proto"].Value.ToUpperInvariant() switch
            {
                "SIP" => " (SIP)",
                "SCCP" => " (SCCP)",
                _ => string.Empty,
            };
            return (family with { Text = family.Text + protocol }, 0);
        }

        if (LoadName.TryParse(name, out var load, out _) && load.Family is { Generation: LoadGeneration.Enterprise, Models.Length: > 0 } series)
        {
            var protocol = load.Protocol == LoadProtocol.Sccp ? " (SCCP)" : " (SIP)";
            return (new ModelGuess(series.Title + protocol, [.. series.Models.Select(m => m.ToString(System.Globalization.CultureInfo.InvariantCulture))]), 0);
        }

        if (Load79x0().Match(name) is { Success: true } old)
        {
            var protocol = char.ToUpperInvariant(old.Groups["p"].Value[0]) switch
            {
                'S' => "SIP",
                'M' => "MGCP",
                _ => "SCCP",
            };
            return (new ModelGuess($"7940/7960 ({protocol})", ["7940", "7960"]), 0);
        }

        if (name.StartsWith("SIP", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".cnf", StringComparison.OrdinalIgnoreCase))
        {
            return (new ModelGuess("7940/7960 (SIP)", ["7940", "7960"]), 1);
        }

        if (name.StartsWith("ITL", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".tlv", StringComparison.OrdinalIgnoreCase))
        {
            return (new ModelGuess("79x1/79x2/79x5/797x (firmware 8.5 or later) or a later series (6900/7800/8800/8900/9900)", []), 2);
        }

        if (name.StartsWith("SEP", StringComparison.OrdinalIgnoreCase) && name.Contains(".cnf.xml", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("CTLSEP", StringComparison.OrdinalIgnoreCase))
        {
            return (new ModelGuess("79x1/79x2/79x5/797x or a later series, or a 7940/7960 on SCCP", []), 3);
        }

        return (null, int.MaxValue);
    }

    private static ModelGuess? Family(string nn) => nn switch
    {
        "41" => new ModelGuess("7941/7961", ["7941", "7961"]),
        "61" => new ModelGuess("7961", ["7961"]),
        "42" => new ModelGuess("7942/7962", ["7942", "7962"]),
        "62" => new ModelGuess("7962", ["7962"]),
        "45" => new ModelGuess("7945/7965", ["7945", "7965"]),
        "65" => new ModelGuess("7965", ["7965"]),
        "70" => new ModelGuess("7970/7971", ["7970", "7971"]),
        "71" => new ModelGuess("7971", ["7971"]),
        "75" => new ModelGuess("7975", ["7975"]),
        "11" => new ModelGuess("7911/7906", ["7906", "7911"]),
        "06" => new ModelGuess("7906", ["7906"]),
        _ => null,
    };

    // SIP41.9-4-2SR3-1S.loads, SCCP45.9-…, term41.default.loads, jar41sip.9-…sbn, cvm41sip…, apps41.…, dsp41.…, cnu41.…
    [GeneratedRegex(@"^(?:(?<proto>SIP|SCCP)(?<nn>\d\d)\.|term(?<nn>\d\d)\.default\.loads$|(?:jar|cvm)(?<nn>\d\d)(?<proto>sip|sccp)|(?:apps|dsp|cnu)(?<nn>\d\d)\.)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JavaLoad();

    // P0S3-08-12-00, P0S30800.bin, P00308010200, P0030801SR02, P0M3-…: the third character is the protocol.
    [GeneratedRegex(@"^P0(?<p>[S0M])3", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Load79x0();
}
