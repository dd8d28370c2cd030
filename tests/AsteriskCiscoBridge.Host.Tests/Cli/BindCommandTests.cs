namespace AsteriskCiscoBridge.Host.Tests.Cli;

public sealed class BindCommandTests
{
    private const string TwoLines = """[{"endpoint":"1001","password":"s3cret","displayName":"Ann & Bob"},{"endpoint":"1002","authUser":"u1002","password":"pw2"}]""";

    [Fact]
    public async Task Bind_with_line_data_stores_the_phone_and_its_rendered_files()
    {
        using var cli = new CliHarness();

        var (exit, output, error) = await cli.RunAsync("bind", "00:11:22:aa:bb:cc", "1001,1002", "--model", "7960G", "--line-data", cli.WriteLineData(TwoLines));

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Equal(
            "bound 001122AABBCC (7960) to 1001, 1002\n" +
            "files rendered and stored: SIPDefault.cnf, SIP001122AABBCC.cnf, syncinfo.xml, RINGLIST.DAT, dialplan.xml; sync counter 1\n",
            output);
    }

    [Fact]
    public async Task Binding_again_with_the_same_data_leaves_the_counter_and_new_data_bumps_it()
    {
        using var cli = new CliHarness();
        var lines = cli.WriteLineData(TwoLines);
        await cli.RunAsync("bind", "001122aabbcc", "1001,1002", "--model", "7962", "--line-data", lines);

        var same = await cli.RunAsync("bind", "001122aabbcc", "1001,1002", "--line-data", lines);
        var changed = await cli.RunAsync("bind", "001122aabbcc", "1001,1002", "--line-data", cli.WriteLineData(TwoLines.Replace("pw2", "pw3", StringComparison.Ordinal)));

        Assert.EndsWith("files unchanged; sync counter 1\n", same.Output, StringComparison.Ordinal);
        Assert.StartsWith("rebound 001122AABBCC (7962)", same.Output, StringComparison.Ordinal);
        Assert.EndsWith("sync counter 2\n", changed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bind_without_line_data_records_the_binding_and_says_why_nothing_was_rendered()
    {
        using var cli = new CliHarness();

        var (exit, output, _) = await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7941");

        Assert.Equal(0, exit);
        Assert.Equal("bound 001122AABBCC (7941) to 1001\nfiles not rendered: 001122AABBCC: no line can be provisioned: no line data for endpoint 1001 yet: the bridge has not read Asterisk\n", output);
    }

    [Theory]
    [InlineData(new[] { "bind", "00:11:22:aa:bb", "1001", "--model", "7960" }, 2, "is not a MAC address")]
    [InlineData(new[] { "bind", "001122aabbcc", "1001", "--model", "7912" }, 2, "unsupported model '7912'")]
    [InlineData(new[] { "bind", "001122aabbcc", "1,2,3", "--model", "7940" }, 1, "a 7940 has 2 line buttons; 3 endpoints given")]
    [InlineData(new[] { "bind", "001122aabbcc", "1,1", "--model", "7960" }, 2, "distinct endpoint names")]
    public async Task Bad_input_fails_with_a_one_line_reason(string[] args, int exit, string reason)
    {
        using var cli = new CliHarness();

        var result = await cli.RunAsync(args);

        Assert.Equal(exit, result.Exit);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task A_line_the_phone_file_cannot_carry_is_left_out_and_the_others_are_stored()
    {
        using var cli = new CliHarness();
        const string Lines = """[{"endpoint":"1001","password":"good1"},{"endpoint":"1002","password":"has\"quote"},{"endpoint":"1003","password":"good3"}]""";

        var (exit, output, error) = await cli.RunAsync("bind", "001122aabbcc", "1001,1002,1003", "--model", "7960", "--line-data", cli.WriteLineData(Lines));
        var file = await cli.RunAsync("render", "001122aabbcc", "SIP001122AABBCC.cnf");

        Assert.Equal(0, exit);
        Assert.EndsWith("sync counter 1\n", output, StringComparison.Ordinal);
        Assert.Equal("warning: SIP001122AABBCC.cnf lineN_password: line 2 (1002) left out: contains '\"', which a quoted cnf value cannot hold (the format has no escape for it, spec §2.2)\n", error);
        Assert.Contains("line1_name: \"1001\"\nline1_authname: \"1001\"\nline1_password: \"good1\"", file.Output, StringComparison.Ordinal);
        Assert.Contains("line2_name: \"1003\"\nline2_authname: \"1003\"\nline2_password: \"good3\"", file.Output, StringComparison.Ordinal);
        Assert.Contains("line3_name: \"\"", file.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("1002", file.Output, StringComparison.Ordinal);
        Assert.Contains("line 2 (1002) left out", file.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_phone_none_of_whose_lines_fits_is_served_the_unprovisioned_answer()
    {
        using var cli = new CliHarness();

        var (exit, output, error) = await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7960", "--line-data", cli.WriteLineData("""[{"endpoint":"1001","password":"has\"quote"}]"""));
        var file = await cli.RunAsync("render", "001122aabbcc", "SIP001122AABBCC.cnf");

        Assert.Equal(0, exit);
        Assert.EndsWith("no line fits the phone's file: it is served what an unbound phone gets (a configuration without credentials); sync counter 1\n", output, StringComparison.Ordinal);
        Assert.Contains("line 1 (1001) left out", error, StringComparison.Ordinal);
        Assert.Contains("phone_label: \"Unprovisioned\"", file.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("quote", file.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bind_with_settings_stores_them_and_the_phone_files_carry_them()
    {
        using var cli = new CliHarness();

        var bind = await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7960", "--line-data", cli.WriteLineData("""[{"endpoint":"1001","password":"s3cret"}]"""),
            "--set", "label=Front desk", "--set", "cnf:call_waiting=0");
        var file = await cli.RunAsync("render", "001122aabbcc", "SIP001122AABBCC.cnf");

        Assert.Equal(0, bind.Exit);
        Assert.Contains("settings: label, cnf:call_waiting\n", bind.Output, StringComparison.Ordinal);
        Assert.Contains("phone_label: \"Front desk\"", file.Output, StringComparison.Ordinal);
        Assert.Contains("call_waiting: \"0\"", file.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bind_refuses_an_unknown_setting_before_touching_the_store()
    {
        using var cli = new CliHarness();

        var (exit, _, error) = await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7960", "--set", "volume=11");

        Assert.Equal(2, exit);
        Assert.Contains("--set: unknown setting 'volume'", error, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.DatabasePath));
    }

    [Fact]
    public async Task Speed_dials_fill_the_buttons_after_the_lines_and_one_too_many_is_refused_in_one_line()
    {
        using var cli = new CliHarness();
        var lines = cli.WriteLineData(TwoLines);

        var bound = await cli.RunAsync("bind", "001122aabbcc", "1001,1002", "--model", "CP-8841", "--line-data", lines,
            "--set", "key.1=speeddial:6001:Reception", "--set", "key.2=blf:6002:Bob", "--set", "key.3=speeddial:*97");
        var tooMany = await cli.RunAsync("bind", "001122aabbcc", "1001,1002", "--line-data", lines,
            "--set", "key.1=speeddial:6001", "--set", "key.2=blf:6002", "--set", "key.3=speeddial:6003", "--set", "key.4=speeddial:6004");
        var render = await cli.RunAsync("render", "001122aabbcc", "SEP001122AABBCC.cnf.xml");
        var phones = await cli.RunAsync("phones", "--json");

        Assert.Equal(0, bound.Exit);
        Assert.Equal((2, "--set: an 8841 has 5 buttons: 2 lines leave 3 for keys, 4 given (key.1, key.2, key.3, key.4)\n"), (tooMany.Exit, tooMany.Error));
        var device = System.Xml.Linq.XElement.Parse(render.Output);
        Assert.Equal(
            [("9", null), ("9", null), ("2", "6001"), ("21", "6002"), ("2", "*97")],
            device.Descendants("line").Select(l => ((string?)l.Element("featureID"), (string?)l.Element("speedDialNumber"))));
        Assert.Contains("key: key.2=blf:6002:Bob (acb bind --set or the dashboard)", render.Error, StringComparison.Ordinal);
        var keys = System.Text.Json.JsonDocument.Parse(phones.Output).RootElement[0].GetProperty("keys");
        Assert.Equal(["speeddial 6001 Reception", "blf 6002 Bob", "speeddial *97 *97"], keys.EnumerateArray().Select(k => $"{k.GetProperty("kind").GetString()} {k.GetProperty("number").GetString()} {k.GetProperty("label").GetString()}"));
    }
}
