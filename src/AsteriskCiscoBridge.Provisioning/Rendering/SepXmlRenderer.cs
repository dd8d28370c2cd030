using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// <c>SEP&lt;MAC&gt;.cnf.xml</c> for 79x1/79x2/79x5/797x SIP loads (spec §2.8) and the 6900, 7800, 8800, 8900 and 9900
/// series on enterprise SIP loads, which read the same schema (spec beyond-79xx A0, A6; their differences are in
/// <see cref="SeriesElements"/>). Element names are case-sensitive and the whole file is rejected if it is not
/// well-formed, so every value is escaped. Line names, auth names, passwords and display names hold at most 30 characters.
/// </summary>
public static class SepXmlRenderer
{
    public const int LineFieldLimit = 30;

    /// <summary><c>processNodeName</c>: host or IP, at most 50 characters (spec §2.8).</summary>
    public const int ProcessNodeNameLimit = 50;

    /// <summary>Service URLs (<c>directoryURL</c>…) hold at most 255 characters (spec beyond-79xx B).</summary>
    public const int UrlLimit = 255;

    public static string FileName(MacAddress mac) => $"SEP{mac.Value}.cnf.xml";

    /// <summary>Renders with the given <c>versionStamp</c>. Lines must already be valid (<see cref="LineRules"/>).</summary>
    public static FileRenderResult Render(SiteSettings site, Phone phone, string versionStamp, FileTemplate? template = null)
    {
        var file = FileName(phone.Mac);
        var warnings = new List<RenderWarning>();
        string? templateError = null;
        site = XmlValues.Clean(site, file, warnings);
        var overrides = phone.EffectiveOverrides;
        // An empty load offers none: without loadInformation the phone keeps the load it runs.
        var rawLoad = phone.Load ?? site.Loads.For(phone.Model);
        var load = string.IsNullOrEmpty(rawLoad) ? null : FieldText.ForXml(rawLoad, int.MaxValue, file, "loadInformation", warnings);
        var phonePassword = FieldText.ForXml(overrides.PhonePassword ?? site.PhonePassword, int.MaxValue, file, "phonePassword", warnings);
        var label = FieldText.ForXml(overrides.PhoneLabel ?? site.PhoneLabel, LineFieldLimit, file, "phoneLabel", warnings);
        var messages = FieldText.ForXml(overrides.MessagesNumber ?? site.MessagesNumber, LineFieldLimit, file, "messagesNumber", warnings);
        var limits = SeriesElements.Limits(phone.Model, overrides, file, warnings);
        var lines = phone.Lines.Select((line, i) => (
            Line: line,
            Display: FieldText.ForXml(line.DisplayName ?? line.Extension, LineFieldLimit, file, $"line {i + 1} displayName", warnings),
            Label: FieldText.ForXml(line.EffectiveLabel, LineFieldLimit, file, $"line {i + 1} featureLabel", warnings))).ToList();

        // The call manager (processNodeName, sipPort) and transportLayerProtocol are one per phone: the first line's server.
        var server = phone.Lines.Count > 0 ? phone.Lines[0].ServerOn(site) : site.DefaultServer;
        for (var i = 1; i < phone.Lines.Count; i++)
        {
            if (phone.Lines[i].ServerOn(site).Protocol != server.Protocol)
            {
                warnings.Add(new RenderWarning(file, $"line {i + 1} proxy", $"the line's transport is {phone.Lines[i].ServerOn(site).ProtocolName}, but a 79x1 has one transportLayerProtocol: {server.ProtocolName}, line 1's"));
            }
        }

        if (template is not null)
        {
            var values = XmlValues.Site(site, phone.Model);
            values["asterisk_host"] = server.Host;
            values["asterisk_port"] = CiscoFileWords.Number(server.Port);
            values["sip_transport"] = server.ProtocolName;
            values["mac"] = phone.Mac.Value;
            values["load"] = load ?? "";
            values["version_stamp"] = versionStamp;
            values["phone_label"] = label;
            values["messages_number"] = messages;
            values["phone_password"] = phonePassword;
            values["line_count"] = CiscoFileWords.Number(lines.Count);
            values["directory_url"] = site.DirectoryUrl ?? "";
            for (var i = 0; i < lines.Count; i++)
            {
                var (line, display, lineLabel) = lines[i];
                var p = $"line{i + 1}_";
                values[p + "name"] = line.Extension;
                values[p + "auth_name"] = line.EffectiveAuthUser;
                values[p + "auth_password"] = line.Password;
                values[p + "display_name"] = display;
                values[p + "label"] = lineLabel;
                values[p + "caller_id"] = line.CallerIdNumber ?? "";
                values[p + "proxy"] = line.ServerOn(site).Host;
                values[p + "port"] = CiscoFileWords.Number(line.ServerOn(site).Port);
            }

            var model = TemplateModel.Of(values);
            model.Lists["lines"] = [.. Enumerable.Range(1, lines.Count).Select(n => new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["number"] = CiscoFileWords.Number(n),
                ["name"] = values[$"line{n}_name"],
                ["auth_name"] = values[$"line{n}_auth_name"],
                ["password"] = values[$"line{n}_auth_password"],
                ["display_name"] = values[$"line{n}_display_name"],
                ["label"] = values[$"line{n}_label"],
                ["caller_id"] = values[$"line{n}_caller_id"],
                ["proxy"] = values[$"line{n}_proxy"],
                ["port"] = values[$"line{n}_port"],
            })];
            var fromTemplate = TemplateText.Render(template, model, TemplateSyntax.Xml, file, warnings, out templateError);
            return new FileRenderResult(new RenderedFile(file, FileScope.Phone, Encoding.UTF8.GetBytes(fromTemplate)), warnings) { TemplateError = templateError };
        }

