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
    public async Task Credentials_the_phone_cannot_carry_are_refused_at_render_time()
    {
        using var cli = new CliHarness();

        var (exit, output, _) = await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7960", "--line-data", cli.WriteLineData("""[{"endpoint":"1001","password":"has\"quote"}]"""));

        Assert.Equal(0, exit);
        Assert.Contains("files not rendered: 001122AABBCC: line 1 password contains '\"'", output, StringComparison.Ordinal);
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
}
