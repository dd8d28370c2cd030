using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// <c>syncinfo.xml</c> (spec §2.3, §4.2). The file is the same for every phone, so it cannot hold
/// each phone's own <c>sync</c>; its wildcard entry carries a site token (<c>S</c> + hash of
/// SIPDefault.cnf) that never equals a phone's 16-hex-digit <c>sync</c>. A 7940/7960 that gets
/// <c>check-sync</c> therefore always reboots and re-reads its files; the bridge only sends
/// <c>check-sync</c> to a phone whose files changed.
/// </summary>
public static class SyncInfoRenderer
{
    public const string FileName = "syncinfo.xml";

    public static FileRenderResult Render(SiteSettings site, byte[] sipDefaultContent, FileTemplate? template = null)
    {
        var warnings = new List<RenderWarning>();
        string? templateError = null;
        var token = "S" + ContentHash.SyncValue(ContentHash.Of(sipDefaultContent));
        var text = template is null
            ? new StringBuilder().Append("<SYNCINFO>\n<IMAGE VERSION=\"*\" SYNC=\"").Append(token).Append("\"/>\n</SYNCINFO>\n").ToString()
            : TemplateText.Render(template, new Dictionary<string, string>(StringComparer.Ordinal) { ["sync"] = token, ["load"] = site.Loads.Sip79x0 }, TemplateSyntax.Xml, FileName, warnings, out templateError);
        return new FileRenderResult(new RenderedFile(FileName, FileScope.Site, Encoding.UTF8.GetBytes(text)), warnings) { TemplateError = templateError };
    }
}
