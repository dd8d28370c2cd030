using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// <c>dialplan.xml</c> (spec §2.6) in the 7940 form both families read: root <c>DIALTEMPLATE</c>,
/// upper-case <c>TEMPLATE</c>, attributes <c>MATCH</c>, <c>Timeout</c>, <c>User</c>, <c>Rewrite</c>.
/// </summary>
public static class DialPlanRenderer
{
    public const string FileName = "dialplan.xml";

    public static FileRenderResult Render(SiteSettings site, FileTemplate? template = null)
    {
        var warnings = new List<RenderWarning>();
        string? templateError = null;
        var sb = new StringBuilder();
        for (var i = 0; i < site.DialPlan.Count; i++)
        {
            var rule = site.DialPlan[i];
            var field = $"TEMPLATE {i + 1}";
            sb.Append("  <TEMPLATE MATCH=\"").AppendXml(FieldText.ForCnf(rule.Match, int.MaxValue, FileName, field + " MATCH", warnings)).Append('"');
            var timeout = rule.Timeout;
            if (timeout < 0)
            {
                warnings.Add(new RenderWarning(FileName, field + " Timeout", $"{timeout} is negative; 0 written"));
                timeout = 0;
            }

            sb.Append(" Timeout=\"").Append(CiscoFileWords.Number(timeout)).Append('"');
            if (rule.User is not null)
            {
                sb.Append(" User=\"").AppendXml(FieldText.ForCnf(rule.User, int.MaxValue, FileName, field + " User", warnings)).Append('"');
            }

            if (rule.Rewrite is not null)
            {
                sb.Append(" Rewrite=\"").AppendXml(FieldText.ForCnf(rule.Rewrite, int.MaxValue, FileName, field + " Rewrite", warnings)).Append('"');
            }

            sb.Append("/>\n");
        }

        var text = template is null
            ? "<DIALTEMPLATE>\n" + sb + "</DIALTEMPLATE>\n"
            : TemplateText.Render(template, new Dictionary<string, string>(StringComparer.Ordinal) { ["templates_xml"] = sb.ToString() }, TemplateSyntax.Xml, FileName, warnings, out templateError);
        return new FileRenderResult(new RenderedFile(FileName, FileScope.Site, Encoding.UTF8.GetBytes(text)), warnings) { TemplateError = templateError };
    }
}
