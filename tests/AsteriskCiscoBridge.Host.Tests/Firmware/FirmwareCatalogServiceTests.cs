using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Host.Tests.Support;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Firmware;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.Extensions.DependencyInjection;

namespace AsteriskCiscoBridge.Host.Tests.Firmware;

/// <summary>The service re-reads the firmware folder at start: the folder is the truth, the store's catalog follows it.</summary>
public sealed class FirmwareCatalogServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Settings(TempDirectory folder, params (string Key, string Value)[] more)
    {
        var settings = LoopbackRun.Settings(Path.Combine(folder.Path, "firmware"), Path.Combine(folder.Path, "acb.db"));
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task Start_records_the_folder_in_the_store_and_offers_only_a_complete_default()
    {
        using var folder = new TempDirectory("acb-fwsvc");
        foreach (var load in new[] { SyntheticFirmware.Classic("P0S3-08-12-00"), SyntheticFirmware.Java("SIP41.9-4-2SR3-1S").Without("cvm41sip.9-4-2SR3-1S.sbn") })
        {
            foreach (var (name, bytes) in load.Files)
            {
                folder.Write(Path.Combine("firmware", name), bytes);
            }
        }

        await using var app = RunCommand.Build([], null, Settings(folder, ("Firmware:Defaults:7960", "P0S3-08-12-00"), ("Firmware:Defaults:7961", "SIP41.9-4-2SR3-1S")));
        await app.StartAsync(Ct);
        var tftp = app.Services.GetRequiredService<TftpHostedService>().Server.LocalEndPoints[0];

        var loads = await new FirmwareStore(new SqliteConnectionFactory(new StorageOptions { Database = Path.Combine(folder.Path, "acb.db") })).LoadsAsync(Ct);
        using var client = new TftpTestClient();
        var (os79xx, _) = await client.DownloadAsync(tftp, "OS79XX.TXT", Ct);
        using var other = new TftpTestClient();
        var (xmlDefault, _) = await other.DownloadAsync(tftp, "XMLDefault.cnf.xml", Ct);
        await app.StopAsync(Ct);

        Assert.Equal([("P0S3-08-12-00", true), ("SIP41.9-4-2SR3-1S", false)], loads.Select(l => (l.Load.Name, l.Load.IsComplete)));
        Assert.Equal("missing cvm41sip.9-4-2SR3-1S.sbn", loads[1].Load.Explain());
        Assert.Equal("P0S3-08-12-00"u8.ToArray(), os79xx);
        var text = System.Text.Encoding.UTF8.GetString(xmlDefault);
        Assert.Contains("<loadInformation7 model=\"IP Phone 7960\">P0S3-08-12-00</loadInformation7>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SIP41.9-4-2SR3-1S", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_default_or_staircase_rule_stops_the_service_with_one_line()
    {
        using var folder = new TempDirectory("acb-fwsvc");

        var error = Assert.Throws<InvalidOperationException>(() => RunCommand.Build([], null, Settings(folder, ("Firmware:Defaults:7961", "SIP42.9-4-2SR3-1S"), ("Firmware:Staircase:0", "oops"))));

        Assert.Equal("Firmware:Defaults:7961: SIP42.9-4-2SR3-1S is a load for 7942/7962, not the 7961; Firmware:Staircase: 'oops' does not start with 'ID:'", error.Message);
    }
}
