using System.Text;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Firmware;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Firmware;
using AsteriskCiscoBridge.Testing.Phones;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.Extensions.DependencyInjection;
using PhoneFamily = AsteriskCiscoBridge.Testing.Phones.PhoneFamily;

namespace AsteriskCiscoBridge.Scenarios.Tests.Firmware;

/// <summary>
/// End to end over real TFTP: the service with a firmware folder and a site default, the AMI test server
/// (whose contacts carry the phone's User-Agent), and a simulated phone that installs the load its file
/// names and reboots into it. The bridge learns each new running load from the phone's downloads and
/// offers the next hop on the next boot (issue 6).
/// </summary>
public sealed class LoadPlanScenarioTests
{
    private const string Target = "SIP41.9-4-2SR3-1S";
    private const string Hop = "SIP41.8-5-2S";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_7961_below_8_3_3_goes_through_8_5_2_to_9_4_2_one_hop_per_boot()
    {
        var mac = MacAddress.Parse("0011223344C1").Mac!.Value;
        await using var setup = await StartAsync(mac, "6101", Target, SyntheticFirmware.Java(Target, seed: 21), SyntheticFirmware.Java(Hop, seed: 22, withTermDefaults: false));
        var (service, pbx) = setup;
        await using var phone = new PhoneSimulator(PhoneFamily.Sip79x1, mac.Value, service.Tftp, "SIP41.8-3-1S", NotifyBehaviour.AnswerAndIgnore) { FollowsLoads = true };

        // Its registration says 8.3.1: the bridge learns the release and plans two hops.
        await RegisterAsync(service, pbx, phone, "6101", "Cisco-CP7961G/8.3.1");
        Assert.Equal(("SIP41.8-3-1", "sip user-agent Cisco-CP7961G/8.3.1"), await RunningAsync(service, mac));
        Assert.Contains($"<loadInformation>{Hop}</loadInformation>", await FetchAsync(service, $"SEP{mac.Value}.cnf.xml"), StringComparison.Ordinal);

        // Boot 1: offered the hop, fetches its descriptor and every component, installs it, reboots.
        var learned = Learned(service);
        await phone.BootAsync(Ct);
        Assert.Equal(Hop, phone.RunningLoad);
        AssertFetchedWholeLoad(phone, SyntheticFirmware.Java(Hop, seed: 22, withTermDefaults: false));
        await LearnedAsync(service, learned + 1);
        Assert.Equal((Hop, $"tftp: fetched all 6 files of {Hop}"), await RunningAsync(service, mac));

        // Boot 2: on 8.5(2) it is offered the target, fetches it and reboots.
        learned = Learned(service);
        await phone.BootAsync(Ct);
        Assert.Equal(Target, phone.RunningLoad);
        AssertFetchedWholeLoad(phone, SyntheticFirmware.Java(Target, seed: 21));
        await LearnedAsync(service, learned + 1);

        // Boot 3: up to date; it takes its configuration and fetches no load.
        await phone.BootAsync(Ct);
        Assert.Equal(Target, phone.RunningLoad);
        Assert.DoesNotContain(phone.Files.Keys, n => n.EndsWith(".loads", StringComparison.OrdinalIgnoreCase));
        Assert.Equal([("6101", "secret-6101")], phone.Lines);
        Assert.Equal([Hop, Target], phone.History.Where(h => h.Kind == "upgraded").Select(h => h.Detail));
    }

