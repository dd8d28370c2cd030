using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Requests;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;

namespace AsteriskCiscoBridge.Scenarios.Tests.Resync;

/// <summary>
/// The whole service: a fetch over HTTP (port 6970, what newer 79x1 loads try first) is recorded
/// and proves a NOTIFY exactly as a TFTP one does; a phone in a call (DeviceState from Asterisk's
/// endpoint list) is told only once a later snapshot shows it idle.
/// </summary>
public sealed class ResyncProofTests
{
    private static readonly MacAddress Mac7961 = MacAddress.Parse("0011223344BB").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_7961_fetching_its_cnf_xml_over_http_after_its_notify_is_the_proof_and_is_in_the_request_log()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6002", "secret") with { Contacts = [new AmiTestContact("sip:6002@127.0.0.1:9", "Cisco-CP7961G/9.4", "reg-6002")] });
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.BindAsync(Mac7961, PhoneModels.Find("7961")!, Ct, new BindingRow { Position = 1, Endpoint = "6002" });
        await service.StartAsync(Ct);
        await NotifiesAsync(service.Asterisk!, 1);
        await service.Resync.SentCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the NOTIFY answered", Ct);
        Assert.Equal(1, service.Resync.Sent);

        var fetchedBefore = service.Resync.Fetched;
        using var http = new HttpClient { BaseAddress = new Uri(service.App.Urls.First()) };
        var head = new HttpRequestMessage(HttpMethod.Head, $"/SEP{Mac7961}.cnf.xml");
        Assert.True((await http.SendAsync(head, Ct)).IsSuccessStatusCode);
        var body = await http.GetStringAsync(new Uri($"/SEP{Mac7961}.cnf.xml", UriKind.Relative), Ct);
        Assert.Contains("secret", body, StringComparison.Ordinal);

        await service.Resync.FetchedCount.ReachedAsync(fetchedBefore + 1, Ct).WithinAsync(Bound, "the HTTP fetch is seen", Ct);
        Assert.Equal(1, service.Resync.Fetched);
        var fetched = (await new NotifyLog(service.Connections).RecentAsync(Mac7961, 10, Ct)).First();
        Assert.Equal("fetched", fetched.Outcome);
        Assert.StartsWith($"SEP{Mac7961}.cnf.xml fetched", fetched.Detail, StringComparison.Ordinal);
        Assert.Equal(ResyncState.AwaitingRegistration, Assert.Single(await new ResyncQueue(service.Connections).ListAsync(Ct)).State);

        // The restarted phone registers again (a new Call-ID): that completes the proof.
        var proven = service.Resync.Proven;
        await service.Asterisk!.RegisterAsync("6002", "secret", _ => new AmiTestContact("sip:6002@127.0.0.1:9", "Cisco-CP7961G/9.4", "reg-6002-restarted"), Ct);
        await service.Resync.ProvenCount.ReachedAsync(proven + 1, Ct).WithinAsync(Bound, "the registration proves the NOTIFY", Ct);
        Assert.Equal(1, service.Resync.Proven);
        Assert.Equal("proven", (await new NotifyLog(service.Connections).RecentAsync(Mac7961, 1, Ct))[0].Outcome);
        Assert.Empty(await new ResyncQueue(service.Connections).ListAsync(Ct));

        var requests = new RequestLog(service.Connections);
        var limit = DateTime.UtcNow + Bound;
        IReadOnlyList<RequestRecord> logged;
        while ((logged = await requests.RecentAsync(Mac7961, 10, Ct)).Count < 2)
        {
            Assert.True(DateTime.UtcNow < limit, "both HTTP requests logged");
            await Task.Yield();
        }

        Assert.All(logged, r => Assert.StartsWith("http:127.0.0.1:", r.Client, StringComparison.Ordinal));
        Assert.Equal(["served", "head"], logged.Select(r => r.Outcome.ToString().Split(':')[0]));
    }

    [Fact]
    public async Task A_phone_in_a_call_is_told_only_when_a_later_snapshot_shows_it_idle()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6002", "secret") with
        {
            Contacts = [new AmiTestContact("sip:6002@127.0.0.1:9", "Cisco-CP7961G/9.4", "reg-6002")],
            DeviceState = "In use",
        });
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.BindAsync(Mac7961, PhoneModels.Find("7961")!, Ct, new BindingRow { Position = 1, Endpoint = "6002" });
        await service.StartAsync(Ct);

        // The first round stores its files and plans it: deferred, nothing sent.
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the first round", Ct);
        Assert.Equal([Mac7961], service.Resync.Deferred);
        var row = Assert.Single(await new ResyncQueue(service.Connections).ListAsync(Ct));
        Assert.Equal(ResyncState.Deferred, row.State);
        Assert.DoesNotContain(Drain(service.Asterisk!), a => a["Action"] == "PJSIPNotify");

        // The call ends; the next snapshot (a reload here) finds the endpoint idle.
        pbx.Set(pbx.Find("6002")! with { DeviceState = "Not in use" });
        await service.Asterisk!.SendReloadAsync(Ct);
        var notify = (await NotifiesAsync(service.Asterisk, 1))[0];
        Assert.Contains("Content=action=restart", notify.GetAll("Variable"));
        Assert.Empty(service.Resync.Deferred);
    }

    private static List<AmiMessage> Drain(AmiTestServer server)
    {
        var actions = new List<AmiMessage>();
        while (server.Received.TryRead(out var received))
        {
            actions.Add(received.Action);
        }

        return actions;
    }

    private static async Task<IReadOnlyList<AmiMessage>> NotifiesAsync(AmiTestServer server, int count) =>
        [.. (await server.WaitForActionsAsync("PJSIPNotify", count, Ct).WaitAsync(Bound, Ct)).Select(r => r.Action)];
}
