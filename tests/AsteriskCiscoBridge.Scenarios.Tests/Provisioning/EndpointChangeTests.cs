using System.Net;
using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Services.Provisioning;
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
        var pbx = TwoEndpoints();
        await using var service = await StartTwoPhonesAsync(pbx, ("Site:AsteriskHost", "pbx.example.net"));

        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "first provisioning round", Ct);
        var before7960 = await FetchAsync(service.Tftp, $"SIP{Mac7960}.cnf");
        var before7961 = await FetchAsync(service.Tftp, $"SEP{Mac7961}.cnf.xml");
        Assert.Contains("line1_password: \"first-secret\"", before7960, StringComparison.Ordinal);
        Assert.Contains("line1_displayname: \"Ann Smith\"", before7960, StringComparison.Ordinal);
        Assert.Contains("<authPassword>other-secret</authPassword>", before7961, StringComparison.Ordinal);

        var rounds = service.Sync.Rounds;
        pbx.Set(AmiTestEndpoint.Plain("6001", "second-secret", "\"Ann Smith\" <6001>"));
        await service.Asterisk!.SendReloadAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(rounds + 1, Ct).WithinAsync(Bound, "a round after the reload", Ct);

        Assert.Equal([Mac7960], service.Sync.LastRound!.Changed);
        Assert.Contains("line1_password: \"second-secret\"", await FetchAsync(service.Tftp, $"SIP{Mac7960}.cnf"), StringComparison.Ordinal);
        Assert.Equal(before7961, await FetchAsync(service.Tftp, $"SEP{Mac7961}.cnf.xml"));
    }

    [Theory]
    [InlineData("DefaultConfig")]
    [InlineData("NotFound")]
    public async Task A_removed_endpoint_stops_its_password_being_served_and_a_restored_one_brings_it_back(string policy)
    {
        // Reliability catalogue §5.5 case 28: endpoint removed → the phone gets a deprovisioned config or
        // not-found, per policy (Site:Unprovisioned, as for an unbound phone); the other phone is untouched.
        var pbx = TwoEndpoints();
        await using var service = await StartTwoPhonesAsync(pbx, ("Site:Unprovisioned", policy));
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "first provisioning round", Ct);
        Assert.Contains("first-secret", await FetchAsync(service.Tftp, $"SIP{Mac7960}.cnf"), StringComparison.Ordinal);
        var before7961 = await FetchAsync(service.Tftp, $"SEP{Mac7961}.cnf.xml");
        var counter = (await service.Phones.GetAsync(Mac7960, Ct))!.SyncCounter;

        var rounds = service.Sync.Rounds;
        pbx.Remove("6001");
        await service.Asterisk!.SendReloadAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(rounds + 1, Ct).WithinAsync(Bound, "a round after the removal", Ct);

        Assert.Equal([Mac7960], service.Sync.LastRound!.Changed);
        Assert.Contains(service.Sync.LastRound.Problems, p => p.Contains("6001 is not in Asterisk", StringComparison.Ordinal));
        Assert.Equal(counter + 1, (await service.Phones.GetAsync(Mac7960, Ct))!.SyncCounter);
        Assert.All(await service.Phones.FilesAsync(Mac7960, Ct), f => Assert.DoesNotContain("first-secret", Encoding.UTF8.GetString(f.Content), StringComparison.Ordinal));
        var answer = await TftpTestClient.AskAsync(service.Tftp, "127.0.0.1", $"SIP{Mac7960}.cnf", Ct);
        if (policy == "NotFound")
        {
            Assert.Equal(1, answer.ErrorCode);
        }
        else
        {
            Assert.Contains("phone_label: \"Unprovisioned\"", answer.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("first-secret", answer.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("image_version", answer.Text, StringComparison.Ordinal); // it keeps the load it runs
        }

        Assert.Equal(before7961, await FetchAsync(service.Tftp, $"SEP{Mac7961}.cnf.xml"));

        // Another round over the same snapshot changes nothing: the phone is not told again and again.
        rounds = service.Sync.Rounds;
        await service.Asterisk.SendReloadAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(rounds + 1, Ct).WithinAsync(Bound, "a quiet round", Ct);
        Assert.Empty(service.Sync.LastRound!.Changed);

        rounds = service.Sync.Rounds;
        pbx.Set(AmiTestEndpoint.Plain("6001", "restored-secret", "\"Ann Smith\" <6001>"));
        await service.Asterisk.SendReloadAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(rounds + 1, Ct).WithinAsync(Bound, "a round after the endpoint came back", Ct);
        Assert.Equal([Mac7960], service.Sync.LastRound!.Changed);
        Assert.Contains("line1_password: \"restored-secret\"", await FetchAsync(service.Tftp, $"SIP{Mac7960}.cnf"), StringComparison.Ordinal);
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

    // 6001 (the 7960's line) and 6002 (the 7961's), as the lab's admin set them up.
    private static AmiTestPbx TwoEndpoints()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "first-secret", "\"Ann Smith\" <6001>"));
        pbx.Set(AmiTestEndpoint.Plain("6002", "other-secret", "\"Bob\" <6002>"));
        return pbx;
    }

    private static async Task<ServiceHarness> StartTwoPhonesAsync(AmiTestPbx pbx, params (string Key, string Value)[] settings)
    {
        var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.BindAsync(Mac7960, PhoneModels.Cisco7960, Ct, new BindingRow { Position = 1, Endpoint = "6001" });
        await service.BindAsync(Mac7961, PhoneModels.Find("7961")!, Ct, new BindingRow { Position = 1, Endpoint = "6002" });
        await service.StartAsync(Ct, settings);
        return service;
    }

    private static async Task<string> FetchAsync(IPEndPoint server, string name)
    {
        using var client = new TftpTestClient();
        return Encoding.UTF8.GetString((await client.DownloadAsync(server, name, Ct)).Bytes);
    }
}
