using System.Net;
using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.Extensions.DependencyInjection;

namespace AsteriskCiscoBridge.Scenarios.Tests.Provisioning;

/// <summary>
/// `acb run` with Discovery:AutoAssign: endpoints marked set_var=ACB_AUTOASSIGN=yes (as the AMI test
/// server reports them in PJSIPShowEndpoint's SetVar field) go to new phones in order of name, one
/// each, recorded in the audit log; an unbind gives the endpoint back and the phone is left to the admin.
/// </summary>
public sealed class AutoAssignTests
{
    private static readonly MacAddress PhoneA = MacAddress.Parse("0011223344A1").Mac!.Value;
    private static readonly MacAddress PhoneB = MacAddress.Parse("0011223344B2").Mac!.Value;
    private static readonly MacAddress PhoneC = MacAddress.Parse("0011223344C3").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string?> AskTextAsync(IPEndPoint server, string from, string name) => (await TftpTestClient.AskAsync(server, from, name, Ct)).Text;



    [Fact]
    public async Task New_phones_get_marked_endpoints_in_order_on_their_first_request_recorded_and_reversible()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("7000", "not-for-auto", "\"Manual\" <7000>"));
        pbx.Set(AmiTestEndpoint.Plain("7002", "pw-7002", "\"Second\" <7002>") with { SetVars = [new("ACB_AUTOASSIGN", "yes"), new("ACB_MODEL", "7962")] });
        pbx.Set(AmiTestEndpoint.Plain("7001", "pw-7001", "\"First\" <7001>") with { SetVars = [new("ACB_AUTOASSIGN", "yes")] });
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.StartAsync(Ct, ("Discovery:AutoAssign", "true"), ("Site:AsteriskHost", "pbx.example.net"));
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "first provisioning round", Ct);
        var inbox = new DiscoveryStore(service.Connections);
        var discovery = service.App.Services.GetRequiredService<PhoneDiscovery>();
        var handled = discovery.HandledCount.Value;

        // A 7940 on SIP gets the first marked endpoint in the answer to its very first request.
        var phoneA = await AskTextAsync(service.Tftp, "127.0.0.70", $"SIP{PhoneA}.cnf");

        // A 79x1 whose requests do not name a model gets the endpoint's ACB_MODEL.
        var phoneB = await AskTextAsync(service.Tftp, "127.0.0.71", $"SEP{PhoneB}.cnf.xml");

        // No marked endpoint is left: the third phone gets the unprovisioned config and waits in the inbox.
        var phoneC = await AskTextAsync(service.Tftp, "127.0.0.72", $"SIP{PhoneC}.cnf");
        await discovery.HandledCount.ReachedAsync(handled + 3, Ct).WithinAsync(Bound, "the three requests seen by discovery", Ct);

        Assert.Contains("line1_password: \"pw-7001\"", phoneA, StringComparison.Ordinal);
        Assert.Equal("7960", (await service.Phones.GetAsync(PhoneA, Ct))!.Model);
        Assert.Contains("<authPassword>pw-7002</authPassword>", phoneB, StringComparison.Ordinal);
        Assert.Equal("7962", (await service.Phones.GetAsync(PhoneB, Ct))!.Model);
        Assert.Contains("phone_label: \"Unprovisioned\"", phoneC, StringComparison.Ordinal);
        Assert.Null(await service.Phones.GetAsync(PhoneC, Ct));
        Assert.NotNull(await inbox.GetAsync(PhoneC, Ct));
        Assert.Null(await inbox.GetAsync(PhoneA, Ct));
        var audit = (await new AuditLog(service.Connections).RecentAsync(10, Ct)).Reverse().ToArray();
        Assert.Equal(
            [(PhoneA, "bind", "model 7960; endpoints 7001"), (PhoneB, "bind", "model 7962; endpoints 7002")],
            audit.Where(a => a.Actor == PhoneDiscovery.Actor).Select(a => (a.Mac!.Value, a.Action, a.Detail!)));

        // The admin takes phone A back; the next round hands its endpoint to the waiting phone C,
        // and A, asking again, stays in the inbox for the admin.
        Assert.True(await service.Phones.UnbindAsync(PhoneA, "cli:admin", DateTimeOffset.UtcNow, Ct));
        var rounds = service.Sync.Rounds;
        await service.Asterisk!.SendReloadAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(rounds + 1, Ct).WithinAsync(Bound, "a round after the reload", Ct);
        handled = discovery.HandledCount.Value;
        var again = await AskTextAsync(service.Tftp, "127.0.0.70", $"SIP{PhoneA}.cnf");
        await discovery.HandledCount.ReachedAsync(handled + 1, Ct).WithinAsync(Bound, "phone A's request seen by discovery", Ct);
        Assert.NotNull(await inbox.GetAsync(PhoneA, Ct));

        Assert.Equal("7001", Assert.Single(await service.Phones.BindingsAsync(PhoneC, Ct)).Endpoint);
        Assert.Contains("line1_password: \"pw-7001\"", await AskTextAsync(service.Tftp, "127.0.0.72", $"SIP{PhoneC}.cnf"), StringComparison.Ordinal);
        Assert.Contains("phone_label: \"Unprovisioned\"", again, StringComparison.Ordinal);
        Assert.Null(await service.Phones.GetAsync(PhoneA, Ct));
    }

    [Fact]
    public async Task A_second_new_mac_from_an_address_that_got_an_endpoint_waits_for_the_admin()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("7001", "pw-7001", "\"First\" <7001>") with { SetVars = [new("ACB_AUTOASSIGN", "yes")] });
        pbx.Set(AmiTestEndpoint.Plain("7002", "pw-7002", "\"Second\" <7002>") with { SetVars = [new("ACB_AUTOASSIGN", "yes")] });
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.StartAsync(Ct, ("Discovery:AutoAssign", "true"));
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "first provisioning round", Ct);

        var first = await AskTextAsync(service.Tftp, "127.0.0.75", $"SIP{PhoneA}.cnf");
        var second = await AskTextAsync(service.Tftp, "127.0.0.75", $"SIP{PhoneB}.cnf");

        Assert.Contains("line1_password: \"pw-7001\"", first, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-7002", second, StringComparison.Ordinal);
        Assert.Null(await service.Phones.GetAsync(PhoneB, Ct));
    }
}
