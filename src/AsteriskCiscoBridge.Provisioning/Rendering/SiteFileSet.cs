using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>The files that are the same for every phone of a site, rendered once.</summary>
public sealed record SiteFileSet(IReadOnlyList<RenderedFile> Files, IReadOnlyList<RenderWarning> Warnings)
{
    public RenderedFile Get(string name) => Files.First(f => string.Equals(f.Name, name, StringComparison.Ordinal));

    public static SiteFileSet Render(SiteSettings site, TemplateSet? templates = null)
    {
        templates ??= TemplateSet.Empty;
        var os = Os79xxRenderer.Render(site, templates.Find(TemplateNames.Os79xx));
        var sipDefault = SipDefaultCnfRenderer.Render(site, templates.Find(TemplateNames.SipDefault));
        var outputs = new[]
        {
            os,
            sipDefault,
            SyncInfoRenderer.Render(site, sipDefault.File.Content, templates.Find(TemplateNames.SyncInfo)),
            RingListRenderer.RenderDat(site, templates.Find(TemplateNames.RingListDat)),
            DialPlanRenderer.Render(site, templates.Find(TemplateNames.DialPlan)),
            XmlDefaultRenderer.Render(site, templates.Find(TemplateNames.XmlDefault)),
            RingListRenderer.RenderXml(site, templates.Find(TemplateNames.RingListXml)),
        };
        return new SiteFileSet(outputs.Select(o => o.File).ToArray(), outputs.SelectMany(o => o.Warnings).ToArray());
    }
}