    [Fact]
    public async Task A_7961_on_sccp_asking_for_its_file_is_led_to_the_sip_load()
    {
        var mac = MacAddress.Parse("0011223344C2").Mac!.Value;
        var sip = SyntheticFirmware.Java(Target, seed: 31, withTermDefaults: false);

        // The folder also holds an SCCP package whose term41/term61.default.loads would convert phones back.
        await using var setup = await StartAsync(mac, "6102", Target, sip, SyntheticFirmware.Java("SCCP41.8-3-1S", seed: 32));
        var (service, _) = setup;
        await using var phone = new PhoneSimulator(PhoneFamily.Sip79x1, mac.Value, service.Tftp, "SCCP41.8-3-1S", NotifyBehaviour.AnswerAndIgnore) { FollowsLoads = true };

        // An SCCP phone does not register over SIP: the bridge knows nothing of its load and offers the target.
        var sep = await FetchAsync(service, $"SEP{mac.Value}.cnf.xml");
        Assert.Contains($"<loadInformation>{Target}</loadInformation>", sep, StringComparison.Ordinal);

        var learned = Learned(service);
        await phone.BootAsync(Ct);
        Assert.Equal(Target, phone.RunningLoad);
        AssertFetchedWholeLoad(phone, sip);
        await LearnedAsync(service, learned + 1);
        Assert.Equal((Target, $"tftp: fetched all 6 files of {Target}"), await RunningAsync(service, mac));

        await phone.BootAsync(Ct);
        Assert.Equal([("6102", "secret-6102")], phone.Lines);
        Assert.Single(phone.History, h => h.Kind == "upgraded");

        // acb firmware verify names the trap.
        var output = new StringWriter();
        await FirmwareCommand.VerifyAsync(service.FirmwareFolder, output, TextWriter.Null, Ct);
        Assert.Contains("term61.default.loads leads a 7961 to SCCP (SCCP41.8-3-1S)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_7960_on_sccp_is_converted_to_sip_through_os79xx_txt_and_the_bridge_learns_it()
    {
        var mac = MacAddress.Parse("0011223344C4").Mac!.Value;
        var sip = SyntheticFirmware.Classic("P0S3-08-12-00", seed: 51);
        await using var setup = await StartAsync(mac, "6104", "P0S3-08-12-00", PhoneModels.Cisco7960, sip);
        var (service, _) = setup;
        await using var phone = new PhoneSimulator(PhoneFamily.Sip79x0, mac.Value, service.Tftp, "P00308010200", NotifyBehaviour.AnswerAndIgnore) { FollowsLoads = true };

        // Boot 1: OS79XX.TXT names a SIP image (its 3rd character differs, spec §2.1): the universal loader takes it.
        var learned = Learned(service);
        await phone.BootAsync(Ct);
        Assert.Equal("P0S3-08-12-00", phone.RunningLoad);
        AssertFetchedWholeLoad(phone, sip.Without("P003-08-12-00.bin"));

        // Boot 2: on SIP it reads its own file, which names it: the bridge learns the load it downloaded.
        await phone.BootAsync(Ct);
        await LearnedAsync(service, learned + 1);
        Assert.Equal(("P0S3-08-12-00", "tftp: fetched all 3 files of P0S3-08-12-00 (phone known by its address)"), await RunningAsync(service, mac));
        Assert.Equal([("6104", "secret-6104")], phone.Lines);
        Assert.Single(phone.History, h => h.Kind == "upgraded");
    }

    [Fact]
    public async Task A_7960_whose_pin_cannot_be_honoured_keeps_its_load_instead_of_taking_the_site_default()
    {
        // The pinned load left the catalog and the running load is not known yet: the plan offers nothing, so its
        // SIP<MAC>.cnf names no image_version. SIPDefault.cnf must not name one either, or the phone (which reads
        // SIPDefault.cnf first and lets its own file override it) would take the site load the pin was keeping away.
        var mac = MacAddress.Parse("0011223344C5").Mac!.Value;
        await using var setup = await StartAsync(mac, "6105", "P0S3-08-12-00", PhoneModels.Cisco7960, SyntheticFirmware.Classic("P0S3-08-12-00", seed: 61));
        var (service, pbx) = setup;
        await new FirmwareStore(service.Connections).PinAsync(mac, "P0S3-08-11-00", "test", DateTimeOffset.UtcNow, Ct);
        var rounds = service.Sync.Rounds;
        await service.Asterisk!.SendReloadAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(rounds + 1, Ct).WithinAsync(Bound, "a round after the pin", Ct);
        await using var phone = new PhoneSimulator(PhoneFamily.Sip79x0, mac.Value, service.Tftp, "P0S3-07-5-00", NotifyBehaviour.AnswerAndIgnore) { FollowsLoads = true };

        await phone.BootAsync(Ct);

        Assert.Equal("P0S3-07-5-00", phone.RunningLoad);
        Assert.DoesNotContain(phone.History, h => h.Kind == "upgraded");
        Assert.DoesNotContain("image_version", await FetchAsync(service, "SIPDefault.cnf"), StringComparison.Ordinal);
        Assert.DoesNotContain("image_version", await FetchAsync(service, $"SIP{mac.Value}.cnf"), StringComparison.Ordinal);
        Assert.Equal("P0S3-08-12-00", (await FetchAsync(service, "OS79XX.TXT")).Trim()); // still there for phones converting from SCCP
        Assert.Equal([("6105", "secret-6105")], phone.Lines);
    }

    [Fact]
    public async Task A_phone_on_a_newer_load_is_kept_then_pinned_back_to_an_older_one_and_gets_it()
    {
        var mac = MacAddress.Parse("0011223344C3").Mac!.Value;
        var older = SyntheticFirmware.Java(Hop, seed: 42, withTermDefaults: false);
        await using var setup = await StartAsync(mac, "6103", Hop, SyntheticFirmware.Java(Target, seed: 41), older);
        var (service, pbx) = setup;
        await using var phone = new PhoneSimulator(PhoneFamily.Sip79x1, mac.Value, service.Tftp, Target, NotifyBehaviour.AnswerAndIgnore) { FollowsLoads = true };

        // The site default is older than what the phone runs: it is not downgraded behind the admin's back.
        await RegisterAsync(service, pbx, phone, "6103", "Cisco-CP7961G/9.4.2");
        Assert.Equal(Target, (await RunningAsync(service, mac)).Load);
        await phone.BootAsync(Ct);
        Assert.Equal(Target, phone.RunningLoad);
        Assert.DoesNotContain(phone.History, h => h.Kind == "upgraded");

        // acb pin brings it back; the next round renders its file with the pinned load.
        var rounds = service.Sync.Rounds;
        var (exit, pinned) = await PinAsync(service, mac, Hop);
        Assert.True(exit == 0, pinned);
        await service.Asterisk!.SendReloadAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(rounds + 1, Ct).WithinAsync(Bound, "a round after the pin", Ct);
        Assert.Contains($"<loadInformation>{Hop}</loadInformation>", await FetchAsync(service, $"SEP{mac.Value}.cnf.xml"), StringComparison.Ordinal);

        var learned = Learned(service);
        await phone.BootAsync(Ct);
        Assert.Equal(Hop, phone.RunningLoad);
        AssertFetchedWholeLoad(phone, older);
        await LearnedAsync(service, learned + 1);
        Assert.Equal(Hop, (await RunningAsync(service, mac)).Load);

        await phone.BootAsync(Ct);
        Assert.Equal(Hop, phone.RunningLoad);
        Assert.Single(phone.History, h => h.Kind == "upgraded");
    }

    private static Task<Setup> StartAsync(MacAddress mac, string endpoint, string siteDefault, params SyntheticLoad[] loads) =>
        StartAsync(mac, endpoint, siteDefault, PhoneModels.Cisco7961, loads);

    private static async Task<Setup> StartAsync(MacAddress mac, string endpoint, string siteDefault, PhoneModel model, params SyntheticLoad[] loads)
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain(endpoint, "secret-" + endpoint));
        var service = await ServiceHarness.CreateAsync(pbx, Ct);
        Directory.CreateDirectory(service.FirmwareFolder);
        foreach (var (name, bytes) in loads.SelectMany(l => l.Files))
        {
            await File.WriteAllBytesAsync(Path.Combine(service.FirmwareFolder, name), bytes, Ct);
        }

        await service.BindAsync(mac, model, Ct, new BindingRow { Position = 1, Endpoint = endpoint });
        await service.StartAsync(Ct, ($"Firmware:Defaults:{model.Name}", siteDefault));
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the first provisioning round", Ct);
        return new Setup(service, pbx);
    }

