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

        templates ??= TemplateSet.Empty;
        var dialPlan = siteFiles.Get(DialPlanRenderer.FileName);
        if (phone.Model.Family == PhoneFamily.Sip79x0)
        {
            var template = templates.Find(TemplateNames.SipMac);
            var sipDefault = siteFiles.Get(SipDefaultCnfRenderer.FileName);
            var ringList = siteFiles.Get(RingListRenderer.DatFileName);

            // sync is part of the file it versions: hash the file as it is with an empty sync,
            // together with every other file the phone re-reads when it reboots (spec §4.2).
            var unsynced = SipCnfRenderer.Render(site, phone, "", template);
            var sync = ContentHash.SyncValue(ContentHash.Of(unsynced.File.Content, sipDefault.Content, dialPlan.Content, ringList.Content));
            var own = SipCnfRenderer.Render(site, phone, sync, template);
            RenderedFile[] files =
            [
                siteFiles.Get(Os79xxRenderer.FileName),
                sipDefault,
                own.File,
                siteFiles.Get(SyncInfoRenderer.FileName),
                ringList,
                dialPlan,
            ];
            return new PhoneRenderResult(files, SiteWarnings(siteFiles, files).Concat(own.Warnings).ToArray(), [], sync, null);
        }
        else
        {
            var template = templates.Find(TemplateNames.SepMac);
            var ringList = siteFiles.Get(RingListRenderer.XmlFileName);
            var unstamped = SepXmlRenderer.Render(site, phone, "", template);
            var stamp = ContentHash.VersionStamp(ContentHash.Of(unstamped.File.Content, dialPlan.Content, ringList.Content));
            var own = SepXmlRenderer.Render(site, phone, stamp, template);
            RenderedFile[] files =
            [
                own.File,
                siteFiles.Get(XmlDefaultRenderer.FileName),
                ringList,
                dialPlan,
            ];
            return new PhoneRenderResult(files, SiteWarnings(siteFiles, files).Concat(own.Warnings).ToArray(), [], null, stamp);
        }
    }

    private static IEnumerable<RenderWarning> SiteWarnings(SiteFileSet siteFiles, RenderedFile[] files) =>
        siteFiles.Warnings.Where(w => files.Any(f => f.Name == w.FileName));
}
