namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>
/// A parsed load name (spec §3.1): <c>P0S3-08-12-00</c>, <c>P003-08-12-00</c>, <c>P0M3-07-7-00</c>,
/// <c>P00308010200</c>, <c>P0030801SR02</c>, <c>P0S30202</c>, <c>SIP41.9-4-2SR3-1S</c>, <c>SCCP41.9-4-2SR1-1S</c>, and the later
/// series' <c>sip88xx.14-2-1-0001-131</c>, <c>SIP8941_8945.9-3-1-18</c>, <c>SIP69xx.9-4-1-3SR3</c> (spec beyond-79xx A3).
/// <see cref="Name"/> is the name without extension, as <c>loadInformation</c> and <c>image_version</c> carry it.
/// </summary>
public sealed record LoadName(string Name, LoadFamily Family, LoadProtocol Protocol, LoadVersion Version)
{
    // Extensions a phone appends when it asks for a load or its image (spec §3.2).
    private static readonly string[] Extensions = [".loads", ".sbn", ".sb2", ".bin", ".zz"];

    /// <summary>
    /// Parses a load name, with or without one of the image extensions (so a TFTP request such as
    /// <c>SIP41.9-4-2SR3-1S.loads</c> reads as its load). Total: anything else gives false and a reason.
    /// </summary>
    public static bool TryParse(string? text, out LoadName load, out string reason)
    {
        load = new LoadName(string.Empty, LoadFamily.Classic79x0, LoadProtocol.Unknown, new LoadVersion(0, 0, 0));
        if (string.IsNullOrWhiteSpace(text))
        {
            reason = "the load name is empty";
            return false;
        }

        var name = text.Trim();
        if (name.Length > 64)
        {
            reason = $"'{Shorten(name)}' is longer than any load name (64 characters)";
            return false;
        }

        if (Patterns.TermDefault().IsMatch(name) || Patterns.TermDefault().IsMatch(name + ".loads"))
        {
            // Spec §1.5 item 7: termNN.default.loads stands for "the default load of model 79NN", not a load of its own.
            reason = $"'{name}' is a model's default-load file (termNN.default.loads), not a load name";
            return false;
        }

        foreach (var extension in Extensions)
        {
            if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                name = name[..^extension.Length];
                break;
            }
        }

        if (TryClassic(name, out load) || TryJava(name, out load) || TryEnterprise(name, out load))
        {
            reason = string.Empty;
            return true;
        }

        reason = $"'{name}' is not a 7940/7960 load (P0S3-08-12-00, P00308010200), a 79x1 load (SIP41.9-4-2SR3-1S) or a later series' load (sip88xx.14-2-1-0001-131)";
        return false;
    }

    public bool IsSameLoad(string? other) => string.Equals(Name, other, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Name;

    private static bool TryClassic(string name, out LoadName load)
    {
        load = null!;
        var match = Patterns.Classic().Match(name);
        int? maintenance = null;
        int build = 0, release = 0;
        var qualifier = string.Empty;
        var suffix = string.Empty;
        if (match.Success)
        {
            maintenance = int.Parse(match.Groups["maint"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
            suffix = match.Groups["suffix"].Value;
        }
        else if ((match = Patterns.ClassicCompact().Match(name)).Success)
        {
            maintenance = int.Parse(match.Groups["maint"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
            build = int.Parse(match.Groups["build"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
        }
        else if ((match = Patterns.ClassicTagged().Match(name)).Success)
        {
            if (match.Groups["qual"].Success)
            {
                qualifier = match.Groups["qual"].Value.ToUpperInvariant();
                release = int.Parse(match.Groups["rel"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                // P0030702T023: a tagged build of 7.2; the tag orders after plain 7.2(0).
                maintenance = 0;
                suffix = match.Groups["suffix"].Value;
            }
        }
        else if ((match = Patterns.ClassicEarly().Match(name)).Success)
        {
            maintenance = 0;
        }
        else
        {
            return false;
        }

        // Spec §3.1/§2.1: the 3rd character is the protocol: 0 = SCCP, S = SIP, M = MGCP.
        var protocol = char.ToUpperInvariant(match.Groups["p"].Value[0]) switch
        {
            'S' => LoadProtocol.Sip,
            'M' => LoadProtocol.Mgcp,
            _ => LoadProtocol.Sccp,
        };
        var version = new LoadVersion(
            int.Parse(match.Groups["major"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(match.Groups["minor"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture),
            maintenance,
            qualifier,
            release,
            build,
            suffix);
        load = new LoadName(name, LoadFamily.Classic79x0, protocol, version);
        return true;
    }

    private static bool TryJava(string name, out LoadName load)
    {
        load = null!;
        var match = Patterns.Java().Match(name);
        if (!match.Success)
        {
            return false;
        }

        static int Number(System.Text.RegularExpressions.Group group) =>
            group.Success ? int.Parse(group.ValueSpan, System.Globalization.CultureInfo.InvariantCulture) : 0;

        var protocol = match.Groups["p"].Value.Equals("SIP", StringComparison.OrdinalIgnoreCase) ? LoadProtocol.Sip : LoadProtocol.Sccp;
        var version = new LoadVersion(
            Number(match.Groups["major"]),
            Number(match.Groups["minor"]),
            Number(match.Groups["maint"]),
            match.Groups["qual"].Value.ToUpperInvariant(),
            Number(match.Groups["rel"]),
            Number(match.Groups["build"]),
            match.Groups["suffix"].Value);
        load = new LoadName(name, LoadFamily.ForJavaCode(match.Groups["code"].Value), protocol, version);
        return true;
    }

    private static bool TryEnterprise(string name, out LoadName load)
    {
        load = null!;
        var match = Patterns.Enterprise().Match(name);
        if (!match.Success)
        {
            return false;
        }

        static int Number(System.Text.RegularExpressions.Group group) =>
            group.Success ? int.Parse(group.ValueSpan, System.Globalization.CultureInfo.InvariantCulture) : 0;

        // A release tag sits after the maintenance number (12-5-1SR2-2) or, on 69xx loads, after the first build (9-4-1-3SR3).
        var tagged = match.Groups["qual"].Success ? "" : "2";
        var protocol = match.Groups["p"].Value.Equals("SIP", StringComparison.OrdinalIgnoreCase) ? LoadProtocol.Sip : LoadProtocol.Sccp;
        var version = new LoadVersion(
            Number(match.Groups["major"]),
            Number(match.Groups["minor"]),
            Number(match.Groups["maint"]),
            match.Groups["qual" + tagged].Value.ToUpperInvariant(),
            Number(match.Groups["rel" + tagged]),
            Number(match.Groups["build"]),
            string.Empty,
            Number(match.Groups["build2"]));
        load = new LoadName(name, LoadFamily.ForEnterpriseCode(match.Groups["code"].Value), protocol, version);
        return true;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
