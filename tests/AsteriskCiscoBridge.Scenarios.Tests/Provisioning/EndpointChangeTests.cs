using System.Net;
using System.Text;
using AsteriskCiscoBridge.Host.Provisioning;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;

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
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_password_change_and_reload_reach_exactly_the_phone_of_that_endpoint()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "first-secret", "\"Ann Smith\" <6001>"));
        pbx.Set(AmiTestEndpoint.Plain("6002", "other-secret", "\"Bob\" <6002>"));
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.BindAsync(Mac7960, PhoneModels.Cisco7960, Ct, new BindingRow { Position = 1, Endpoint = "6001" });
        await service.BindAsync(Mac7961, PhoneModels.Find("7961")!, Ct, new BindingRow { Position = 1, Endpoint = "6002" });
        await service.StartAsync(Ct, ("Site:AsteriskHost", "pbx.example.net"));

        await Eventually.TrueAsync(() => service.Sync.Rounds >= 1, "first provisioning round", Ct, Bound);
        var before7960 = await FetchAsync(service.Tftp, $"SIP{Mac7960}.cnf");
        var before7961 = await FetchAsync(service.Tftp, $"SEP{Mac7961}.cnf.xml");
        Assert.Contains("line1_password: \"first-secret\"", before7960, StringComparison.Ordinal);
        Assert.Contains("line1_displayname: \"Ann Smith\"", before7960, StringComparison.Ordinal);
        Assert.Contains("<authPassword>other-secret</authPassword>", before7961, StringComparison.Ordinal);

        var rounds = service.Sync.Rounds;
        pbx.Set(AmiTestEndpoint.Plain("6001", "second-secret", "\"Ann Smith\" <6001>"));
        await service.Asterisk!.SendReloadAsync(Ct);
        await Eventually.TrueAsync(() => service.Sync.Rounds > rounds, "a round after the reload", Ct, Bound);

        Assert.Equal([Mac7960], service.Sync.LastRound!.Changed);
        Assert.Contains("line1_password: \"second-secret\"", await FetchAsync(service.Tftp, $"SIP{Mac7960}.cnf"), StringComparison.Ordinal);
        Assert.Equal(before7961, await FetchAsync(service.Tftp, $"SEP{Mac7961}.cnf.xml"));
    }

    [Fact]
    public async Task With_asterisk_unreachable_the_service_serves_what_the_store_holds()
    {
        await using var service = await ServiceHarness.CreateAsync(null, Ct);
        await service.BindAsync(Mac7960, PhoneModels.Cisco7960, Ct, new BindingRow { Position = 1, Endpoint = "6001", Password = "stored" });
        var renderer = new StoredPhoneRenderer(service.Phones, new ConfigStore(service.Connections), new SiteSettings(), TemplateSet.Empty);
        await renderer.SaveAsync(Mac7960, await renderer.RenderAsync(Mac7960, Ct), DateTimeOffset.UtcNow, Ct);

        await service.StartAsync(Ct);

        // The store is published before TFTP starts: the first request already gets the file.
        Assert.Contains("line1_password: \"stored\"", await FetchAsync(service.Tftp, $"SIP{Mac7960}.cnf"), StringComparison.Ordinal);
    }

    private static async Task<string> FetchAsync(IPEndPoint server, string name)
    {
        using var client = new TftpTestClient();
        return Encoding.UTF8.GetString((await client.DownloadAsync(server, name, Ct)).Bytes);
    }
}
