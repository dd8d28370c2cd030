using System.Text;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// Whole-file templates an admin puts in the override folder, by template name
/// (<see cref="TemplateNames"/>). The host reads the folder; renderers only see the text.
/// A template is the file's text with <c>{{name}}</c> placeholders.
/// </summary>
public sealed class TemplateSet
{
    private readonly Dictionary<string, string> _templates;

    public TemplateSet(IEnumerable<KeyValuePair<string, string>> templates)
    {
        _templates = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, text) in templates)
        {
            _templates[name] = text;
        }
    }

    public static TemplateSet Empty { get; } = new([]);

    public int Count => _templates.Count;

    public string? Find(string templateName) => _templates.GetValueOrDefault(templateName);
}

/// <summary>The names of override templates, one per file kind.</summary>
public static class TemplateNames
{
    public const string Os79xx = "OS79XX.TXT";
    public const string SipDefault = "SIPDefault.cnf";
    public const string SipMac = "SIP{mac}.cnf";
    public const string SyncInfo = "syncinfo.xml";
    public const string RingListDat = "RINGLIST.DAT";
    public const string DialPlan = "dialplan.xml";
    public const string SepMac = "SEP{mac}.cnf.xml";
    public const string XmlDefault = "XMLDefault.cnf.xml";
    public const string RingListXml = "Ringlist.xml";

    public static IReadOnlyList<string> All { get; } = [Os79xx, SipDefault, SipMac, SyncInfo, RingListDat, DialPlan, SepMac, XmlDefault, RingListXml];
}

/// <summary>How a placeholder's value is written into a template.</summary>
internal enum TemplateSyntax
{
    /// <summary>As is (OS79XX.TXT, RINGLIST.DAT).</summary>
    Plain = 0,

    /// <summary>XML entities.</summary>
    Xml = 1,

    /// <summary>Inside a cnf value's quotes: the values are already cnf-safe.</summary>
    Cnf = 2,
}

internal static class TemplateText
{
    /// <summary>
    /// Replaces each <c>{{name}}</c> with its value; an unknown name becomes empty and is reported.
    /// Values are escaped for <paramref name="syntax"/>.
    /// </summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values, TemplateSyntax syntax, string file, List<RenderWarning> warnings)
    {
        var sb = new StringBuilder(template.Length + 256);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }

            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                sb.Append(template, i, template.Length - i);
                warnings.Add(new RenderWarning(file, "template", $"'{{{{' at offset {open} is never closed; kept as text"));
                break;
            }

            sb.Append(template, i, open - i);
            var name = template[(open + 2)..close].Trim();
            if (values.TryGetValue(name, out var value))
            {
                // A name ending in _xml is a fragment the renderer built and escaped already.
                _ = syntax == TemplateSyntax.Xml && !name.EndsWith("_xml", StringComparison.Ordinal) ? sb.AppendXml(value) : sb.Append(value);
            }
            else
            {
                warnings.Add(new RenderWarning(file, "template", $"unknown placeholder '{{{{{name}}}}}' left empty"));
            }

            i = close + 2;
        }

        return sb.ToString();
    }
}
