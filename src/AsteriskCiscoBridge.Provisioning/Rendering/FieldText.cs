using System.Text;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// Makes free text fit a field: characters the target cannot carry are replaced, long values are
/// cut, and each change is reported as a <see cref="RenderWarning"/>.
/// </summary>
internal static class FieldText
{
    /// <summary>
    /// Text for a 7940/7960 cnf value: printable ASCII without <c>"</c> (the format has no escape
    /// for a quote inside a quoted value, spec §2.2). Accented letters lose their accent.
    /// </summary>
    public static string ForCnf(string? value, int maxLength, string file, string field, List<RenderWarning> warnings)
    {
        value ??= "";
        var sb = new StringBuilder(value.Length);
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.Value is >= 0x20 and < 0x7F && rune.Value != '"')
            {
                sb.Append((char)rune.Value);
            }
            else if (rune.Value == '"')
            {
                sb.Append('\'');
                changed.Add("'\"' became \"'\"");
            }
            else if (Rune.IsControl(rune))
            {
                changed.Add($"control character U+{rune.Value:X4} removed");
            }
            else
            {
                var plain = WithoutAccent(rune);
                sb.Append(plain ?? "?");
                changed.Add(plain is null ? $"'{rune}' became '?'" : $"'{rune}' became '{plain}'");
            }
        }

        return Finish(sb.ToString(), maxLength, file, field, warnings, changed, "the 7940/7960 shows ASCII only");
    }

    /// <summary>
    /// Text for an XML element or attribute of a 79x1 file: XML-invalid characters are removed,
    /// characters beyond Latin-1 become <c>?</c> (the phones' fonts stop there). Escaping is the
    /// writer's job, not this one's.
    /// </summary>
    public static string ForXml(string? value, int maxLength, string file, string field, List<RenderWarning> warnings)
    {
        value ??= "";
        var sb = new StringBuilder(value.Length);
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rune in value.EnumerateRunes())
        {
            if (Rune.IsControl(rune))
            {
                changed.Add($"control character U+{rune.Value:X4} removed");
            }
            else if (rune.Value > 0xFF)
            {
                var plain = WithoutAccent(rune);
                sb.Append(plain ?? "?");
                changed.Add(plain is null ? $"'{rune}' became '?'" : $"'{rune}' became '{plain}'");
            }
            else
            {
                sb.Append((char)rune.Value);
            }
        }

        return Finish(sb.ToString(), maxLength, file, field, warnings, changed, "the phone shows Latin-1 only");
    }

    private static string Finish(string text, int maxLength, string file, string field, List<RenderWarning> warnings, SortedSet<string> changed, string why)
    {
        if (changed.Count > 0)
        {
            warnings.Add(new RenderWarning(file, field, $"{string.Join(", ", changed)} ({why})"));
        }

        if (text.Length > maxLength)
        {
            warnings.Add(new RenderWarning(file, field, $"cut to {maxLength} characters from {text.Length}: '{text[maxLength..]}' dropped"));
            text = text[..maxLength];
        }

        return text;
    }

    private static string? WithoutAccent(Rune rune) => AsciiFold.Fold(rune.Value);

    /// <summary>
    /// Checks a credential or SIP user that must reach the phone unchanged: 1–<paramref name="maxLength"/>
    /// printable ASCII characters (space only when <paramref name="allowSpace"/>), never <c>"</c>.
    /// </summary>
    public static string? CredentialError(string? value, int maxLength, string what, bool allowEmpty, bool allowSpace)
    {
        if (string.IsNullOrEmpty(value))
        {
            return allowEmpty ? null : $"{what} is empty";
        }

        if (value.Length > maxLength)
        {
            return $"{what} has {value.Length} characters; the phone takes at most {maxLength}";
        }

        foreach (var c in value)
        {
            if (c is < ' ' or >= (char)0x7F || c == '"' || (c == ' ' && !allowSpace))
            {
                var shown = c is < ' ' or >= (char)0x7F ? $"U+{(int)c:X4}" : $"'{c}'";
                return $"{what} contains {shown}, which the phone's config files cannot carry unchanged";
            }
        }

        return null;
    }
}
