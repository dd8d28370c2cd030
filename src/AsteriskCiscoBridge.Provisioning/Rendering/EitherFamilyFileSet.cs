using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// The files of a phone whose model is not known yet (bound in Asterisk with no model, never seen):
/// both families' own files, each with the lines (SIP&lt;MAC&gt;.cnf for a 7940/7960, SEP&lt;MAC&gt;.cnf.xml
/// for a 79x1), and each family's site files. A phone asks only for its own family's file, and that
/// request tells the bridge the family; the other file is then withdrawn. No load is offered: a load
/// is planned per model, and a phone keeps the one it runs until its model is known.
/// </summary>
public static class EitherFamilyFileSet
{
    public static PhoneRenderResult Render(SiteSettings site, SiteFileSet siteFiles, MacAddress mac, IReadOnlyList<LineInput> lines, PhoneOverrides? overrides = null, TemplateSet? templates = null)
    {
        var results = new[] { PhoneFamilies.Any79x0, PhoneFamilies.Any79x1 }
            .Select(model => PhoneFileSet.Render(site, siteFiles, new Phone(mac, model, [.. lines.Take(model.LineKeys)], string.Empty, overrides), templates))
            .ToArray();
        var succeeded = results.Where(r => r.Succeeded).ToArray();
        if (succeeded.Length == 0)
        {
            return PhoneRenderResult.Failed([.. results.SelectMany(r => r.Errors).Distinct()]);
        }

        var files = succeeded.SelectMany(r => r.Files).DistinctBy(f => f.Name).ToArray();
        var warnings = succeeded.SelectMany(r => r.Warnings).Distinct().ToList();
        foreach (var failed in results.Where(r => !r.Succeeded))
        {
            warnings.AddRange(failed.Errors.Select(e => new RenderWarning("(other family)", "lines", e)));
        }

        // A line one family cannot carry (a '"' in a SIP<MAC>.cnf password) may fit the other: left out is per file.
        return new PhoneRenderResult(files, warnings, [], results[0].SyncValue, results[1].VersionStamp)
        {
            LeftOut = [.. succeeded.SelectMany(r => r.LeftOut)],
            CarriesNoLine = succeeded.All(r => r.CarriesNoLine),
        };
    }
}