    private static async Task RegisterAsync(ServiceHarness service, AmiTestPbx pbx, PhoneSimulator phone, string endpoint, string userAgent)
    {
        // A registration refreshes the contacts; a User-Agent not seen before asks for a round over them.
        var (rounds, requested) = (service.Sync.Rounds, service.Sync.RequestedRounds);
        var uri = $"sip:{endpoint}@127.0.0.1:{phone.SipEndPoint.Port}";
        pbx.Set(pbx.Find(endpoint)! with { Contacts = [new AmiTestContact(uri, userAgent, phone.CallId)] });
        await service.Asterisk!.SendContactStatusAsync(endpoint, uri, "Reachable", Ct);
        await Task.WhenAny(service.Sync.RoundCount.ReachedAsync(rounds + 1, Ct), service.Sync.RequestedRoundCount.ReachedAsync(requested + 1, Ct)).Unwrap().WithinAsync(Bound, "a round after the registration", Ct);
    }

    private static int Learned(ServiceHarness service) => service.App.Services.GetRequiredService<LoadLearningService>().Learned;

    private static Task LearnedAsync(ServiceHarness service, int target) =>
        service.App.Services.GetRequiredService<LoadLearningService>().LearnedCount.ReachedAsync(target, Ct).WithinAsync(Bound, $"{target} running loads learned and rendered", Ct);

    private static async Task<(string? Load, string? Source)> RunningAsync(ServiceHarness service, MacAddress mac)
    {
        var phone = await service.Phones.GetAsync(mac, Ct);
        return (phone?.Load, phone?.LoadSource);
    }

    private static void AssertFetchedWholeLoad(PhoneSimulator phone, SyntheticLoad load)
    {
        foreach (var name in load.Names.Where(n => !n.StartsWith("term", StringComparison.OrdinalIgnoreCase)))
        {
            Assert.True(phone.Files.TryGetValue(name, out var bytes), $"{name} was not fetched");
            Assert.Equal(load[name], bytes);
        }
    }

    private static async Task<string> FetchAsync(ServiceHarness service, string name)
    {
        using var client = new TftpTestClient();
        return Encoding.UTF8.GetString((await client.DownloadAsync(service.Tftp, name, Ct)).Bytes);
    }

    private static Task<(int Exit, string Output)> PinAsync(ServiceHarness service, MacAddress mac, string load) =>
        service.CliAsync(Ct, "pin", mac.Value, load);

    private sealed record Setup(ServiceHarness Service, AmiTestPbx Pbx) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Service.DisposeAsync();
    }
}
