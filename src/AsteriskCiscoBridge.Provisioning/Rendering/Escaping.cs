using System.Text;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>Writers for the two syntaxes: cnf key–value lines and XML text.</summary>
internal static class Escaping
{
    /// <summary>XML text or attribute content: the five predefined entities.</summary>
    public static StringBuilder AppendXml(this StringBuilder sb, string? value)
    {
        foreach (var c in value ?? "")
        {
            _ = c switch
            {
                '&' => sb.Append("&amp;"),
                '<' => sb.Append("&lt;"),
                '>' => sb.Append("&gt;"),
                '"' => sb.Append("&quot;"),
                '\'' => sb.Append("&apos;"),
                _ => sb.Append(c),
            };
        }

        return sb;
    }

    public static string Xml(string? value) => new StringBuilder().AppendXml(value).ToString();

    /// <summary>
    /// <c>name: "value"</c>. Values are always quoted, so spaces, <c>;</c> and <c>#</c> stay part of
    /// the value (spec §2.2); callers have already removed <c>"</c> and line breaks.
    /// </summary>
    public static StringBuilder AppendCnf(this StringBuilder sb, string name, string value) =>
        sb.Append(name).Append(": \"").Append(value).Append("\"\n");

    /// <summary>An XML element name an admin gave: letters, digits, <c>_</c>, <c>-</c>, <c>.</c>, not starting with a digit, <c>-</c>, <c>.</c> or "xml".</summary>
    public static bool IsXmlName(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
        && !name.StartsWith("xml", StringComparison.OrdinalIgnoreCase);

    /// <summary>A cnf key: letters, digits and <c>_</c>.</summary>
    public static bool IsCnfKey(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
