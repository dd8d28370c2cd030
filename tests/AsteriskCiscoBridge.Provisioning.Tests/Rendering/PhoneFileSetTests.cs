using System.Text;
using System.Xml.Linq;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Provisioning.Tests.Rendering;

public sealed class PhoneFileSetTests
{
    [Theory]
    [InlineData("7940", new[] { "OS79XX.TXT", "SIPDefault.cnf", "SIP001122AABBCC.cnf", "syncinfo.xml", "RINGLIST.DAT", "dialplan.xml" })]
    [InlineData("7960", new[] { "OS79XX.TXT", "SIPDefault.cnf", "SIP001122AABBCC.cnf", "syncinfo.xml", "RINGLIST.DAT", "dialplan.xml" })]
    [InlineData("7941", new[] { "SEP001122AABBCC.cnf.xml", "XMLDefault.cnf.xml", "Ringlist.xml", "dialplan.xml" })]
    [InlineData("7975", new[] { "SEP001122AABBCC.cnf.xml", "XMLDefault.cnf.xml", "Ringlist.xml", "dialplan.xml" })]
    public void File_set_names_every_file_the_family_asks_for(string model, string[] names)
    {
        var result = PhoneFileSet.Render(TestSites.Site, TestSites.Phone(model, 1));

        Assert.Equal(names, result.Files.Select(f => f.Name));
    }

    [Fact]
    public void Same_input_renders_the_same_bytes()
    {
        var first = PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7962", 6));
        var second = PhoneFileSet.Render(TestSites.Site with { }, TestSites.Phone("7962", 6) with { Lines = TestSites.Lines.Take(6).ToList() });

        Assert.Equal(first.Files.Select(f => (f.Name, Convert.ToHexString(f.Content))), second.Files.Select(f => (f.Name, Convert.ToHexString(f.Content))));
        Assert.Equal(first.VersionStamp, second.VersionStamp);
    }

    [Theory]
    [InlineData("7960")]
    [InlineData("7965")]
    public void Version_changes_exactly_when_content_changes(string model)
    {
        var phone = TestSites.Phone(model, 2);
        string? Version(PhoneRenderResult r) => r.SyncValue ?? r.VersionStamp;
        var baseline = PhoneFileSet.Render(TestSites.Site, phone);

        var samePassword = PhoneFileSet.Render(TestSites.Site, phone with { Lines = [phone.Lines[0], phone.Lines[1] with { }] });
        var newPassword = PhoneFileSet.Render(TestSites.Site, phone with { Lines = [phone.Lines[0], phone.Lines[1] with { Password = "changed" }] });
        var newDialPlan = PhoneFileSet.Render(TestSites.Site with { DialPlan = [new DialRule("1..", 2)] }, phone);
        var callerIdOnly = PhoneFileSet.Render(TestSites.Site, phone with { Lines = [phone.Lines[0] with { CallerIdNumber = "999" }, phone.Lines[1]] });

        Assert.Equal(Version(baseline), Version(samePassword));
        Assert.NotEqual(Version(baseline), Version(newPassword));
        Assert.NotEqual(Version(baseline), Version(newDialPlan));

        // No file carries the caller-id number, so the content and its version stay the same.
        Assert.Equal(Version(baseline), Version(callerIdOnly));
        Assert.Equal(baseline.Files.Select(f => Convert.ToHexString(f.Content)), callerIdOnly.Files.Select(f => Convert.ToHexString(f.Content)));
    }

