using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// What must hold before a phone's files can be rendered. Credentials and SIP users are never
/// changed to fit a file (the phone would fail to register): a value that does not fit is an error.
/// </summary>
public static class LineRules
{
    public static IReadOnlyList<string> Check(SiteSettings site, Phone phone)
    {
        var errors = new List<string>();
        // The site's server goes into every phone's site files; each line's into its own file.
        foreach (var server in phone.Lines.Select(l => l.ServerOn(site)).Prepend(site.DefaultServer).DistinctBy(s => (s.Host, s.Port)))
        {
            var host = FieldText.CredentialError(server.Host, SepXmlRenderer.ProcessNodeNameLimit, "the Asterisk address", allowEmpty: false, allowSpace: false);
            if (host is not null)
            {
                errors.Add(host);
            }

            if (server.Port is < 1 or > 65535)
            {
                errors.Add($"the Asterisk port {server.Port} is not 1–65535");
            }
        }

        if (phone.Lines.Count == 0)
        {
            errors.Add($"{phone.Mac} has no line (a phone needs at least one)");
        }

        if (phone.Lines.Count > phone.Model.LineKeys)
        {
            errors.Add($"a {phone.Model.Name} has {phone.Model.LineKeys} line button{(phone.Model.LineKeys == 1 ? "" : "s")}; {phone.Lines.Count} lines given");
        }

        var limit = SepXmlRenderer.LineFieldLimit;
        for (var i = 0; i < phone.Lines.Count; i++)
        {
            var line = phone.Lines[i];
            var n = i + 1;
            foreach (var error in (ReadOnlySpan<string?>)
            [
                FieldText.CredentialError(line.Extension, limit, $"line {n} extension", allowEmpty: false, allowSpace: false),
                string.IsNullOrEmpty(line.AuthUser) ? null : FieldText.CredentialError(line.AuthUser, limit, $"line {n} auth user", allowEmpty: false, allowSpace: false),
                FieldText.CredentialError(line.Password, limit, $"line {n} password", allowEmpty: true, allowSpace: true),
            ])
            {
                if (error is not null)
                {
                    errors.Add(error);
                }
            }
        }

        return errors;
    }
}
