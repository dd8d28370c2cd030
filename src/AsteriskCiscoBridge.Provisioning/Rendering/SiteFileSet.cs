using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>The files that are the same for every phone of a site, rendered once.</summary>
public sealed record SiteFileSet(IReadOnlyList<RenderedFile> Files, IReadOnlyList<RenderWarning> Warnings)
{
    public RenderedFile Get(string name) => Files.First(f => string.Equals(f.Name, name, StringComparison.Ordinal));

    /// <summary>The file, or null when the site has none of that name (OS79XX.TXT when no 7940/7960 load is offered).</summary>
    public RenderedFile? Find(string name) => Files.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));

    public static SiteFileSet Render(SiteSettings site, TemplateSet? templates = null)
    {
        templates ??= TemplateSet.Empty;
        var os = Os79xxRenderer.Render(site, templates.Find(TemplateNames.Os79xx));
        var sipDefault = SipDefaultCnfRenderer.Render(site, templates.Find(TemplateNames.SipDefault));
        // An empty load means none is offered (issue 6: never a load the firmware folder cannot serve
        // whole); without OS79XX.TXT a 7940/7960 gets file-not-found, which is normal (spec §1.1), and
        // keeps the protocol it runs.
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
        var offered = site.Loads.Sip79x0.Length == 0 ? outputs.Skip(1).ToArray() : outputs;
        return new SiteFileSet(offered.Select(o => o.File).ToArray(), offered.SelectMany(o => o.Warnings).ToArray());
    }
}
