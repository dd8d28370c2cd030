using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// <c>SIP&lt;MAC&gt;.cnf</c> (spec §2.2): one 7940/7960's keys. Lines fill buttons in order; the
/// buttons left over are cleared the way Elastix does (<c>lineN_name: ""</c>,
/// <c>lineN_authname: "UNPROVISIONED"</c>), so a line removed from a phone really goes away.
/// </summary>
public static class SipCnfRenderer
{
    /// <summary>Provisioner truncates <c>lineN_shortname</c> to 12 characters (spec §2.2, [S24]).</summary>
    public const int ShortNameLimit = 12;

    public static string FileName(MacAddress mac) => $"SIP{mac.Value}.cnf";

    /// <summary>Renders with the given <c>sync</c> value. Lines must already be valid (<see cref="LineRules"/>).</summary>
    public static FileRenderResult Render(SiteSettings site, Phone phone, string sync, FileTemplate? template = null)
    {
        var file = FileName(phone.Mac);
        var warnings = new List<RenderWarning>();
        string? templateError = null;
        var keys = PhoneKeys(site, phone, sync, file, warnings);
        string text;
        if (template is null)
        {
            CnfKeys.Apply(keys, phone.EffectiveOverrides.ExtraCnfKeys, file, warnings);
            var sb = new StringBuilder(2048);
            sb.Append("# ").Append(file).Append(" for a Cisco ").Append(phone.Model.Name).Append(", rendered by AsteriskCiscoBridge.\n");
            CnfKeys.Write(sb, keys);
            text = sb.ToString();
        }
        else
        {
            var model = TemplateModel.Of(CnfKeys.AsValues(keys));
            model.Values["mac"] = phone.Mac.Value;
            model.Values["model"] = phone.Model.Name;
            model.Values["line_count"] = CiscoFileWords.Number(phone.Lines.Count);
            model.Lists["lines"] = [.. Enumerable.Range(1, phone.Lines.Count).Select(n => LineRecord(model.Values, n))];
            text = TemplateText.Render(template, model, TemplateSyntax.Cnf, file, warnings, out templateError);
        }

        return new FileRenderResult(new RenderedFile(file, FileScope.Phone, Encoding.ASCII.GetBytes(text)), warnings) { TemplateError = templateError };
    }

    /// <summary>Line <paramref name="n"/> for <c>{% for line in lines %}</c>: the same checked values as <c>lineN_…</c>.</summary>
    private static Dictionary<string, string> LineRecord(IReadOnlyDictionary<string, string> values, int n) => new(StringComparer.Ordinal)
    {
        ["number"] = CiscoFileWords.Number(n),
        ["name"] = values[$"line{n}_name"],
        ["auth_name"] = values[$"line{n}_authname"],
        ["password"] = values[$"line{n}_password"],
        ["display_name"] = values[$"line{n}_displayname"],
        ["label"] = values[$"line{n}_shortname"],
        ["proxy"] = values[$"proxy{n}_address"],
        ["port"] = values[$"proxy{n}_port"],
    };

    private static List<KeyValuePair<string, string>> PhoneKeys(SiteSettings site, Phone phone, string sync, string file, List<RenderWarning> warnings)
    {
        var overrides = phone.EffectiveOverrides;
        if (FeatureKeys.Refusal(phone.Model, phone.Lines.Count, overrides.Keys) is { } refusal)
        {
            warnings.Add(new RenderWarning(file, string.Join(", ", overrides.Keys.Select(k => $"key.{CiscoFileWords.Number(k.Index)}")), $"left out: {refusal}"));
        }

        string Text(string key, string? value, int limit = int.MaxValue) => FieldText.ForCnf(value, limit, file, key, warnings);

        var keys = new List<KeyValuePair<string, string>>();

        // An empty load offers none: without image_version the phone keeps the image it runs.
        var load = phone.Load ?? site.Loads.Sip79x0;
        if (load.Length > 0)
        {
            keys.Add(new("image_version", Text("image_version", load)));
        }

        keys.AddRange(
        [
            new("sync", sync),
            new("phone_label", Text("phone_label", overrides.PhoneLabel ?? site.PhoneLabel)),
            new("messages_uri", Text("messages_uri", overrides.MessagesNumber ?? site.MessagesNumber)),
        ]);

        if (!string.IsNullOrEmpty(site.DirectoryUrl))
        {
            // Spec beyond-79xx B: directory_url opens the Directories key's service on a 7940/7960.
            keys.Add(new("directory_url", Text("directory_url", site.DirectoryUrl, SepXmlRenderer.UrlLimit)));
        }

        var password = overrides.PhonePassword ?? site.PhonePassword;
        if (password.Length > 0)
        {
            keys.Add(new("phone_password", Text("phone_password", password)));
        }

        for (var n = 1; n <= phone.Model.LineKeys; n++)
        {
            if (n <= phone.Lines.Count)
            {
                var line = phone.Lines[n - 1];
                var server = line.ServerOn(site);
                keys.Add(new($"proxy{n}_address", Text($"proxy{n}_address", server.Host)));
                keys.Add(new($"proxy{n}_port", CiscoFileWords.Number(server.Port)));
                if (server.Protocol != SipTransportProtocol.Udp)
                {
                    // Spec §2.2 knows no transport key for 7940/7960 SIP loads: they send UDP.
                    warnings.Add(new RenderWarning(file, $"proxy{n}_port", $"the line's transport is {server.ProtocolName}, but SIP<MAC>.cnf has no transport key (spec §2.2): the 7940/7960 sends UDP to port {server.Port}"));
                }

                keys.Add(new($"line{n}_name", line.Extension));
                keys.Add(new($"line{n}_authname", line.EffectiveAuthUser));
                keys.Add(new($"line{n}_password", line.Password));
                keys.Add(new($"line{n}_displayname", Text($"line{n}_displayname", line.DisplayName ?? line.Extension)));
                keys.Add(new($"line{n}_shortname", Text($"line{n}_shortname", line.EffectiveLabel, ShortNameLimit)));
            }
            else
            {
                keys.Add(new($"proxy{n}_address", ""));
                keys.Add(new($"line{n}_name", ""));
                keys.Add(new($"line{n}_authname", "UNPROVISIONED"));
                keys.Add(new($"line{n}_password", ""));
                keys.Add(new($"line{n}_displayname", ""));
                keys.Add(new($"line{n}_shortname", ""));
            }
        }

        return keys;
    }
}