        var sb = new StringBuilder(4096);
        sb.Append("<device>\n");
        sb.Append("  <fullConfig>true</fullConfig>\n");
        sb.Append("  <deviceProtocol>SIP</deviceProtocol>\n");
        if (!string.IsNullOrEmpty(site.SshUser))
        {
            sb.Append("  <sshUserId>").AppendXml(site.SshUser).Append("</sshUserId>\n");
            sb.Append("  <sshPassword>").AppendXml(site.SshPassword).Append("</sshPassword>\n");
        }

        DevicePool(sb, site, withDateTime: true, server);
        sb.Append("  <sipProfile>\n");
        sb.Append("    <sipProxies>\n      <registerWithProxy>true</registerWithProxy>\n    </sipProxies>\n");
        sb.Append("    <preferredCodec>").Append(CiscoFileWords.Codec(site.Codec)).Append("</preferredCodec>\n");
        sb.Append("    <dtmfAvtPayload>").Append(CiscoFileWords.Number(site.DtmfAvtPayload)).Append("</dtmfAvtPayload>\n");
        sb.Append("    <phoneLabel>").AppendXml(label).Append("</phoneLabel>\n");
        sb.Append("    <natEnabled>false</natEnabled>\n    <natAddress></natAddress>\n");
        sb.Append("    <startMediaPort>16384</startMediaPort>\n    <stopMediaPort>32766</stopMediaPort>\n");
        sb.Append("    <voipControlPort>5060</voipControlPort>\n");
        sb.Append("    <sipLines>\n");
        for (var i = 0; i < lines.Count; i++)
        {
            var (line, display, lineLabel) = lines[i];
            var n = CiscoFileWords.Number(i + 1);
            var lineServer = line.ServerOn(site);
            sb.Append("      <line button=\"").Append(n).Append("\" lineIndex=\"").Append(n).Append("\">\n");
            sb.Append("        <featureID>9</featureID>\n");
            sb.Append("        <featureLabel>").AppendXml(lineLabel).Append("</featureLabel>\n");
            sb.Append("        <proxy>").AppendXml(site.ProxyUseCallManager ? "USECALLMANAGER" : lineServer.Host).Append("</proxy>\n");
            sb.Append("        <port>").Append(CiscoFileWords.Number(lineServer.Port)).Append("</port>\n");
            sb.Append("        <name>").AppendXml(line.Extension).Append("</name>\n");
            sb.Append("        <displayName>").AppendXml(display).Append("</displayName>\n");
            sb.Append("        <authName>").AppendXml(line.EffectiveAuthUser).Append("</authName>\n");
            sb.Append("        <authPassword>").AppendXml(line.Password).Append("</authPassword>\n");
            sb.Append("        <contact>").AppendXml(line.Extension).Append("</contact>\n");
            sb.Append("        <messageWaitingLampPolicy>3</messageWaitingLampPolicy>\n");
            sb.Append("        <messagesNumber>").AppendXml(messages).Append("</messagesNumber>\n");
            SeriesElements.AppendLineElements(sb, phone.Model, limits);
            sb.Append("      </line>\n");
        }

