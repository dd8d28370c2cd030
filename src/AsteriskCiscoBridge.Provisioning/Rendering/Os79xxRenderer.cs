using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// <c>OS79XX.TXT</c> (spec §2.1): exactly one token, the 7940/7960 image name without extension,
/// with no newline and no spaces (a trailing space makes the phone ask for a file that does not exist).
/// </summary>
public static class Os79xxRenderer
{
    public const string FileName = "OS79XX.TXT";

    public static FileRenderResult Render(SiteSettings site, FileTemplate? template = null)
    {
        var warnings = new List<RenderWarning>();
        string? templateError = null;
        var load = site.Loads.Sip79x0;
        var token = new string(load.Where(c => c is > ' ' and < (char)0x7F).ToArray());
        if (token != load)
        {
            warnings.Add(new RenderWarning(FileName, "image", $"spaces, line breaks and non-ASCII removed from '{load}'"));
        }

        var text = template is null
            ? token
            : TemplateText.Render(template, new Dictionary<string, string>(StringComparer.Ordinal) { ["load"] = token }, TemplateSyntax.Plain, FileName, warnings, out templateError);
        return new FileRenderResult(new RenderedFile(FileName, FileScope.Site, Encoding.ASCII.GetBytes(text)), warnings) { TemplateError = templateError };
    }
}
