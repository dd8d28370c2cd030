using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace AsteriskCiscoBridge.Provisioning.Model;

/// <summary>Which of a phone's own files a name is.</summary>
public enum PhoneFileKind
{
    /// <summary>A per-phone name of another shape the phones never ask for (<c>SEP&lt;MAC&gt;.tlv</c>, <c>CTLSIP&lt;MAC&gt;.cnf</c>…): it still names a MAC, so a scan with it counts.</summary>
    Other = 0,

    /// <summary><c>SIP&lt;MAC&gt;.cnf</c>, the 7940/7960 configuration (spec §1.2).</summary>
    SipCnf = 1,

    /// <summary><c>SEP&lt;MAC&gt;.cnf.xml</c>, the 79x1 and later configuration (spec §1.5), also signed (<c>.sgn</c>) or encrypted (<c>.enc.sgn</c>).</summary>
    SepCnfXml = 2,

    /// <summary><c>CTLSEP&lt;MAC&gt;.tlv</c>, the phone's certificate trust list.</summary>
    CtlFile = 3,

    /// <summary><c>ITLSEP&lt;MAC&gt;.tlv</c>, the phone's initial trust list.</summary>
    ItlFile = 4,
}

/// <summary>
/// A requested name read as one of a phone's own files: <c>SEP&lt;MAC&gt;.cnf.xml</c>,
/// <c>SIP&lt;MAC&gt;.cnf</c>, <c>CTLSEP</c>/<c>ITLSEP&lt;MAC&gt;.tlv</c> and their <c>.enc</c>/<c>.sgn</c>
/// variants, with the MAC it carries. Any case matches (the file tree is case-insensitive, so a scan
/// in lower case must count the same); a leading folder is allowed and kept apart (a 7940 asks for
/// <c>English_United_States/…</c>). Pure and total: any text gives a name or none.
/// </summary>
/// <param name="Folder">What came before the last <c>/</c>, without it; empty for a bare name.</param>
/// <param name="Name">The name without its folder, as requested.</param>
/// <param name="Mac">The MAC the name carries.</param>
/// <param name="Kind">Which of the phone's files it is.</param>
/// <param name="Encrypted">The name has <c>.enc</c> before its end.</param>
/// <param name="Signed">The name ends in <c>.sgn</c>.</param>
public sealed partial record PhoneFileName(string Folder, string Name, MacAddress Mac, PhoneFileKind Kind, bool Encrypted, bool Signed)
{
    /// <summary>The plain (neither signed nor encrypted) configuration file of a 79x0 or a later phone, asked for without a folder.</summary>
    public bool IsPlainConfig => Folder.Length == 0 && !Encrypted && !Signed && Kind is PhoneFileKind.SipCnf or PhoneFileKind.SepCnfXml;

    /// <summary>Reads <paramref name="requested"/>; false for shared files and anything else.</summary>
    public static bool TryParse(string? requested, [NotNullWhen(true)] out PhoneFileName? file)
    {
        file = null;
        if (string.IsNullOrEmpty(requested))
        {
            return false;
        }

        var slash = requested.LastIndexOf('/');
        var name = requested[(slash + 1)..];
        var match = PerPhoneName().Match(name);
        if (!match.Success || !MacAddress.TryParse(match.Groups["mac"].Value, out var mac))
        {
            return false;
        }

        var trust = match.Groups["trust"].Value.ToUpperInvariant();
        var family = match.Groups["family"].Value.ToUpperInvariant();
        var extension = match.Groups["ext"].Value.ToLowerInvariant();
        var kind = (trust, family, extension) switch
        {
            // The guard has always counted a name with a line feed after it ($ matches before one); it is no file of a phone.
            _ when match.Groups["lf"].Success => PhoneFileKind.Other,
            ("", "SIP", "cnf") => PhoneFileKind.SipCnf,
            ("", "SEP", "cnf.xml") => PhoneFileKind.SepCnfXml,
            ("CTL", "SEP", "tlv") => PhoneFileKind.CtlFile,
            ("ITL", "SEP", "tlv") => PhoneFileKind.ItlFile,
            _ => PhoneFileKind.Other,
        };
        file = new PhoneFileName(slash < 0 ? string.Empty : requested[..slash], name, mac.Value, kind, match.Groups["enc"].Success, match.Groups["sgn"].Success);
        return true;
    }

    /// <summary>The MAC a per-phone file name carries; null for shared files.</summary>
    public static MacAddress? MacIn(string? requested) => TryParse(requested, out var file) ? file.Mac : null;

    [GeneratedRegex(@"^(?<trust>CTL|ITL)?(?<family>SEP|SIP)(?<mac>[0-9A-Fa-f]{12})\.(?<ext>cnf\.xml|cnf|tlv)(?<enc>\.enc)?(?<sgn>\.sgn)?(?<lf>\n)?\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PerPhoneName();
}
