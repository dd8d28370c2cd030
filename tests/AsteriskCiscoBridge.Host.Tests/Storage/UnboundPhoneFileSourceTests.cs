using System.Net;
using System.Text;
using AsteriskCiscoBridge.Host.Tests.Cli;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Tftp.Files;

namespace AsteriskCiscoBridge.Host.Tests.Storage;

public sealed class UnboundPhoneFileSourceTests
{
    private static readonly IPEndPoint Phone = new(IPAddress.Parse("192.0.2.50"), 50000);
    private static readonly IPEndPoint Local = new(IPAddress.Parse("192.0.2.10"), 69);

    private static async Task<(TftpLookup Stored, TftpLookup Unbound)> LookupAsync(InMemoryFileSource stored, UnboundPhoneFileSource unbound, string name)
    {
        var request = new TftpFileRequest(name, Phone, Local);
        var ct = TestContext.Current.CancellationToken;
        return (await stored.LookupAsync(request, ct), await unbound.LookupAsync(request, ct));
    }

    [Fact]
    public async Task An_unbound_phone_gets_the_unprovisioned_config_and_never_a_bound_phones_lines()
    {
        using var cli = new CliHarness();
        var ct = TestContext.Current.CancellationToken;
        await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7960", "--line-data", cli.WriteLineData("""[{"endpoint":"1001","password":"secret-1001"}]"""));
        var factory = new SqliteConnectionFactory(new StorageOptions { Database = cli.DatabasePath });
        var stored = new InMemoryFileSource("store");
        var unbound = new UnboundPhoneFileSource(new SiteSettings { AsteriskHost = "192.0.2.10" });
        await new StoredFileTree(new PhoneStore(factory), new ConfigStore(factory), stored, unbound).ReloadAsync(ct);

        var stranger = await LookupAsync(stored, unbound, "SIP001122AABBDD.cnf");
        var boundOtherFamily = await LookupAsync(stored, unbound, "SEP001122AABBCC.cnf.xml");
        var boundOwn = await LookupAsync(stored, unbound, "SIP001122AABBCC.cnf");
        var other = await LookupAsync(stored, unbound, "CTLSEP001122AABBDD.tlv");

        Assert.Equal((TftpLookupStatus.NotHere, TftpLookupStatus.Found), (stranger.Stored.Status, stranger.Unbound.Status));
        using var content = stranger.Unbound.Content!;
        var bytes = new byte[content.Length];
        content.Read(0, bytes);
        var text = Encoding.ASCII.GetString(bytes);
        Assert.Contains("phone_label: \"Unprovisioned\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-1001", text, StringComparison.Ordinal);
        Assert.Equal(TftpLookupStatus.NotFound, boundOtherFamily.Unbound.Status);
        Assert.Equal(TftpLookupStatus.Found, boundOwn.Stored.Status);
        Assert.Equal(TftpLookupStatus.NotHere, other.Unbound.Status);
    }

    [Fact]
    public async Task Not_found_policy_answers_file_not_found_for_an_unbound_phone()
    {
        var unbound = new UnboundPhoneFileSource(new SiteSettings { Unprovisioned = UnprovisionedPolicy.NotFound });

        var lookup = await unbound.LookupAsync(new TftpFileRequest("sep001122aabbdd.cnf.xml", Phone, Local), TestContext.Current.CancellationToken);

        Assert.Equal(TftpLookupStatus.NotFound, lookup.Status);
        Assert.Equal("001122AABBDD is not bound (unprovisioned policy: not found)", lookup.Reason);
    }
}
