using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>What the bridge answers for a phone's own file when no binding is known.</summary>
public enum UnprovisionedOutcome
{
    /// <summary>The name is not a phone's own file (SIP&lt;MAC&gt;.cnf, SEP&lt;MAC&gt;.cnf.xml).</summary>
    NotAPhoneFile = 0,

    /// <summary>Answer TFTP "file not found".</summary>
    NotFound = 1,

    /// <summary>Serve <see cref="UnprovisionedAnswer.File"/>.</summary>
    File = 2,
}

public sealed record UnprovisionedAnswer(UnprovisionedOutcome Outcome, MacAddress? Mac, RenderedFile? File);

/// <summary>
/// The answer for an unbound phone: by policy, file-not-found or a config without any credential
/// whose label says the phone is unprovisioned. Never another phone's lines.
/// </summary>
public static class UnprovisionedRenderer
{
    public const string Label = "Unprovisioned";

    public static UnprovisionedAnswer Render(SiteSettings site, string requestedName)
    {
        var (mac, family) = ParseName(requestedName);
        if (mac is null)
        {
            return new UnprovisionedAnswer(UnprovisionedOutcome.NotAPhoneFile, null, null);
        }

        if (site.Unprovisioned == UnprovisionedPolicy.NotFound)
        {
            return new UnprovisionedAnswer(UnprovisionedOutcome.NotFound, mac, null);
        }

        var file = family == PhoneFamily.Sip79x0 ? Cnf(site, mac.Value) : Xml(site, mac.Value);
        return new UnprovisionedAnswer(UnprovisionedOutcome.File, mac, file);
    }

    // Only the plain file, asked for by its bare name: a signed or foldered name is no configuration to make up.
    private static (MacAddress? Mac, PhoneFamily Family) ParseName(string name) =>
        PhoneFileName.TryParse(name, out var file) && file.IsPlainConfig
            ? (file.Mac, file.Kind == PhoneFileKind.SipCnf ? PhoneFamily.Sip79x0 : PhoneFamily.Sip79x1)
            : (null, default);

    private static RenderedFile Cnf(SiteSettings site, MacAddress mac)
    {
        var warnings = new List<RenderWarning>();
        var name = SipCnfRenderer.FileName(mac);
        string Body(string sync)
        {
            var sb = new StringBuilder();
            sb.Append("# ").Append(name).Append(": this phone is not bound to any line, rendered by AsteriskCiscoBridge.\n");
            if (site.Loads.Sip79x0.Length > 0)
            {
                sb.AppendCnf("image_version", FieldText.ForCnf(site.Loads.Sip79x0, int.MaxValue, name, "image_version", warnings));
            }

            sb.AppendCnf("sync", sync);
            sb.AppendCnf("phone_label", Label);
            sb.AppendCnf("proxy_register", "0");
            sb.AppendCnf("line1_name", "");
            sb.AppendCnf("line1_authname", "UNPROVISIONED");
            sb.AppendCnf("line1_password", "");
            sb.AppendCnf("line1_displayname", "");
            sb.AppendCnf("line1_shortname", "Not bound");
            return sb.ToString();
        }

        var sync = ContentHash.SyncValue(ContentHash.Of(ContentHash.Utf8(Body(""))));
        return new RenderedFile(name, FileScope.Phone, Encoding.ASCII.GetBytes(Body(sync)));
    }

    private static RenderedFile Xml(SiteSettings site, MacAddress mac)
    {
        site = XmlValues.Clean(site, SepXmlRenderer.FileName(mac), []);
        string Body(string stamp)
        {
            var sb = new StringBuilder();
            sb.Append("<device>\n  <fullConfig>true</fullConfig>\n  <deviceProtocol>SIP</deviceProtocol>\n");
            SepXmlRenderer.DevicePool(sb, site, withDateTime: true);
            sb.Append("  <sipProfile>\n    <sipProxies>\n      <registerWithProxy>false</registerWithProxy>\n    </sipProxies>\n");
            sb.Append("    <phoneLabel>").Append(Label).Append("</phoneLabel>\n");
            sb.Append("    <sipLines>\n      <line button=\"1\" lineIndex=\"1\">\n        <featureID>9</featureID>\n");
            sb.Append("        <featureLabel>").Append(Label).Append("</featureLabel>\n");
            sb.Append("        <name></name>\n        <displayName></displayName>\n      </line>\n    </sipLines>\n  </sipProfile>\n");
            sb.Append("  <versionStamp>").Append(stamp).Append("</versionStamp>\n</device>\n");
            return sb.ToString();
        }

        var stamp = ContentHash.VersionStamp(ContentHash.Of(ContentHash.Utf8(Body(""))));
        return new RenderedFile(SepXmlRenderer.FileName(mac), FileScope.Phone, Encoding.UTF8.GetBytes(Body(stamp)));
    }
}
