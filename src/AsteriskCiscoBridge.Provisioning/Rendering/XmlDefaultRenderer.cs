using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// <c>XMLDefault.cnf.xml</c> (spec §2.7): what a 79x1 without its own SEP file reads (the 8900 admin guide says the
/// same of its series; that the 7800/8800 fall back to it is unconfirmed, spec beyond-79xx A1). It names the Asterisk
/// server and one <c>loadInformationNNN</c> per model (NNN = Cisco device type id, beyond-79xx A2, replaceable with
/// <see cref="SiteSettings.LoadInformationIds"/>), and carries no line and no credential.
/// </summary>
public static class XmlDefaultRenderer
{
    public const string FileName = "XMLDefault.cnf.xml";

    public static FileRenderResult Render(SiteSettings site, FileTemplate? template = null)
    {
        var warnings = new List<RenderWarning>();
        string? templateError = null;
        site = XmlValues.Clean(site, FileName, warnings);
        var loads = new StringBuilder();
        foreach (var model in PhoneModels.All)
        {
            var load = site.Loads.For(model);
            if (string.IsNullOrEmpty(load))
            {
                continue;
            }

            var id = CiscoFileWords.Number(site.LoadInformationId(model));
            loads.Append("  <loadInformation").Append(id).Append(" model=\"").AppendXml(model.DisplayName).Append("\">")
                .AppendXml(FieldText.ForXml(load, int.MaxValue, FileName, $"loadInformation{id}", warnings)).Append("</loadInformation").Append(id).Append(">\n");
        }

        string text;
        if (template is null)
        {
            var sb = new StringBuilder(2048);
            sb.Append("<Default>\n");
            sb.Append("  <callManagerGroup>\n    <members>\n      <member priority=\"0\">\n        <callManager>\n          <ports>\n");
            sb.Append("            <ethernetPhonePort>2000</ethernetPhonePort>\n");
            sb.Append("            <sipPort>").Append(CiscoFileWords.Number(site.AsteriskPort)).Append("</sipPort>\n");
            sb.Append("            <mgcpPorts>\n              <listen>2427</listen>\n              <keepAlive>2428</keepAlive>\n            </mgcpPorts>\n");
            sb.Append("          </ports>\n");
            sb.Append("          <processNodeName>").AppendXml(site.AsteriskHost).Append("</processNodeName>\n");
            sb.Append("        </callManager>\n      </member>\n    </members>\n  </callManagerGroup>\n");
            sb.Append(loads);
            sb.Append("</Default>\n");
            text = sb.ToString();
        }
        else
        {
            var values = XmlValues.Site(site, null);
            values["load_information_xml"] = loads.ToString();
            text = TemplateText.Render(template, values, TemplateSyntax.Xml, FileName, warnings, out templateError);
        }

        return new FileRenderResult(new RenderedFile(FileName, FileScope.Site, Encoding.UTF8.GetBytes(text)), warnings) { TemplateError = templateError };
    }
}