        SeriesElements.AppendFeatureKeys(sb, phone.Model, lines.Count, overrides.Keys, file, warnings);
        sb.Append("    </sipLines>\n");
        sb.Append("    <dialTemplate>").Append(DialPlanRenderer.FileName).Append("</dialTemplate>\n");
        sb.Append("  </sipProfile>\n");
        var extras = SeriesElements.Route(phone.Model, site.ExtraXmlElements.Concat(overrides.ExtraXmlElements), file, warnings);
        var enterprise = phone.Model.Traits.Enterprise;
        sb.Append("  <commonProfile>\n    <phonePassword>").AppendXml(phonePassword).Append("</phonePassword>\n");
        if (enterprise)
        {
            SeriesElements.AppendCommonProfile(sb, phone.Model, extras[ElementPlace.CommonProfile], file, warnings);
        }

        sb.Append("  </commonProfile>\n");
        TransportLayerProtocol(sb, server, enterprise, file, warnings);
        if (load is not null)
        {
            sb.Append("  <loadInformation>").AppendXml(load).Append("</loadInformation>\n");
        }

        if (extras[ElementPlace.VendorConfig].Any())
        {
            sb.Append("  <vendorConfig>\n");
            foreach (var element in extras[ElementPlace.VendorConfig])
            {
                SeriesElements.AppendElement(sb, "    ", element, file, warnings);
            }

            sb.Append("  </vendorConfig>\n");
        }

        if (!string.IsNullOrEmpty(site.DirectoryUrl))
        {
            sb.Append("  <directoryURL>").AppendXml(FieldText.ForXml(site.DirectoryUrl, UrlLimit, file, "directoryURL", warnings)).Append("</directoryURL>\n");
        }

        sb.Append("  <versionStamp>").AppendXml(versionStamp).Append("</versionStamp>\n");
        foreach (var element in extras[ElementPlace.Device])
        {
            SeriesElements.AppendElement(sb, "  ", element, file, warnings);
        }

