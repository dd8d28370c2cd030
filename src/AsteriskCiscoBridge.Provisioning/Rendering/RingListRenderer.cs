using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// Ring lists: <c>RINGLIST.DAT</c> for 7940/7960 (spec §2.4: display name, TAB, file name) and
/// <c>Ringlist.xml</c> for 79x1 (spec §2.5). Names and file names are cut to 25 characters; at
/// most 50 rings.
/// </summary>
public static class RingListRenderer
{
    public const string DatFileName = "RINGLIST.DAT";
    public const string XmlFileName = "Ringlist.xml";
    public const int NameLimit = 25;
    public const int MaxRings = 50;

    public static FileRenderResult RenderDat(SiteSettings site, FileTemplate? template = null)
    {
        var warnings = new List<RenderWarning>();
        string? templateError = null;
        var sb = new StringBuilder();
        foreach (var (name, fileName) in Rings(site, DatFileName, warnings, FieldText.ForCnf))
        {
            sb.Append(name).Append('\t').Append(fileName).Append('\n');
        }

        var text = template is null ? sb.ToString() : TemplateText.Render(template, new Dictionary<string, string>(StringComparer.Ordinal) { ["rings"] = sb.ToString() }, TemplateSyntax.Plain, DatFileName, warnings, out templateError);
        return new FileRenderResult(new RenderedFile(DatFileName, FileScope.Site, Encoding.ASCII.GetBytes(text)), warnings) { TemplateError = templateError };
    }

    public static FileRenderResult RenderXml(SiteSettings site, FileTemplate? template = null)
    {
        var warnings = new List<RenderWarning>();
        string? templateError = null;
        var sb = new StringBuilder();
        foreach (var (name, fileName) in Rings(site, XmlFileName, warnings, FieldText.ForXml))
        {
            sb.Append("  <Ring>\n    <DisplayName>").AppendXml(name).Append("</DisplayName>\n    <FileName>").AppendXml(fileName).Append("</FileName>\n  </Ring>\n");
        }

        var text = template is null
            ? "<CiscoIPPhoneRingList>\n" + sb + "</CiscoIPPhoneRingList>\n"
            : TemplateText.Render(template, new Dictionary<string, string>(StringComparer.Ordinal) { ["rings_xml"] = sb.ToString() }, TemplateSyntax.Xml, XmlFileName, warnings, out templateError);
        return new FileRenderResult(new RenderedFile(XmlFileName, FileScope.Site, Encoding.UTF8.GetBytes(text)), warnings) { TemplateError = templateError };
    }

    private delegate string Fit(string? value, int maxLength, string file, string field, List<RenderWarning> warnings);

    private static List<(string Name, string FileName)> Rings(SiteSettings site, string file, List<RenderWarning> warnings, Fit fit)
    {
        var rings = new List<(string, string)>();
        for (var i = 0; i < site.Rings.Count; i++)
        {
            if (i == MaxRings)
            {
                warnings.Add(new RenderWarning(file, "Ring", $"{site.Rings.Count - MaxRings} rings after the first {MaxRings} dropped (the phone shows at most {MaxRings})"));
                break;
            }

            var ring = site.Rings[i];

            // A cut or changed file name would name a file that does not exist: drop the ring instead.
            var fileName = ring.FileName;
            if (fileName.Length is 0 or > NameLimit || !fileName.All(c => c is > ' ' and < (char)0x7F && c != '"'))
            {
                warnings.Add(new RenderWarning(file, $"ring {i + 1} file", $"ring '{ring.DisplayName}' dropped: file name '{fileName}' is not 1–{NameLimit} printable ASCII characters without spaces"));
                continue;
            }

            // Control characters (a TAB separates the columns of RINGLIST.DAT) are removed, with a warning.
            var name = fit(ring.DisplayName, NameLimit, file, $"ring {i + 1} name", warnings);
            rings.Add((name, fileName));
        }

        return rings;
    }
}
