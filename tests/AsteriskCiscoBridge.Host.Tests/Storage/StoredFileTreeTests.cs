using System.Net;
using System.Text;
using AsteriskCiscoBridge.Host.Tests.Cli;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Tftp.Files;

namespace AsteriskCiscoBridge.Host.Tests.Storage;

public sealed class StoredFileTreeTests
{
    private static readonly IPEndPoint Phone = new(IPAddress.Parse("192.0.2.50"), 50000);
    private static readonly IPEndPoint Local = new(IPAddress.Parse("192.0.2.10"), 69);

    [Fact]
    public async Task Stored_files_are_served_by_exact_and_case_insensitive_name()
    {
        using var cli = new CliHarness();
        var ct = TestContext.Current.CancellationToken;
        await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7960", "--line-data", cli.WriteLineData("""[{"endpoint":"1001","password":"pw"}]"""));
        await cli.RunAsync("bind", "001122aabbdd", "2001", "--model", "7965", "--line-data", cli.WriteLineData("""[{"endpoint":"2001","password":"pw2"}]"""));
        var factory = new SqliteConnectionFactory(new StorageOptions { Database = cli.DatabasePath });
        var source = new InMemoryFileSource("store");

        var count = await new StoredFileTree(new PhoneStore(factory), new ConfigStore(factory), source).ReloadAsync(ct);

        // 6 site files (no OS79XX.TXT: no 7940/7960 load is in the firmware folder) + SIP…cnf + SEP…cnf.xml
        Assert.Equal(8, count);
        foreach (var (requested, expectedStart) in ((string, string)[])
        [
            ("SIP001122AABBCC.cnf", "# SIP001122AABBCC.cnf"),
            ("sip001122aabbcc.cnf", "# SIP001122AABBCC.cnf"),
            ("SEP001122AABBDD.cnf.xml", "<device>"),
            ("sep001122aabbdd.CNF.XML", "<device>"),
            ("sipdefault.CNF", "# SIPDefault.cnf"),
            ("ringlist.xml", "<CiscoIPPhoneRingList>"),
            ("XmlDefault.cnf.xml", "<Default>"),
        ])
        {
            var lookup = await source.LookupAsync(new TftpFileRequest(requested, Phone, Local), ct);
            Assert.Equal(TftpLookupStatus.Found, lookup.Status);
            using var content = lookup.Content!;
            var buffer = new byte[content.Length];
            Assert.Equal(buffer.Length, content.Read(0, buffer));
            Assert.StartsWith(expectedStart, Encoding.UTF8.GetString(buffer), StringComparison.Ordinal);
        }

        Assert.Equal(TftpLookupStatus.NotHere, (await source.LookupAsync(new TftpFileRequest("SEP001122AABBEE.cnf.xml", Phone, Local), ct)).Status);
    }

    [Fact]
    public async Task Reload_after_unbind_stops_serving_the_phone_files()
    {
        using var cli = new CliHarness();
        var ct = TestContext.Current.CancellationToken;
        await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7960", "--line-data", cli.WriteLineData("""[{"endpoint":"1001","password":"pw"}]"""));
        var factory = new SqliteConnectionFactory(new StorageOptions { Database = cli.DatabasePath });
        var source = new InMemoryFileSource("store");
        var tree = new StoredFileTree(new PhoneStore(factory), new ConfigStore(factory), source);
        await tree.ReloadAsync(ct);

        await cli.RunAsync("unbind", "001122aabbcc");
        await tree.ReloadAsync(ct);

        Assert.Equal(TftpLookupStatus.NotHere, (await source.LookupAsync(new TftpFileRequest("SIP001122AABBCC.cnf", Phone, Local), ct)).Status);
        Assert.Equal(TftpLookupStatus.Found, (await source.LookupAsync(new TftpFileRequest("SIPDefault.cnf", Phone, Local), ct)).Status);
    }
}
