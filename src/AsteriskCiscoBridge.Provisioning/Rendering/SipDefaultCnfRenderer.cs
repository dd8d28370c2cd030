using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// <c>SIPDefault.cnf</c> (spec §2.2): the site-wide keys of 7940/7960 SIP phones. Holds no
/// credential, so an unbound phone may read it.
/// </summary>
public static class SipDefaultCnfRenderer
{
    public const string FileName = "SIPDefault.cnf";

    public static FileRenderResult Render(SiteSettings site, FileTemplate? template = null)
    {
        var warnings = new List<RenderWarning>();
        string? templateError = null;
        var keys = SiteKeys(site, warnings);
        string text;
        if (template is null)
        {
            CnfKeys.Apply(keys, site.ExtraCnfKeys, FileName, warnings);
            var sb = new StringBuilder(1024);
            sb.Append("# SIPDefault.cnf rendered by AsteriskCiscoBridge from the site settings.\n");
            CnfKeys.Write(sb, keys);
            text = sb.ToString();
        }
        else
        {
            text = TemplateText.Render(template, CnfKeys.AsValues(keys), TemplateSyntax.Cnf, FileName, warnings, out templateError);
        }

        return new FileRenderResult(new RenderedFile(FileName, FileScope.Site, Encoding.ASCII.GetBytes(text)), warnings) { TemplateError = templateError };
    }

    internal static List<KeyValuePair<string, string>> SiteKeys(SiteSettings site, List<RenderWarning> warnings)
    {
        string Text(string key, string? value) => FieldText.ForCnf(value, int.MaxValue, FileName, key, warnings);

        List<KeyValuePair<string, string>> keys =
        [
            new("image_version", Text("image_version", site.Loads.Sip79x0)),
            new("proxy1_address", Text("proxy1_address", site.AsteriskHost)),
            new("proxy1_port", CiscoFileWords.Number(site.AsteriskPort)),
            new("proxy_register", "1"),
            new("timer_register_expires", "3600"),
            new("nat_enable", "0"),
            new("voip_control_port", "5060"),
            new("start_media_port", "16384"),
            new("end_media_port", "32766"),
            new("preferred_codec", CiscoFileWords.Codec(site.Codec)),
            new("dtmf_inband", CiscoFileWords.Bit(site.DtmfInband)),
            new("dtmf_outofband", CiscoFileWords.Dtmf(site.DtmfOutOfBand)),
            new("dtmf_avt_payload", CiscoFileWords.Number(site.DtmfAvtPayload)),
            new("telnet_level", CiscoFileWords.Number(site.TelnetLevel)),
            new("dial_template", "dialplan"),
            new("sntp_mode", "unicast"),
            new("sntp_server", Text("sntp_server", site.NtpServer)),
            new("time_zone", Text("time_zone", site.TimeZone79x0)),
            new("date_format", Text("date_format", site.DateFormat)),
            new("time_format_24hr", "1"),
            new("messages_uri", Text("messages_uri", site.MessagesNumber)),
        ];

        // An empty load offers none (see SiteFileSet): the phones keep the image they run. With loads offered
        // per phone, SIPDefault.cnf names none either: a phone whose own file names no load keeps its image,
        // instead of falling back to the site's (spec §2.2: SIPDefault.cnf < SIP<MAC>.cnf).
        if (site.Loads.Sip79x0.Length == 0 || site.Loads.PerPhone)
        {
            keys.RemoveAt(0);
        }

        return keys;
    }
}

/// <summary>Ordered cnf keys with admin extras applied.</summary>
internal static class CnfKeys
{
    /// <summary>
    /// An extra key replaces a generated key of the same name in place (a repeated key in one file
    /// has no documented winner); a new key goes at the end.
    /// </summary>
    public static void Apply(List<KeyValuePair<string, string>> keys, IReadOnlyList<ExtraSetting> extras, string file, List<RenderWarning> warnings)
    {
        foreach (var extra in extras)
        {
            if (!Escaping.IsCnfKey(extra.Name))
            {
                warnings.Add(new RenderWarning(file, extra.Name, "extra key skipped: a cnf key is letters, digits and '_'"));
                continue;
            }

            var value = FieldText.ForCnf(extra.Value, int.MaxValue, file, extra.Name, warnings);
            var at = keys.FindIndex(k => string.Equals(k.Key, extra.Name, StringComparison.Ordinal));
            if (at >= 0)
            {
                keys[at] = new(extra.Name, value);
            }
            else
            {
                keys.Add(new(extra.Name, value));
            }
        }
    }

    public static void Write(StringBuilder sb, List<KeyValuePair<string, string>> keys)
    {
        foreach (var (key, value) in keys)
        {
            sb.AppendCnf(key, value);
        }
    }

    public static Dictionary<string, string> AsValues(List<KeyValuePair<string, string>> keys)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in keys)
        {
            values[key] = value;
        }

        return values;
    }
}
