using AsteriskCiscoBridge.Testing.Ami;

namespace AsteriskCiscoBridge.Host.Tests.Cli;

public sealed class ResyncCommandTests
{
    private static AmiTestServer Asterisk()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "pw") with { Contacts = [new AmiTestContact("sip:6001@127.0.0.1:5070", "Cisco-CP7960G/8.0", "reg-6001")] });
        pbx.Set(AmiTestEndpoint.Plain("6002", "pw") with { Contacts = [new AmiTestContact("sip:6002@127.0.0.1:5071", "Cisco-CP7961G/9.4", "reg-6002")] });
        pbx.Set(AmiTestEndpoint.Plain("6003", "pw"));
        return AmiTestServer.Start(pbx);
    }

    private static int Notifies(AmiTestServer server)
    {
        var count = 0;
        while (server.Received.TryRead(out var received))
        {
            count += received.Action["Action"] == "PJSIPNotify" ? 1 : 0;
        }

        return count;
    }

    [Fact]
    public async Task Resync_all_sends_each_family_its_notify_and_says_who_has_no_contact()
    {
        await using var server = Asterisk();
        using var cli = new CliHarness(ami: new { Host = "127.0.0.1", server.Port, Username = "bridge", Secret = "bridgepw" });
        await cli.RunAsync("bind", "0011223344aa", "6001", "--model", "7960");
        await cli.RunAsync("bind", "0011223344bb", "6002", "--model", "7961");
        await cli.RunAsync("bind", "0011223344cc", "6003", "--model", "7940");

        var (exit, output, error) = await cli.RunAsync("resync", "--all");

        Assert.Equal((0, ""), (exit, error));
        Assert.Equal(
            "0011223344AA: check-sync via endpoint 6001\n" +
            "0011223344BB: service-control restart via endpoint 6002\n" +
            "0011223344CC: no live contact, nothing to send (it reads its files when it registers or boots)\n" +
            "sent 2 of 2\n",
            output);
        Assert.Equal(2, Notifies(server));
    }

    [Fact]
    public async Task Resync_dry_run_sends_nothing_and_an_unbound_mac_is_named()
    {
        await using var server = Asterisk();
        using var cli = new CliHarness(ami: new { Host = "127.0.0.1", server.Port, Username = "bridge", Secret = "bridgepw" });
        await cli.RunAsync("bind", "0011223344aa", "6001", "--model", "7960");

        var (exit, output, _) = await cli.RunAsync("resync", "00:11:22:33:44:aa", "0011.2233.44dd", "--dry-run");

        Assert.Equal(0, exit);
        Assert.Equal("0011223344AA: check-sync via endpoint 6001\n0011223344DD: not bound (acb bind 0011223344DD ENDPOINT…)\n", output);
        Assert.Equal(0, Notifies(server));
    }

    [Fact]
    public async Task Resync_says_where_a_phone_stood_and_that_a_refused_notify_is_retried_and_why()
    {
        await using var server = Asterisk();
        using var cli = new CliHarness(ami: new { Host = "127.0.0.1", server.Port, Username = "bridge", Secret = "bridgepw" });
        await cli.RunAsync("bind", "0011223344aa", "6001", "--model", "7960");
        server.RefuseNotifies = 1;

        var (exit, output, _) = await cli.RunAsync("resync", "0011223344aa");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("0011223344AA: check-sync via endpoint 6001", lines[0], StringComparison.Ordinal);
        Assert.Equal("sent 0 of 1", lines[1]);
        Assert.Matches(@"^0011223344AA: retry at \S+Z: Asterisk refused the check-sync NOTIFY: Unable to retrieve endpoint 6001 \(try 1 of 3; again at \S+Z\)$", lines[2]);

        // Asked again: the line says where it stood.
        (_, output, _) = await cli.RunAsync("resync", "0011223344aa");
        Assert.StartsWith("0011223344AA: check-sync via endpoint 6001 (was retry at ", output, StringComparison.Ordinal);
        Assert.EndsWith("sent 1 of 1\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "resync" }, "give MAC addresses or --all")]
    [InlineData(new[] { "resync", "0011223344aa", "--all" }, "give MAC addresses or --all")]
    public async Task Resync_needs_macs_or_all(string[] args, string message)
    {
        using var cli = new CliHarness(ami: new { Host = "127.0.0.1", Port = 1, Username = "bridge", Secret = "bridgepw" });

        var (exit, _, error) = await cli.RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
