using System.Globalization;
using AsteriskCiscoBridge.Provisioning.Firmware;

namespace AsteriskCiscoBridge.Provisioning.Model;

/// <summary>
/// Guesses a phone's model from the names it asked for (spec §1.2–1.5, §3.1), with the load-name grammars of
/// <see cref="Patterns"/> and the families of <see cref="LoadFamily"/>: load names are the strongest sign
/// (<c>P0S3-…</c>: 7940/7960 SIP; <c>SIP41.…</c>, <c>term41.default.loads</c>, <c>jar41sip…sbn</c>: 7941/7961;
/// <c>sip88xx.…</c>: 8811/8841/8851/8861, spec beyond-79xx A3), then <c>SIP&lt;MAC&gt;.cnf</c> (only 7940/7960 on SIP
/// ask it), then <c>ITLSEP&lt;MAC&gt;.tlv</c> (79x1 on 8.5+ and the later series), then <c>SEP&lt;MAC&gt;.cnf.xml</c>
/// (79x1 or a later series, or a 7940/7960 on SCCP or SIP 7.x+). Pure and total.
/// </summary>
public static class ModelGuesser
{
    public static ModelGuess? Guess(IEnumerable<string> fileNames)
    {
        ArgumentNullException.ThrowIfNull(fileNames);
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
        if (JavaCode(name) is var (code, protocol) && ForJavaCode(code) is { } family)
        {
            return (family with { Text = family.Text + protocol }, 0);
        }

        if (LoadName.TryParse(name, out var load, out _) && load.Family is { Generation: LoadGeneration.Enterprise, Models.Length: > 0 } series)
        {
            return (new ModelGuess(series.Title + (load.Protocol == LoadProtocol.Sccp ? " (SCCP)" : " (SIP)"), Numbers(series.Models)), 0);
        }

        if (Patterns.ClassicPrefix().Match(name) is { Success: true } classic)
        {
            var text = char.ToUpperInvariant(classic.Groups["p"].Value[0]) switch
            {
                'S' => "SIP",
                'M' => "MGCP",
                _ => "SCCP",
            };
            return (new ModelGuess($"{LoadFamily.Classic79x0.Title} ({text})", Numbers(LoadFamily.Classic79x0.Models)), 0);
        }

        if (name.StartsWith("SIP", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".cnf", StringComparison.OrdinalIgnoreCase))
        {
            return (new ModelGuess($"{LoadFamily.Classic79x0.Title} (SIP)", Numbers(LoadFamily.Classic79x0.Models)), 1);
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

    /// <summary>The two-digit code of a 79x1 file name and the protocol it names (" (SIP)", " (SCCP)" or "").</summary>
    private static (string Code, string Protocol)? JavaCode(string name)
    {
        if (Patterns.TermDefault().Match(name) is { Success: true } term)
        {
            return (term.Groups["code"].Value, string.Empty);
        }

        if (Patterns.JavaFileCode().Match(name) is { Success: true } file)
        {
            var protocol = file.Groups["p"].Value.ToUpperInvariant() switch
            {
                "SIP" => " (SIP)",
                "SCCP" => " (SCCP)",
                _ => string.Empty,
            };
            return (file.Groups["code"].Value, protocol);
        }

        return null;
    }

    /// <summary>
    /// A family's code (<c>41</c>: 7941/7961) names the family; a model's own code (<c>61</c>, as in
    /// <c>term61.default.loads</c>) names that model only.
    /// </summary>
    private static ModelGuess? ForJavaCode(string code)
    {
        var model = "79" + code;
        if (!LoadFamily.TryForModel(model, out var family, out _) || family.Generation != LoadGeneration.Java)
        {
            return null;
        }

        return family.Code == code ? new ModelGuess(family.Title, Numbers(family.Models)) : new ModelGuess(model, [model]);
    }

    private static string[] Numbers(IEnumerable<int> models) => [.. models.Select(m => m.ToString(CultureInfo.InvariantCulture))];
}
