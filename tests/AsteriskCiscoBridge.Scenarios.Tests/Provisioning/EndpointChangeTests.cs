using System.Globalization;
using System.Net;
using System.Text;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Host.Files;
using AsteriskCiscoBridge.Host.Provisioning;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AsteriskCiscoBridge.Scenarios.Tests.Provisioning;

/// <summary>
/// `acb run` against the AMI test server (recorded wire format): an admin changes an endpoint's
/// password and reloads PJSIP; the bridge re-renders exactly the phone that carries it and
/// serves the new file over TFTP, while other phones keep their bytes.
/// </summary>
public sealed class EndpointChangeTests
{
    private static readonly MacAddress Mac7960 = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly MacAddress Mac7961 = MacAddress.Parse("0011223344BB").Mac!.Value;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_password_change_and_reload_reach_exactly_the_phone_of_that_endpoint()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "first-secret", "\"Ann Smith\" <6001>"));
        pbx.Set(AmiTestEndpoint.Plain("6002", "other-secret", "\"Bob\" <6002>"));
        await using var asterisk = AmiTestServer.Start(pbx);
        using var data = new TempDirectory("acb-run");
        var database = Path.Combine(data.Path, "acb.db");
        var connections = new SqliteConnectionFactory(new StorageOptions { Database = database });
        await connections.MigrateAsync(Ct);
        var phones = new PhoneStore(connections);
        await phones.BindAsync(Mac7960, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6001" }], "test", DateTimeOffset.UtcNow, Ct);
        await phones.BindAsync(Mac7961, PhoneModels.Find("7961")!, [new BindingRow { Position = 1, Endpoint = "6002" }], "test", DateTimeOffset.UtcNow, Ct);

        await using var app = RunCommand.Build([], null, new Dictionary<string, string?>
        {
            ["Tftp:Listen:0"] = "127.0.0.1:0",
            ["Http:Listen:0"] = "127.0.0.1:0",
            ["Storage:Database"] = database,
            ["Firmware:Directory"] = Path.Combine(data.Path, "firmware"),
            ["Ami:Host"] = "127.0.0.1",
            ["Ami:Port"] = asterisk.Port.ToString(CultureInfo.InvariantCulture),
            ["Ami:Username"] = "bridge",
            ["Ami:Secret"] = "bridgepw",
            ["Ami:Sync:Debounce"] = "00:00:00.050",
            ["Site:AsteriskHost"] = "pbx.example.net",
        });
        await app.StartAsync(Ct);
        var sync = app.Services.GetRequiredService<EndpointSyncService>();
        var tftp = app.Services.GetRequiredService<TftpHostedService>().Server.LocalEndPoints[0];

        await Eventually.TrueAsync(() => sync.Rounds >= 1, "first provisioning round", Ct, TimeSpan.FromSeconds(30));
        var before7960 = await FetchAsync(tftp, $"SIP{Mac7960}.cnf");
        var before7961 = await FetchAsync(tftp, $"SEP{Mac7961}.cnf.xml");
        Assert.Contains("line1_password: \"first-secret\"", before7960, StringComparison.Ordinal);
        Assert.Contains("line1_displayname: \"Ann Smith\"", before7960, StringComparison.Ordinal);
        Assert.Contains("<authPassword>other-secret</authPassword>", before7961, StringComparison.Ordinal);

        pbx.Set(AmiTestEndpoint.Plain("6001", "second-secret", "\"Ann Smith\" <6001>"));
        await asterisk.SendReloadAsync(Ct);
        await Eventually.TrueAsync(() => sync.Rounds >= 2, "a round after the reload", Ct, TimeSpan.FromSeconds(30));

        Assert.Equal([Mac7960], sync.LastRound!.Changed);
        Assert.Contains("line1_password: \"second-secret\"", await FetchAsync(tftp, $"SIP{Mac7960}.cnf"), StringComparison.Ordinal);
        Assert.Equal(before7961, await FetchAsync(tftp, $"SEP{Mac7961}.cnf.xml"));
        await app.StopAsync(Ct);
    }

    [Fact]
    public async Task With_asterisk_unreachable_the_service_serves_what_the_store_holds()
    {
        using var data = new TempDirectory("acb-run");
        var database = Path.Combine(data.Path, "acb.db");
        var connections = new SqliteConnectionFactory(new StorageOptions { Database = database });
        await connections.MigrateAsync(Ct);
        var phones = new PhoneStore(connections);
        await phones.BindAsync(Mac7960, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6001", Password = "stored" }], "test", DateTimeOffset.UtcNow, Ct);
        var renderer = new StoredPhoneRenderer(phones, new ConfigStore(connections), new SiteSettings(), AsteriskCiscoBridge.Provisioning.Rendering.TemplateSet.Empty);
        var render = await renderer.RenderAsync(Mac7960, Ct);
        await renderer.SaveAsync(Mac7960, render, DateTimeOffset.UtcNow, Ct);

        await using var app = RunCommand.Build([], null, new Dictionary<string, string?>
        {
            ["Tftp:Listen:0"] = "127.0.0.1:0",
            ["Http:Listen:0"] = "127.0.0.1:0",
            ["Storage:Database"] = database,
            ["Firmware:Directory"] = Path.Combine(data.Path, "firmware"),
            ["Ami:Host"] = "127.0.0.1",
            ["Ami:Port"] = "1",
            ["Ami:Username"] = "bridge",
            ["Ami:Secret"] = "bridgepw",
        });
        await app.StartAsync(Ct);
        var tftp = app.Services.GetRequiredService<TftpHostedService>().Server.LocalEndPoints[0];

        // Bounded: the store is published at start, before any AMI attempt can succeed.
        string? served = null;
        for (var attempt = 0; attempt < 200 && served is null; attempt++)
        {
            served = await TryFetchAsync(tftp, $"SIP{Mac7960}.cnf");
            if (served is null)
            {
                await Task.Delay(50, Ct);
            }
        }

        Assert.Contains("line1_password: \"stored\"", served, StringComparison.Ordinal);
        await app.StopAsync(Ct);
    }

    private static async Task<string> FetchAsync(IPEndPoint server, string name)
    {
        using var client = new TftpTestClient();
        return Encoding.UTF8.GetString((await client.DownloadAsync(server, name, Ct)).Bytes);
    }

    private static async Task<string?> TryFetchAsync(IPEndPoint server, string name)
    {
        try
        {
            return await FetchAsync(server, name);
        }
        catch (TftpErrorException)
        {
            return null;
        }
    }
}