        sb.Append("</device>\n");
        return new FileRenderResult(new RenderedFile(file, FileScope.Phone, Encoding.UTF8.GetBytes(sb.ToString())), warnings) { TemplateError = templateError };
    }

    /// <summary>
    /// <c>transportLayerProtocol</c> (spec beyond-79xx A6: 1 TCP, 2 UDP, 3 TLS) when the phone must not use its default,
    /// UDP; a 79x1 UDP phone's file stays as it always was. A later series' file always names it: no source gives their
    /// default, and the usecallmanager guide warns that they retransmit over UDP.
    /// </summary>
    private static void TransportLayerProtocol(StringBuilder sb, SipServer server, bool enterprise, string file, List<RenderWarning> warnings)
    {
        if (server.Protocol == SipTransportProtocol.Udp)
        {
            if (enterprise)
            {
                sb.Append("  <transportLayerProtocol>2</transportLayerProtocol>\n");
                warnings.Add(new RenderWarning(file, "transportLayerProtocol", "UDP: the usecallmanager guide reports SIP retransmit errors from these phones over UDP; a TCP transport on the endpoint avoids them (spec beyond-79xx A6)"));
            }

            return;
        }

        sb.Append("  <transportLayerProtocol>").Append(server.Protocol == SipTransportProtocol.Tls ? "3" : "1").Append("</transportLayerProtocol>\n");
        if (server.Protocol == SipTransportProtocol.Tls)
        {
            warnings.Add(new RenderWarning(file, "transportLayerProtocol", "TLS also needs deviceSecurityMode 2 or 3 and a CTL file that makes the phone trust Asterisk's certificate, which the bridge does not provide"));
        }
    }

    /// <summary>
    /// The <c>devicePool</c> element: date/time and the Asterisk server as the call manager (<paramref name="server"/>,
    /// else the site's default). A TLS server's port is the <c>securedSipPort</c>.
    /// </summary>
    internal static void DevicePool(StringBuilder sb, SiteSettings site, bool withDateTime, SipServer? server = null)
    {
        server ??= site.DefaultServer;
        var tls = server.Protocol == SipTransportProtocol.Tls;
        sb.Append("  <devicePool>\n");
        if (withDateTime)
        {
            sb.Append("    <dateTimeSetting>\n");
            sb.Append("      <dateTemplate>").AppendXml(site.DateFormat).Append("</dateTemplate>\n");
            sb.Append("      <timeZone>").AppendXml(site.TimeZone79x1).Append("</timeZone>\n");
            sb.Append("      <ntps>\n        <ntp>\n          <name>").AppendXml(site.NtpServer).Append("</name>\n          <ntpMode>Unicast</ntpMode>\n        </ntp>\n      </ntps>\n");
            sb.Append("    </dateTimeSetting>\n");
        }

        sb.Append("    <callManagerGroup>\n      <members>\n        <member priority=\"0\">\n          <callManager>\n            <ports>\n");
        sb.Append("              <ethernetPhonePort>2000</ethernetPhonePort>\n");
        sb.Append("              <sipPort>").Append(CiscoFileWords.Number(tls ? SipServerResolver.DefaultPort : server.Port)).Append("</sipPort>\n");
        sb.Append("              <securedSipPort>").Append(CiscoFileWords.Number(tls ? server.Port : SipServerResolver.DefaultTlsPort)).Append("</securedSipPort>\n");
        sb.Append("            </ports>\n");
        sb.Append("            <processNodeName>").AppendXml(server.Host).Append("</processNodeName>\n");
        sb.Append("          </callManager>\n        </member>\n      </members>\n    </callManagerGroup>\n");
        sb.Append("  </devicePool>\n");
    }
}

internal static class XmlValues
{
    /// <summary>The site's free-text values made fit for XML (control characters removed, with warnings).</summary>
    public static SiteSettings Clean(SiteSettings site, string file, List<RenderWarning> warnings)
    {
        string Fit(string? value, string field) => FieldText.ForXml(value, int.MaxValue, file, field, warnings);

        return site with
        {
            AsteriskHost = Fit(site.AsteriskHost, "processNodeName"),
            DateFormat = Fit(site.DateFormat, "dateTemplate"),
            TimeZone79x1 = Fit(site.TimeZone79x1, "timeZone"),
            NtpServer = Fit(site.NtpServer, "ntp name"),
            SshUser = site.SshUser is null ? null : Fit(site.SshUser, "sshUserId"),
            SshPassword = site.SshPassword is null ? null : Fit(site.SshPassword, "sshPassword"),
        };
    }

    public static Dictionary<string, string> Site(SiteSettings site, PhoneModel? model) => new(StringComparer.Ordinal)
    {
        ["asterisk_host"] = site.AsteriskHost,
        ["asterisk_port"] = CiscoFileWords.Number(site.AsteriskPort),
        ["ntp_server"] = site.NtpServer,
        ["time_zone"] = site.TimeZone79x1,
        ["date_format"] = site.DateFormat,
        ["codec"] = CiscoFileWords.Codec(site.Codec),
        ["dtmf_avt_payload"] = CiscoFileWords.Number(site.DtmfAvtPayload),
        ["ssh_user"] = site.SshUser ?? "",
        ["ssh_password"] = site.SshPassword ?? "",
        ["model"] = model?.Name ?? "",
    };
}
