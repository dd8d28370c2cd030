using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Host.Tests.Cli;

public sealed class RenderCommandTests
{
    private const string Line = """[{"endpoint":"1001","extension":"1001","password":"s3cret","displayName":"Zoë & Co"}]""";

    [Fact]
    public async Task Render_one_file_prints_exactly_what_the_renderer_makes_from_the_stored_binding()
    {
        using var cli = new CliHarness();
        await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7942", "--line-data", cli.WriteLineData(Line));
        // No load is in the firmware folder: none is offered (empty), so the phone keeps what it runs.
        var expected = PhoneFileSet.Render(
            new SiteSettings { AsteriskHost = "192.0.2.10", DirectoryUrl = $"http://{SipServer.RequestLocalHost}:6970/directory", Loads = new SiteLoads { Sip79x0 = "", Sip79x1 = new Dictionary<string, string>() } },
            new Phone(MacAddress.Parse("001122AABBCC").Mac!.Value, PhoneModels.Cisco7942, [new LineInput("1001", null, "s3cret", "Zoë & Co")], Load: ""));

        var (exit, output, _) = await cli.RunAsync("render", "001122aabbcc", "sep001122aabbcc.cnf.xml");

        Assert.Equal(0, exit);
        Assert.Equal(Encoding.UTF8.GetString(expected.Find("SEP001122AABBCC.cnf.xml")!.Content), output);
        Assert.Contains("<authPassword>s3cret</authPassword>", output, StringComparison.Ordinal);
        Assert.DoesNotContain("loadInformation", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_without_a_file_prints_every_file_with_a_header()
    {
        using var cli = new CliHarness();
        await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7940", "--line-data", cli.WriteLineData(Line));

        var (_, output, error) = await cli.RunAsync("render", "001122aabbcc");

        Assert.Equal(
            ["SIPDefault.cnf", "SIP001122AABBCC.cnf", "syncinfo.xml", "RINGLIST.DAT", "dialplan.xml"],
            output.Split('\n').Where(l => l.StartsWith("==> ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]));

        // No 7940/7960 load is in the firmware folder: no OS79XX.TXT and no image_version, the phone keeps its image.
        Assert.DoesNotContain("image_version", output, StringComparison.Ordinal);
        Assert.Contains("warning: SIP001122AABBCC.cnf line1_displayname: 'ë' became 'e'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("192.0.2.10", null, "proxy: 192.0.2.10:5060/udp from Site:AsteriskHost; port from the SIP default (no transport known)")]
    [InlineData(null, "pbx.lan", "proxy: pbx.lan:5060/udp from Ami:Host; port from the SIP default (no transport known)")]
    [InlineData(null, "127.0.0.1", "proxy: <the address each phone reaches this machine at>:5060/udp from the address each phone's request reaches this machine at (Ami:Host 127.0.0.1 is loopback); port from the SIP default (no transport known)")]
    public async Task Render_says_where_the_phone_is_pointed_and_which_source_said_so(string? siteHost, string? amiHost, string expected)
    {
        using var cli = new CliHarness(site: new { AsteriskHost = siteHost }, ami: amiHost is null ? null : new { Host = amiHost });
        await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7940", "--line-data", cli.WriteLineData(Line));

        var (exit, output, error) = await cli.RunAsync("render", "001122aabbcc", "SIP001122AABBCC.cnf");

        Assert.Equal(0, exit);
        Assert.Contains(expected + "\n", error, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.1\"", output, StringComparison.Ordinal);
        Assert.Contains($"proxy1_address: \"{siteHost ?? (amiHost == "pbx.lan" ? amiHost : SipServer.RequestLocalHost)}\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_of_an_unbound_phone_shows_the_credential_free_answer()
    {
        using var cli = new CliHarness();

        var (exit, output, error) = await cli.RunAsync("render", "001122aabbcc", "SIP001122AABBCC.cnf");

        Assert.Equal(0, exit);
        Assert.Contains("is not bound: showing the unprovisioned answer", error, StringComparison.Ordinal);
        Assert.Contains("line1_authname: \"UNPROVISIONED\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_of_a_bound_phone_without_line_data_fails_with_the_reason()
    {
        using var cli = new CliHarness();
        await cli.RunAsync("bind", "001122aabbcc", "1001,1002", "--model", "7960");

        var (exit, output, error) = await cli.RunAsync("render", "001122aabbcc");

        Assert.Equal((1, ""), (exit, output));
        Assert.Equal("001122AABBCC: no line can be provisioned: no line data for endpoint 1001 yet: the bridge has not read Asterisk; no line data for endpoint 1002 yet: the bridge has not read Asterisk\n", error);
    }

    [Fact]
    public async Task Render_of_a_file_the_phone_does_not_get_lists_what_it_gets()
    {
        using var cli = new CliHarness();
        await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7960", "--line-data", cli.WriteLineData(Line));

        var (exit, _, error) = await cli.RunAsync("render", "001122aabbcc", "XMLDefault.cnf.xml");

        Assert.Equal(1, exit);
        Assert.StartsWith("001122AABBCC gets no file named 'XMLDefault.cnf.xml' (it gets: SIPDefault.cnf", error.TrimEnd('\n').Split('\n')[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_uses_a_template_from_the_override_folder_by_name_in_any_case()
    {
        var folder = Directory.CreateTempSubdirectory("acb-templates-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "sip{MAC}.CNF"), "# site template\nline1_name: \"{{line1_name}}\"\nline1_password: \"{{line1_password}}\"\nsync: \"{{sync}}\"\nmac: \"{{mac}}\"\n");
            File.WriteAllText(Path.Combine(folder, "unrelated.txt"), "ignored");
            using var cli = new CliHarness(new { AsteriskHost = "192.0.2.10", TemplateFolder = folder });
            await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7940", "--line-data", cli.WriteLineData(Line));

            var (exit, output, _) = await cli.RunAsync("render", "001122aabbcc", "SIP001122AABBCC.cnf");

            Assert.Equal(0, exit);
            Assert.Matches("^# site template\nline1_name: \"1001\"\nline1_password: \"s3cret\"\nsync: \"[0-9A-F]{16}\"\nmac: \"001122AABBCC\"\n$", output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_template_that_does_not_parse_is_one_line_naming_the_file_line_and_column()
    {
        var folder = Directory.CreateTempSubdirectory("acb-templates-").FullName;
        try
        {
            var template = Path.Combine(folder, "SEP{mac}.cnf.xml");
            File.WriteAllText(template, "<device>\n{% for line in lines %}<name>{{ line.name }}</name>\n</device>\n");
            using var cli = new CliHarness(new { AsteriskHost = "192.0.2.10", TemplateFolder = folder });
            await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7942", "--line-data", cli.WriteLineData(Line));

            var (exit, output, error) = await cli.RunAsync("render", "001122aabbcc", "SEP001122AABBCC.cnf.xml");

            Assert.Equal(1, exit);
            Assert.Empty(output);
            Assert.Equal($"001122AABBCC: template {template}, line 4, column 1: '{{% endfor %}}' was expected\n", error);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Render_save_stores_new_content_once()
    {
        using var cli = new CliHarness();
        await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7942", "--line-data", cli.WriteLineData(Line));

        var first = await cli.RunAsync("render", "001122aabbcc", "--save");
        var phones = await cli.RunAsync("phones", "--json");

        Assert.Contains("stored: Unchanged, sync counter 1\n", first.Error, StringComparison.Ordinal);
        Assert.Contains("\"syncCounter\": 1", phones.Output, StringComparison.Ordinal);
    }
}
