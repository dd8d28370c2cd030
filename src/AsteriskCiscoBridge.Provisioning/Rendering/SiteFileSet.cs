using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>The files that are the same for every phone of a site, rendered once.</summary>
public sealed record SiteFileSet(IReadOnlyList<RenderedFile> Files, IReadOnlyList<RenderWarning> Warnings)
{
    /// <summary>
    /// Site files whose override template failed, by file name, with the error. <see cref="Files"/> then
    /// holds the built-in file (what an unbound phone is served); a bound phone that reads it is not
    /// rendered anew until the template is fixed (<see cref="PhoneFileSet"/>).
    /// </summary>
    public IReadOnlyDictionary<string, string> TemplateErrors { get; init; } = new Dictionary<string, string>();

    public RenderedFile Get(string name) => Files.First(f => string.Equals(f.Name, name, StringComparison.Ordinal));

    /// <summary>The file, or null when the site has none of that name (OS79XX.TXT when no 7940/7960 load is offered).</summary>
    public RenderedFile? Find(string name) => Files.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));

    public static SiteFileSet Render(SiteSettings site, TemplateSet? templates = null)
    {
        templates ??= TemplateSet.Empty;
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        FileRenderResult Checked(Func<FileTemplate?, FileRenderResult> render, string templateName)
        {
            var output = render(templates.Find(templateName));
            if (output.TemplateError is not { } error)
            {
                return output;
            }

            errors[output.File.Name] = error;
            return render(null);
        }

        var os = Checked(t => Os79xxRenderer.Render(site, t), TemplateNames.Os79xx);
        var sipDefault = Checked(t => SipDefaultCnfRenderer.Render(site, t), TemplateNames.SipDefault);
        // An empty load means none is offered (issue 6: never a load the firmware folder cannot serve
        // whole); without OS79XX.TXT a 7940/7960 gets file-not-found, which is normal (spec §1.1), and
        // keeps the protocol it runs.
        var outputs = new[]
        {
            os,
            sipDefault,
            Checked(t => SyncInfoRenderer.Render(site, sipDefault.File.Content, t), TemplateNames.SyncInfo),
            Checked(t => RingListRenderer.RenderDat(site, t), TemplateNames.RingListDat),
            Checked(t => DialPlanRenderer.Render(site, t), TemplateNames.DialPlan),
            Checked(t => XmlDefaultRenderer.Render(site, t), TemplateNames.XmlDefault),
            Checked(t => RingListRenderer.RenderXml(site, t), TemplateNames.RingListXml),
        };
        var offered = site.Loads.Sip79x0.Length == 0 ? outputs.Skip(1).ToArray() : outputs;
        return new SiteFileSet(offered.Select(o => o.File).ToArray(), offered.SelectMany(o => o.Warnings).ToArray()) { TemplateErrors = errors };
    }
}
