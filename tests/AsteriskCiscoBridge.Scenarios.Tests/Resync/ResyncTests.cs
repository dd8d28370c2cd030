using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using AsteriskCiscoBridge.Testing.Time;

namespace AsteriskCiscoBridge.Scenarios.Tests.Resync;

/// <summary>
/// The resync half of the main job against the AMI test server (recorded wire format): changed
/// phones get a PJSIPNotify of their family's kind, unchanged ones none, offline ones when their
/// contact comes back.
/// </summary>
public sealed class ResyncTests
{
    private static readonly MacAddress Mac7960 = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly MacAddress Mac7961 = MacAddress.Parse("0011223344BB").Mac!.Value;
    private static readonly MacAddress MacOffline = MacAddress.Parse("0011223344CC").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Changed_phones_get_their_familys_notify_unchanged_ones_none_and_offline_ones_when_they_return()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "first") with { Contacts = [new AmiTestContact("sip:6001@127.0.0.1:5070", "Cisco-CP7960G/8.0", "reg-6001")] });
        pbx.Set(AmiTestEndpoint.Plain("6002", "second") with { Contacts = [new AmiTestContact("sip:6002@127.0.0.1:5071", "Cisco-CP7961G/9.4", "reg-6002")] });
        pbx.Set(AmiTestEndpoint.Plain("6003", "third"));
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.BindAsync(Mac7960, PhoneModels.Cisco7960, Ct, new BindingRow { Position = 1, Endpoint = "6001" });
        await service.BindAsync(Mac7961, PhoneModels.Find("7961")!, Ct, new BindingRow { Position = 1, Endpoint = "6002" });
        await service.BindAsync(MacOffline, PhoneModels.Cisco7940, Ct, new BindingRow { Position = 1, Endpoint = "6003" });
        await service.StartAsync(Ct);
        var asterisk = service.Asterisk!;
        var sync = service.Sync;
        var resync = service.Resync;

        // First start: every phone's files are new. The two with a contact are told; the third waits.
        var first = await NotifiesAsync(asterisk, 2);
        Assert.Equal(["6001", "6002"], first.Select(n => n["Endpoint"]).Order());
        var to7960 = first.Single(n => n["Endpoint"] == "6001");
        var to7961 = first.Single(n => n["Endpoint"] == "6002");
        Assert.Equal(["Event=check-sync"], to7960.GetAll("Variable"));
        Assert.Contains("Event=service-control", to7961.GetAll("Variable"));
        Assert.Contains("Content=action=restart", to7961.GetAll("Variable"));
        Assert.Contains("Content=RegisterCallId={reg-6002}", to7961.GetAll("Variable"));
        Assert.Equal([MacOffline], resync.Waiting);

        // The 7960 acts on its NOTIFY and fetches its file: that is recorded as the proof.
        var fetched = resync.Fetched;
        using (var phone = new TftpTestClient())
        {
            await phone.DownloadAsync(service.Tftp, $"SIP{Mac7960}.cnf", Ct);
        }

        await resync.FetchedCount.ReachedAsync(fetched + 1, Ct).WithinAsync(Bound, "the fetch after the NOTIFY is noticed", Ct);
        Assert.Equal(1, resync.Fetched);

        // A password change on 6001 and a reload: only the 7960 is told.
        var rounds = sync.Rounds;
        pbx.Set(pbx.Find("6001")! with { Password = "changed" });
        await asterisk.SendReloadAsync(Ct);
        var second = await NotifiesAsync(asterisk, 1);
        Assert.Equal("6001", second[0]["Endpoint"]);
        await sync.RoundCount.ReachedAsync(rounds + 1, Ct).WithinAsync(Bound, "the reload's round", Ct);
        Assert.Equal([Mac7960], sync.LastRound!.Changed);

        // The offline phone registers: Asterisk's ContactStatus makes the contacts read again (no snapshot), and it is told.
        pbx.Set(pbx.Find("6003")! with { Contacts = [new AmiTestContact("sip:6003@127.0.0.1:5072", "Cisco-CP7940G/8.0", "reg-6003")] });
        await asterisk.SendContactStatusAsync("6003", "sip:6003@127.0.0.1:5072", "Reachable", Ct);
        var third = await NotifiesAsync(asterisk, 1);
        Assert.Equal(("6003", "Event=check-sync"), (third[0]["Endpoint"], third[0]["Variable"]));
        Assert.Empty(resync.Waiting);

        // The log row follows Asterisk's answer, which follows the action the server saw: wait for it.
        var notifyLog = new NotifyLog(service.Connections);
        var log = await Eventually.ValueAsync(() => notifyLog.RecentAsync(null, 10, Ct), l => l.Count >= 5, "five rows in the notify log", Ct);

        Assert.Equal(5, log.Count);
        Assert.Equal(4, log.Count(n => n.Outcome == "sent"));
        var proof = log.Single(n => n.Outcome == "fetched");
        Assert.Equal(Mac7960, proof.Mac);
        Assert.StartsWith($"SIP{Mac7960}.cnf fetched", proof.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_clock_registered_before_the_service_its_notify_and_the_fetch_that_proves_it_are_stamped_with_that_clocks_time()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "first") with { Contacts = [new AmiTestContact("sip:6001@127.0.0.1:5070", "Cisco-CP7960G/8.0", "reg-6001")] });
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.BindAsync(Mac7960, PhoneModels.Cisco7960, Ct, new BindingRow { Position = 1, Endpoint = "6001" });
        var clock = new CountingTimeProvider();
        service.Clock = clock;
        await service.StartAsync(Ct);

        Assert.Equal("6001", (await NotifiesAsync(service.Asterisk!, 1))[0]["Endpoint"]);
        var notifyLog = new NotifyLog(service.Connections);
        var sent = await Eventually.ValueAsync(() => notifyLog.RecentAsync(Mac7960, 10, Ct), l => l.Count >= 1, "the NOTIFY in the notify log", Ct, Bound);
        Assert.Equal(clock.GetUtcNow(), Assert.Single(sent).At);

        // Two minutes later on the service's clock (no real time passes), within the fetch deadline, the phone fetches its file.
        clock.Advance(new ResyncOptions().FetchDeadline - TimeSpan.FromMinutes(1));
        using (var phone = new TftpTestClient())
        {
            await phone.DownloadAsync(service.Tftp, $"SIP{Mac7960}.cnf", Ct);
        }

        var log = await Eventually.ValueAsync(() => notifyLog.RecentAsync(Mac7960, 10, Ct), l => l.Any(n => n.Outcome == "fetched"), "the fetch in the notify log", Ct, Bound);
        Assert.Equal(["fetched", "sent"], log.Select(n => n.Outcome));
        Assert.Equal(clock.GetUtcNow(), log[0].At);
    }

    private static async Task<IReadOnlyList<AmiMessage>> NotifiesAsync(AmiTestServer server, int count) =>
        [.. (await server.WaitForActionsAsync("PJSIPNotify", count, Ct).WaitAsync(Bound, Ct)).Select(r => r.Action)];
}
