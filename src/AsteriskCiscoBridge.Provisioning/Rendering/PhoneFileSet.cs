using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// Every file a phone's family asks for (spec §1.2, §1.5), by the exact name it asks:
/// 7940/7960 — OS79XX.TXT, SIPDefault.cnf, SIP&lt;MAC&gt;.cnf, syncinfo.xml, RINGLIST.DAT, dialplan.xml;
/// 79x1 — SEP&lt;MAC&gt;.cnf.xml, XMLDefault.cnf.xml, Ringlist.xml, dialplan.xml.
/// </summary>
public static class PhoneFileSet
{
    public static PhoneRenderResult Render(SiteSettings site, Phone phone, TemplateSet? templates = null) =>
        Render(site, SiteFileSet.Render(site, templates), phone, templates);

    /// <summary>Renders one phone against site files rendered once for many phones.</summary>
    public static PhoneRenderResult Render(SiteSettings site, SiteFileSet siteFiles, Phone phone, TemplateSet? templates = null)
    {
        var errors = LineRules.Check(site, phone);
        if (errors.Count > 0)
        {
            return PhoneRenderResult.Failed(errors);
        }

        var leftOut = LineRules.LeftOut(phone);
        RenderWarning[] leftOutWarnings = [.. leftOut.Select(l => l.ToWarning())];
        if (leftOut.Count == phone.Lines.Count)
        {
            return new PhoneRenderResult([], leftOutWarnings, [], null, null) { LeftOut = leftOut, CarriesNoLine = true };
        }

        if (leftOut.Count > 0)
        {
            // The rest keep the binding's order from button 1 (why not a gap: LineRules).
            phone = phone with { Lines = [.. phone.Lines.Where((_, i) => !leftOut.Any(l => l.Position == i + 1))] };
        }

        var result = RenderLines(site, siteFiles, phone, templates);
        if (!result.Succeeded)
        {
            return result;
        }

        return result with { Warnings = [.. leftOutWarnings, .. result.Warnings], LeftOut = leftOut };
    }

    private static PhoneRenderResult RenderLines(SiteSettings site, SiteFileSet siteFiles, Phone phone, TemplateSet? templates)
    {
        templates ??= TemplateSet.Empty;
        var dialPlan = siteFiles.Get(DialPlanRenderer.FileName);
        if (phone.Model.Family == PhoneFamily.Sip79x0)
        {
            var template = templates.Find(TemplateNames.SipMac);
            var sipDefault = siteFiles.Get(SipDefaultCnfRenderer.FileName);
            var ringList = siteFiles.Get(RingListRenderer.DatFileName);

            // sync is part of the file it versions: hash the file as it is with an empty sync,
            // together with every other file the phone re-reads when it reboots (spec §4.2).
            string? sync = null;
            var own = Stamped(
                value => SipCnfRenderer.Render(site, phone, value, template),
                template is null,
                unsynced => sync = ContentHash.SyncValue(ContentHash.Of(unsynced, sipDefault.Content, dialPlan.Content, ringList.Content)));
            RenderedFile?[] listed =
            [
                siteFiles.Find(Os79xxRenderer.FileName),
                sipDefault,
                own.File,
                siteFiles.Get(SyncInfoRenderer.FileName),
                ringList,
                dialPlan,
            ];
            var files = listed.OfType<RenderedFile>().ToArray();
            if (TemplateErrors(own, siteFiles, files) is { Count: > 0 } errors)
            {
                return PhoneRenderResult.Failed(errors);
            }

            return new PhoneRenderResult(files, SiteWarnings(siteFiles, files).Concat(own.Warnings).ToArray(), [], sync!, null);
        }
        else
        {
            var template = templates.Find(TemplateNames.SepMac);
            var ringList = siteFiles.Get(RingListRenderer.XmlFileName);
            string? stamp = null;
            var own = Stamped(
                value => SepXmlRenderer.Render(site, phone, value, template),
                template is null,
                unstamped => stamp = ContentHash.VersionStamp(ContentHash.Of(unstamped, dialPlan.Content, ringList.Content)));
            RenderedFile[] files =
            [
                own.File,
                siteFiles.Get(XmlDefaultRenderer.FileName),
                ringList,
                dialPlan,
            ];
            if (TemplateErrors(own, siteFiles, files) is { Count: > 0 } errors)
            {
                return PhoneRenderResult.Failed(errors);
            }

            return new PhoneRenderResult(files, SiteWarnings(siteFiles, files).Concat(own.Warnings).ToArray(), [], null, stamp!);
        }
    }

    /// <summary>
    /// Renders a file that carries its own version: the version is derived from the file as it is
    /// with an empty version. Built-in renderers run once, with a marker byte (U+0001, which no
    /// rendered value can hold: text fields drop control characters and credentials refuse them)
    /// spliced out and then replaced; a template, whose own text might hold anything, renders twice.
    /// </summary>
    private static FileRenderResult Stamped(Func<string, FileRenderResult> render, bool builtIn, Func<byte[], string> version)
    {
        if (!builtIn)
        {
            return render(version(render("").File.Content));
        }

        var marked = render("\u0001");
        var content = marked.File.Content;
        var at = Array.IndexOf(content, (byte)1);
        var unversioned = new byte[content.Length - 1];
        content.AsSpan(0, at).CopyTo(unversioned);
        content.AsSpan(at + 1).CopyTo(unversioned.AsSpan(at));
        var value = System.Text.Encoding.ASCII.GetBytes(version(unversioned));
        var final = new byte[unversioned.Length + value.Length];
        unversioned.AsSpan(0, at).CopyTo(final);
        value.CopyTo(final.AsSpan(at));
        unversioned.AsSpan(at).CopyTo(final.AsSpan(at + value.Length));
        return marked with { File = marked.File with { Content = final } };
    }

    /// <summary>An override template that failed for one of the phone's files: the phone is not rendered anew (it keeps what it was served).</summary>
    private static List<string> TemplateErrors(FileRenderResult own, SiteFileSet siteFiles, RenderedFile[] files) =>
    [
        .. own.TemplateError is { } error ? [error] : Array.Empty<string>(),
        .. files.Select(f => siteFiles.TemplateErrors.GetValueOrDefault(f.Name)).OfType<string>().Distinct(StringComparer.Ordinal),
    ];

    private static IEnumerable<RenderWarning> SiteWarnings(SiteFileSet siteFiles, RenderedFile[] files) =>
        siteFiles.Warnings.Where(w => files.Any(f => f.Name == w.FileName));
}
