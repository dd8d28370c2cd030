using System.Net;
using System.Text.Json;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Host.Tests.Cli;
using AsteriskCiscoBridge.Host.Tests.Support;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AsteriskCiscoBridge.Host.Tests.Provisioning;

/// <summary>The service over real TFTP and HTTP on loopback and a real SQLite file, read back by the CLI verbs.</summary>
public sealed class PhoneDiscoveryTests
{
    private static readonly MacAddress Mac7940 = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly MacAddress Mac7961 = MacAddress.Parse("0011223344BB").Mac!.Value;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static WebApplication Build(CliHarness cli, TempDirectory firmware, params (string Key, string Value)[] more)
    {
        var overrides = LoopbackRun.Settings(firmware.Path, cli.DatabasePath);
        foreach (var (key, value) in more)
        {
            overrides[key] = value;
        }

        return RunCommand.Build([], null, overrides);
    }


    [Fact]
    public async Task Unbound_phones_asking_over_tftp_and_http_land_in_the_inbox_with_a_model_guess_and_bind_claims_them()
    {
        using var cli = new CliHarness();
        using var firmware = new TempDirectory("acb-fw");
        await using var app = Build(cli, firmware);
        await app.StartAsync(Ct);
        var tftp = app.Services.GetRequiredService<TftpHostedService>().Server.LocalEndPoints[0];
        var discovery = app.Services.GetRequiredService<PhoneDiscovery>();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var handled = discovery.HandledCount.Value;

        // A 7940 on SIP boots (spec §1.2); a 79x1 tries HTTP 6970 first (spec §1.1).
        await TftpTestClient.AskAsync(tftp, "127.0.0.50", "OS79XX.TXT", Ct);
        await TftpTestClient.AskAsync(tftp, "127.0.0.50", $"SIP{Mac7940}.cnf", Ct);
        await TftpTestClient.AskAsync(tftp, "127.0.0.50", "P0S3-08-12-00.loads", Ct);
        using var overHttp = await http.GetAsync(new Uri($"SEP{Mac7961}.cnf.xml", UriKind.Relative), Ct);
        await TftpTestClient.AskAsync(tftp, "127.0.0.50", $"SIP{Mac7940}.cnf", Ct);
        // None of the five is answered by the store (the firmware folder is empty, so there is no OS79XX.TXT either):
        // discovery sees all five, one after another.
        await discovery.HandledCount.ReachedAsync(handled + 5, Ct).WithinAsync(TimeSpan.FromSeconds(30), "the five requests seen by discovery", Ct);

        var (exit, table, _) = await cli.RunAsync("phones", "--unbound");
        var (_, json, _) = await cli.RunAsync("phones", "--unbound", "--json");
        var rows = JsonDocument.Parse(json).RootElement;

        Assert.Equal(0, exit);
        Assert.Equal(2, rows.GetArrayLength());
        var phone7940 = rows.EnumerateArray().Single(r => r.GetProperty("mac").GetString() == Mac7940.Value);
        Assert.Equal("127.0.0.50", phone7940.GetProperty("address").GetString());
        Assert.Equal("7940/7960 (SIP)", phone7940.GetProperty("modelGuess").GetString());
        Assert.Equal([$"SIP{Mac7940}.cnf", "P0S3-08-12-00.loads"], phone7940.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(2, phone7940.GetProperty("requests").GetInt64());
        var phone7961 = rows.EnumerateArray().Single(r => r.GetProperty("mac").GetString() == Mac7961.Value);
        Assert.Equal("127.0.0.1", phone7961.GetProperty("address").GetString());
        Assert.Equal("79x1/79x2/79x5/797x or a later series, or a 7940/7960 on SCCP", phone7961.GetProperty("modelGuess").GetString());
        Assert.Contains($"{Mac7940}  127.0.0.50       7940/7960 (SIP)", table, StringComparison.Ordinal);

        // The model is learned, never demanded: its requests named the 7940/7960 family, so that is what it is bound as.
        var claimed = await cli.RunAsync("bind", Mac7940.Value, "6001");
        var (_, after, _) = await cli.RunAsync("phones", "--unbound");
        var stored = await new PhoneStore(new SqliteConnectionFactory(new StorageOptions { Database = cli.DatabasePath })).GetAsync(Mac7940, Ct);

        Assert.Equal(0, claimed.Exit);
        Assert.StartsWith($"bound {Mac7940} (model learned from Asterisk or its first request) to 6001", claimed.Output, StringComparison.Ordinal);
        Assert.Equal(("7940/7960", "files"), (stored!.Model, stored.ModelSource));
        Assert.Contains("claimed from the discovery inbox (last seen at 127.0.0.50)", claimed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Mac7940.Value, after, StringComparison.Ordinal);
        Assert.Contains(Mac7961.Value, after, StringComparison.Ordinal);
        await app.StopAsync(Ct);
    }

    [Fact]
    public async Task A_phone_whose_loads_name_one_model_is_bound_without_model()
    {
        using var cli = new CliHarness();
        using var firmware = new TempDirectory("acb-fw");
        await using var app = Build(cli, firmware);
        await app.StartAsync(Ct);
        var tftp = app.Services.GetRequiredService<TftpHostedService>().Server.LocalEndPoints[0];
        var discovery = app.Services.GetRequiredService<PhoneDiscovery>();
        var handled = discovery.HandledCount.Value;

        await TftpTestClient.AskAsync(tftp, "127.0.0.52", "CTLSEP0011223344CC.tlv", Ct);
        await TftpTestClient.AskAsync(tftp, "127.0.0.52", "SEP0011223344CC.cnf.xml", Ct);
        await TftpTestClient.AskAsync(tftp, "127.0.0.52", "SIP75.9-4-2SR3-1S.loads", Ct);
        await discovery.HandledCount.ReachedAsync(handled + 3, Ct).WithinAsync(TimeSpan.FromSeconds(30), "three requests seen by discovery", Ct);

        var bound = await cli.RunAsync("bind", "0011223344CC", "6001");

        Assert.Equal(0, bound.Exit);
        Assert.Contains("bound 0011223344CC (7975) to 6001", bound.Output, StringComparison.Ordinal);
        await app.StopAsync(Ct);
    }
}