    [Fact]
    public void Sync_value_never_equals_the_syncinfo_token()
    {
        var result = PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7940", 2));
        var syncInfo = Encoding.UTF8.GetString(result.Find("syncinfo.xml")!.Content);

        Assert.Matches("^[0-9A-F]{16}$", result.SyncValue);
        Assert.DoesNotContain(result.SyncValue!, syncInfo, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7940", 3, "a 7940 has 2 line buttons; 3 lines given")]
    [InlineData("7911", 2, "a 7911 has 1 line button; 2 lines given")]
    [InlineData("7960", 0, "has no line")]
    public void Too_many_or_no_lines_is_an_error(string model, int lines, string reason)
    {
        var phone = new Phone(TestSites.Mac, PhoneModels.Find(model)!, Enumerable.Range(1, lines).Select(i => new LineInput($"10{i}", null, "pw")).ToArray());

        var result = PhoneFileSet.Render(TestSites.Site, phone);

        Assert.False(result.Succeeded);
        Assert.Empty(result.Files);
        Assert.Contains(result.Errors, e => e.Contains(reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("7960", "10 01", null, "pw", "lineN_name contains ' ', which a SIP user name cannot hold")]
    [InlineData("7960", "1001", "a\"b", "pw", "lineN_authname contains '\"', which a quoted cnf value cannot hold")]
    [InlineData("7960", "1001", null, "a\"b", "lineN_password contains '\"', which a quoted cnf value cannot hold")]
    [InlineData("7960", "1001", null, "pä", "lineN_password contains U+00E4, a character beyond ASCII, which the cnf file cannot hold")]
    [InlineData("7960", "1001", null, "a\nb", "lineN_password contains U+000A, a control character, which a cnf value cannot hold")]
    [InlineData("7960", "", null, "pw", "lineN_name is empty")]
    [InlineData("7962", "10 01", null, "pw", "name contains ' ', which a SIP user name cannot hold")]
    [InlineData("7962", "1001", null, "pä", "authPassword contains U+00E4, a character beyond ASCII: no source says")]
    [InlineData("7962", "1001", null, "a\tb", "authPassword contains U+0009, a control character, which XML 1.0 cannot hold")]
    [InlineData("7962", "1001", null, "0123456789012345678901234567890", "authPassword has 31 characters; the phone takes at most 30")]
    [InlineData("7962", "", null, "pw", "name is empty")]
    public void A_value_the_family_file_cannot_carry_leaves_its_line_out(string model, string extension, string? auth, string password, string reason)
    {
        var good = new LineInput("1002", null, "good");
        var phone = new Phone(TestSites.Mac, PhoneModels.Find(model)!, [new LineInput(extension, auth, password), good]);

        var result = PhoneFileSet.Render(TestSites.Site, phone);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var left = Assert.Single(result.LeftOut);
        Assert.Equal(1, left.Position);
        Assert.StartsWith(reason, $"{left.Field} {left.Reason}", StringComparison.Ordinal);
        Assert.Contains(result.Warnings, w => w.Field == left.Field && w.Message.StartsWith("line 1 (", StringComparison.Ordinal) && w.Message.Contains(left.Reason, StringComparison.Ordinal));
        Assert.All(result.Warnings, w => Assert.DoesNotContain(password, w.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("7960", "1001", "1001", "a b#c;d&e<f>'g")]
    [InlineData("7960", "1001", null, "0123456789012345678901234567890123456789")]
    [InlineData("7962", "1001", "a\"b", "q\"uote")]
    [InlineData("7962", "1001", "x&y<z>", "a b#c;d&e<f>'g")]
    public void A_value_the_family_file_can_carry_keeps_its_line(string model, string extension, string? auth, string password)
    {
        var result = PhoneFileSet.Render(TestSites.Site, new Phone(TestSites.Mac, PhoneModels.Find(model)!, [new LineInput(extension, auth, password)]));

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Empty(result.LeftOut);
        Assert.False(result.CarriesNoLine);
        Assert.NotEmpty(result.Files);
    }

    [Fact]
    public void One_bad_line_among_good_ones_leaves_a_7960_with_the_others_in_binding_order()
    {
        LineInput[] lines = [new("1001", null, "first"), new("1002", null, "has\"quote"), new("1003", null, "third")];

        var result = PhoneFileSet.Render(TestSites.Site, new Phone(TestSites.Mac, PhoneModels.Cisco7960, lines));

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var keys = CnfReader.Read(Encoding.ASCII.GetString(result.Find("SIP001122AABBCC.cnf")!.Content))!.ToDictionary(k => k.Key, k => k.Value);
        Assert.Equal(("1001", "first"), (keys["line1_name"], keys["line1_password"]));
        Assert.Equal(("1003", "third"), (keys["line2_name"], keys["line2_password"]));
        Assert.Equal(("", "UNPROVISIONED"), (keys["line3_name"], keys["line3_authname"]));
        Assert.DoesNotContain("1002", keys.Values);
        var left = Assert.Single(result.LeftOut);
        Assert.Equal((2, "1002", "SIP001122AABBCC.cnf", "lineN_password"), (left.Position, left.Line.Extension, left.FileName, left.Field));
        Assert.Equal(
            "SIP001122AABBCC.cnf lineN_password: line 2 (1002) left out: contains '\"', which a quoted cnf value cannot hold (the format has no escape for it, spec §2.2)",
            result.Warnings[0].ToString());
        Assert.Equal(
            "line 2 (1002) left out of SIP001122AABBCC.cnf: lineN_password contains '\"', which a quoted cnf value cannot hold (the format has no escape for it, spec §2.2)",
            left.ToString());
    }

    [Fact]
    public void One_bad_line_among_good_ones_leaves_a_7962_with_the_others_in_binding_order()
    {
        LineInput[] lines = [new("1001", null, "first"), new("1002", null, "tab\there"), new("1003", null, "third")];

        var result = PhoneFileSet.Render(TestSites.Site, new Phone(TestSites.Mac, PhoneModels.Cisco7962, lines));

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var device = XDocument.Parse(Encoding.UTF8.GetString(result.Find("SEP001122AABBCC.cnf.xml")!.Content));
        Assert.Equal(
            [("1", "1", "1001", "first"), ("2", "2", "1003", "third")],
            device.Descendants("line").Select(l => ((string)l.Attribute("button")!, (string)l.Attribute("lineIndex")!, l.Element("name")!.Value, l.Element("authPassword")!.Value)));
        var left = Assert.Single(result.LeftOut);
        Assert.Equal((2, "SEP001122AABBCC.cnf.xml", "authPassword"), (left.Position, left.FileName, left.Field));
    }

    [Fact]
    public void A_quote_in_a_79x1_password_is_escaped_and_parses_back_to_the_password()
    {
        const string Password = "pa\"ss\"&<'>";
        LineInput[] lines = [new("1001", "au\"th", Password), new("1002", null, "other")];

        var result = PhoneFileSet.Render(TestSites.Site, new Phone(TestSites.Mac, PhoneModels.Cisco7945, lines));

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Empty(result.LeftOut);
        var text = Encoding.UTF8.GetString(result.Find("SEP001122AABBCC.cnf.xml")!.Content);
        Assert.Contains("<authPassword>pa&quot;ss&quot;&amp;&lt;&apos;&gt;</authPassword>", text, StringComparison.Ordinal);
        Assert.Contains("<authName>au&quot;th</authName>", text, StringComparison.Ordinal);
        var parsed = XDocument.Parse(text).Descendants("line").Select(l => (l.Element("authName")!.Value, l.Element("authPassword")!.Value));
        Assert.Equal([("au\"th", Password), ("1002", "other")], parsed);
    }

    [Fact]
    public void A_phone_none_of_whose_lines_fits_gets_no_files_and_no_error()
    {
        LineInput[] lines = [new("1001", null, "a\"b"), new("1002", null, "c\"d")];

        var result = PhoneFileSet.Render(TestSites.Site, new Phone(TestSites.Mac, PhoneModels.Cisco7940, lines));

        Assert.True(result.Succeeded);
        Assert.True(result.CarriesNoLine);
        Assert.Empty(result.Files);
        Assert.Equal([1, 2], result.LeftOut.Select(l => l.Position));
        Assert.Equal(2, result.Warnings.Count);
        Assert.Null(result.SyncValue);
    }

    [Fact]
    public void A_line_left_out_of_one_family_is_carried_by_the_other()
    {
        LineInput[] lines = [new("1001", null, "a\"b")];

        var cnf = PhoneFileSet.Render(TestSites.Site, new Phone(TestSites.Mac, PhoneModels.Cisco7940, lines));
        var xml = PhoneFileSet.Render(TestSites.Site, new Phone(TestSites.Mac, PhoneModels.Cisco7941, lines));

        Assert.True(cnf.CarriesNoLine);
        Assert.False(xml.CarriesNoLine);
        Assert.Contains("<authPassword>a&quot;b</authPassword>", Encoding.UTF8.GetString(xml.Find("SEP001122AABBCC.cnf.xml")!.Content), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pbx example", 5060, "the Asterisk address contains ' '")]
    [InlineData("", 5060, "the Asterisk address is empty")]
    [InlineData("10.0.0.5", 0, "the Asterisk port 0 is not 1–65535")]
    public void A_line_server_the_files_cannot_carry_is_an_error(string host, int port, string reason)
    {
        var phone = new Phone(TestSites.Mac, PhoneModels.Cisco7960, [new LineInput("1001", null, "pw", Server: new SipServer(host, port, SipTransportProtocol.Udp))]);

        var result = PhoneFileSet.Render(TestSites.Site, phone);

        Assert.Equal([reason], result.Errors.Select(e => e.Split(", which")[0]));
    }

    [Fact]
    public void A_line_without_a_server_registers_to_the_site_default_and_the_template_sees_each_lines_server()
    {
        var templates = new TemplateSet([new("SEP{mac}.cnf.xml", "<d>{{asterisk_host}}:{{asterisk_port}}/{{sip_transport}} {{line1_proxy}}:{{line1_port}} {{line2_proxy}}:{{line2_port}}</d>\n")]);
        var lines = TestSites.Lines.Take(2).ToArray();
        var phone = TestSites.Phone("7962", 2) with { Lines = [lines[0] with { Server = new SipServer("10.0.0.5", 5160, SipTransportProtocol.Tcp) }, lines[1]] };

        var result = PhoneFileSet.Render(TestSites.Site, phone, templates);

        Assert.Equal("<d>10.0.0.5:5160/tcp 10.0.0.5:5160 pbx.example.net:5060</d>\n", Encoding.UTF8.GetString(result.Find("SEP001122AABBCC.cnf.xml")!.Content));
    }

    [Fact]
    public void Long_label_is_cut_to_12_on_79x0_and_30_on_79x1_with_a_warning()
    {
        var line = new LineInput("1001", null, "pw", "Display name that is far too long for any phone");

        var cnf = PhoneFileSet.Render(TestSites.Site, new Phone(TestSites.Mac, PhoneModels.Cisco7940, [line]));
        var xml = PhoneFileSet.Render(TestSites.Site, new Phone(TestSites.Mac, PhoneModels.Cisco7942, [line]));

        Assert.Contains("line1_shortname: \"Display name\"\n", Encoding.ASCII.GetString(cnf.Find("SIP001122AABBCC.cnf")!.Content), StringComparison.Ordinal);
        Assert.Contains(cnf.Warnings, w => w.Field == "line1_shortname" && w.Message.StartsWith("cut to 12", StringComparison.Ordinal));
        Assert.Contains("<displayName>Display name that is far too l</displayName>", Encoding.UTF8.GetString(xml.Find("SEP001122AABBCC.cnf.xml")!.Content), StringComparison.Ordinal);
        Assert.Contains(xml.Warnings, w => w.Field == "line 1 displayName" && w.Message.StartsWith("cut to 30", StringComparison.Ordinal));
    }

    [Fact]
    public void Pinned_load_goes_into_the_phone_file_only()
    {
        var result = PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7961", 1) with { Load = "SIP41.8-5-4S" });

        Assert.Contains("<loadInformation>SIP41.8-5-4S</loadInformation>", Encoding.UTF8.GetString(result.Find("SEP001122AABBCC.cnf.xml")!.Content), StringComparison.Ordinal);
        Assert.Contains(">SIP41.9-4-2SR3-1S</loadInformation30018>", Encoding.UTF8.GetString(result.Find("XMLDefault.cnf.xml")!.Content), StringComparison.Ordinal);
    }

    [Fact]
    public void Override_template_replaces_the_built_in_file_and_reports_unknown_placeholders()
    {
        var templates = new TemplateSet([new("SEP{mac}.cnf.xml", "<device><versionStamp>{{version_stamp}}</versionStamp><x>{{line1_display_name}}</x><p>{{line1_auth_password}}</p><y>{{nope}}</y></device>\n"),
                                         new("sipdefault.cnf", "proxy1_address: \"{{proxy1_address}}\"\n")]);
        var phone = TestSites.Phone("7945", 1);

        var result = PhoneFileSet.Render(TestSites.Site, phone, templates);
        var text = Encoding.UTF8.GetString(result.Find("SEP001122AABBCC.cnf.xml")!.Content);
        var sipDefault = SiteFileSet.Render(TestSites.Site, templates).Get("SIPDefault.cnf");

        Assert.Equal($"<device><versionStamp>{result.VersionStamp}</versionStamp><x>Ann &amp; Bob &lt;Sales&gt; &quot;Q&quot; &apos;x&apos;</x><p>s3cr;t #1</p><y></y></device>\n", text);
        Assert.Contains(result.Warnings, w => w.Message == "unknown placeholder '{{nope}}' left empty");
        Assert.Equal("proxy1_address: \"pbx.example.net\"\n", Encoding.ASCII.GetString(sipDefault.Content));
    }

    [Fact]
    public void Os79xx_is_one_token_without_newline()
    {
        var file = Os79xxRenderer.Render(TestSites.Site with { Loads = new SiteLoads { Sip79x0 = "P0S3-08-12-00 \r\n" } });

        Assert.Equal("P0S3-08-12-00"u8.ToArray(), file.File.Content);
        Assert.Single(file.Warnings);
    }
}
