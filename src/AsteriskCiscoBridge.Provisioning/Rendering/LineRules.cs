using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// What must hold before a phone's files can be rendered, and which lines its family's own file can
/// carry. Credentials and SIP users are never changed to fit a file (the phone would fail to
/// register): a line with a value its file cannot carry unchanged is left out, named in a warning,
/// and the phone keeps its other lines. Only the site (Asterisk address and port) and the line count
/// are errors for the whole phone.
/// </summary>
/// <remarks>
/// <para>Per family, for a line's SIP user (extension), auth user and password:</para>
/// <list type="table">
/// <listheader><term>value</term><description><c>SIP&lt;MAC&gt;.cnf</c> (7940/7960, spec §2.2) · <c>SEP&lt;MAC&gt;.cnf.xml</c> (79x1…, spec §2.8)</description></listheader>
/// <item><term><c>"</c></term><description>
/// cnf: refused. Every value is written <c>name: "value"</c> and the format has no escape for a quote
/// inside a quoted value. XML: carried as <c>&amp;quot;</c>.</description></item>
/// <item><term><c>#</c>, <c>;</c></term><description>
/// cnf: carried. <c>#</c> starts a comment only at the start of a line and <c>;</c> only after a value;
/// both stay inside the quotes. XML: carried.</description></item>
/// <item><term><c>&amp; &lt; &gt; '</c></term><description>cnf: carried as they are. XML: escaped as entities.</description></item>
/// <item><term>control characters (U+0000–U+001F, U+007F)</term><description>
/// Both refused. cnf: one parameter per line, so a line break ends the value. XML 1.0 cannot hold
/// most C0 characters, and a parser folds CR and CRLF into LF. The version stamp also relies on no
/// value holding U+0001 (<see cref="PhoneFileSet"/>).</description></item>
/// <item><term>beyond ASCII</term><description>
/// Both refused. cnf: the file is ASCII, so the phone would read <c>?</c>. XML: the file can hold it,
/// but no source says how the phone encodes it into the digest (Asterisk hashes UTF-8 bytes); an
/// unverified credential would fail to register without a word, so it is left out with one.</description></item>
/// <item><term>space</term><description>Both: carried in a password; refused in a SIP user or auth user (no SIP user name holds one).</description></item>
/// <item><term>length</term><description>
/// XML: <c>name</c>, <c>authName</c>, <c>authPassword</c> hold at most 30 characters (spec §2.8). cnf: the
/// spec documents no limit for <c>lineN_*</c> values, so none is applied.</description></item>
/// <item><term>empty</term><description>Both: a SIP user is required; an empty auth user is the SIP user; an empty password is carried.</description></item>
/// </list>
/// <para>
/// The lines that remain keep the order of the binding and are renumbered from button 1. A left-out
/// line is not kept as an empty button: the 7940/7960 treats line 1 as the phone's own (the Cisco SIP
/// administration guide makes <c>line1_authname</c>/<c>line1_password</c> the ones required, and a line
/// without an auth name takes line 1's), and the shapes the spec documents are lines 1..k filled with
/// the rest cleared (§2.2, Elastix) and <c>&lt;line button="1"&gt;</c> onwards (§2.8). A gap, above all at
/// button 1, is a shape no source shows working. Every line carries its own label, so the shift shows
/// on the phone; it lasts until the value is fixed in Asterisk.
/// </para>
/// </remarks>
public static class LineRules
{
    /// <summary>Errors that stop the whole phone: the Asterisk address and port, no line, more lines than buttons.</summary>
    public static IReadOnlyList<string> Check(SiteSettings site, Phone phone)
    {
        var errors = new List<string>();
        // The site's server goes into every phone's site files; each line's into its own file.
        foreach (var server in phone.Lines.Select(l => l.ServerOn(site)).Prepend(site.DefaultServer).DistinctBy(s => (s.Host, s.Port)))
        {
            var host = FieldText.CredentialError(server.Host, SepXmlRenderer.ProcessNodeNameLimit, "the Asterisk address", allowEmpty: false, allowSpace: false);
            if (host is not null)
            {
                errors.Add(host);
            }

            if (server.Port is < 1 or > 65535)
            {
                errors.Add($"the Asterisk port {server.Port} is not 1–65535");
            }
        }

        if (phone.Lines.Count == 0)
        {
            errors.Add($"{phone.Mac} has no line (a phone needs at least one)");
        }

        if (phone.Lines.Count > phone.Model.LineKeys)
        {
            errors.Add($"a {phone.Model.Name} has {phone.Model.LineKeys} line button{(phone.Model.LineKeys == 1 ? "" : "s")}; {phone.Lines.Count} lines given");
        }

        return errors;
    }

    /// <summary>The lines of <paramref name="phone"/> its family's own file cannot carry, in binding order.</summary>
    public static IReadOnlyList<LeftOutLine> LeftOut(Phone phone)
    {
        var family = phone.Model.Family;
        var file = family == PhoneFamily.Sip79x0 ? SipCnfRenderer.FileName(phone.Mac) : SepXmlRenderer.FileName(phone.Mac);
        var left = new List<LeftOutLine>();
        for (var i = 0; i < phone.Lines.Count; i++)
        {
            var line = phone.Lines[i];
            var (nameField, authField, passwordField) = family == PhoneFamily.Sip79x0
                ? ("lineN_name", "lineN_authname", "lineN_password")
                : ("name", "authName", "authPassword");
            var refusal =
                Refusal(family, line.Extension, nameField, userPart: true)
                ?? (string.IsNullOrEmpty(line.AuthUser) ? null : Refusal(family, line.AuthUser, authField, userPart: true))
                ?? Refusal(family, line.Password, passwordField, userPart: false);
            if (refusal is { } r)
            {
                left.Add(new LeftOutLine(i + 1, line, file, r.Field, r.Reason));
            }
        }

        return left;
    }

    private static (string Field, string Reason)? Refusal(PhoneFamily family, string? value, string field, bool userPart)
    {
        var cnf = family == PhoneFamily.Sip79x0;
        if (string.IsNullOrEmpty(value))
        {
            return userPart ? (field, "is empty (the line registers as this SIP user)") : null;
        }

        if (!cnf && value.Length > SepXmlRenderer.LineFieldLimit)
        {
            return (field, $"has {value.Length} characters; the phone takes at most {SepXmlRenderer.LineFieldLimit} (spec §2.8)");
        }

        foreach (var c in value)
        {
            string? why = c switch
            {
                < ' ' or (char)0x7F => cnf
                    ? "a control character, which a cnf value cannot hold (one parameter per line)"
                    : "a control character, which XML 1.0 cannot hold unchanged",
                > (char)0x7F => cnf
                    ? "a character beyond ASCII, which the cnf file cannot hold (the phone would read '?')"
                    : "a character beyond ASCII: no source says the phone hashes it as Asterisk does (UTF-8)",
                '"' when cnf => "which a quoted cnf value cannot hold (the format has no escape for it, spec §2.2)",
                ' ' when userPart => "which a SIP user name cannot hold",
                _ => null,
            };
            if (why is not null)
            {
                var shown = c is < ' ' or >= (char)0x7F ? $"U+{(int)c:X4}" : $"'{c}'";
                return (field, $"contains {shown}, {why}");
            }
        }

        return null;
    }
}
