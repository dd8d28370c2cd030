using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Phones;
using AsteriskCiscoBridge.Testing.Support;
using SimulatedFamily = AsteriskCiscoBridge.Testing.Phones.PhoneFamily;

namespace AsteriskCiscoBridge.Scenarios.Tests.Resync;

/// <summary>
/// Resync of the later series is service-control like the 79x1's (spec beyond-79xx A5), with as many version stamps as
/// the series takes: an 8841 whose firmware answers the FeatureControl stamp with 400 Bad Request, as one CP-8861 on
/// 14.1.1 did, restarts on the default three and refuses the four a site forces. The NOTIFY goes through PJSIPNotify in
/// the recorded wire form (Variables as headers, Content lines as the body).
/// </summary>
public sealed class LaterSeriesResyncTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("0011228841AA").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_8841_restarts_on_a_password_change_with_the_three_stamp_body()
    {
        var (service, phone) = await StartAsync();
        await using var _ = service;
        await using var __ = phone;

        var proven = service.Resync.Proven;
        var notify = await ChangePasswordAsync(service, "rotated-1");

        Assert.Equal(Restart(phone.CallId, stamps: 3), Fields(notify));
        await phone.WaitForAsync("booted", Bound, Ct);
        Assert.Equal([("6201", "rotated-1")], phone.Lines);

        // It registers again after the boot, with the new password: that registration proves the restart.
        await phone.WaitForAsync("registered", Bound, Ct);
        await service.Resync.ProvenCount.ReachedAsync(proven + 1, Ct).WithinAsync(Bound, "its registration proves the restart", Ct);
        Assert.Empty(await new ResyncQueue(service.Connections).ListAsync(Ct));
        Assert.DoesNotContain(phone.History, h => h.Kind is "refused" or "ignored" or "register-refused");
    }

    [Fact]
    public async Task Four_stamps_forced_by_the_site_are_refused_by_that_firmware()
    {
        var (service, phone) = await StartAsync(("Resync:VersionStamps:88xx", "4"));
        await using var _ = service;
        await using var __ = phone;

        var notify = await ChangePasswordAsync(service, "rotated-2");

        Assert.Equal(Restart(phone.CallId, stamps: 4), Fields(notify));
        var refused = await phone.WaitForAsync("refused", Bound, Ct);
        Assert.StartsWith("400 Bad Request: 4 version stamps", refused.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(phone.History, h => h.Kind == "booted" && h.Detail == "boot 2");
    }

    private static async Task<(ServiceHarness Service, PhoneSimulator Phone)> StartAsync(params (string, string)[] settings)
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6201", "first-secret", "\"Reception\" <6201>") with { SetVars = [new("CISCO_MAC", Mac.Value), new("CISCO_MODEL", "CP-8841")] });
        var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.StartAsync(Ct, settings);
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the first provisioning round", Ct);
        var phone = new PhoneSimulator(SimulatedFamily.Sip79x1, Mac.Value, service.Tftp, "sip88xx.14-1-1-0001-125", model: "8841") { HttpServer = service.Http, MaxVersionStamps = 3 };
        await phone.BootAsync(Ct);
        await phone.WaitForAsync("booted", Bound, Ct);

        // It registers: Asterisk holds its contact, User-Agent and REGISTER Call-ID; the ContactStatus has the contacts read (no round).
        var refreshes = service.Sync.ContactRefreshes;
        pbx.Set(pbx.Find("6201")! with { Contacts = [new AmiTestContact($"sip:6201@127.0.0.1:{phone.SipEndPoint.Port}", phone.UserAgent, phone.CallId)] });
        await service.Asterisk!.SendContactStatusAsync("6201", $"sip:6201@127.0.0.1:{phone.SipEndPoint.Port}", "Reachable", Ct);
        await service.Sync.ContactRefreshCount.ReachedAsync(refreshes + 1, Ct).WithinAsync(Bound, "the registration's contacts read", Ct);
        await Eventually.TrueAsync(async () => (await new ResyncQueue(service.Connections).ListAsync(Ct)).Count == 0, "nothing left to resync after its boot", Ct, Bound);
        while (service.Asterisk.Received.TryRead(out _))
        {
        }

        // From now on it registers its lines after every boot, as a real one does.
        phone.RegisterWith(service.Asterisk);

        return (service, phone);
    }

    private static async Task<AmiMessage> ChangePasswordAsync(ServiceHarness service, string password)
    {
        var pbx = service.Asterisk!.Pbx;
        pbx.Set(pbx.Find("6201")! with { Password = password });
        await service.Asterisk.SendReloadAsync(Ct);
        return (await service.Asterisk.WaitForActionAsync("PJSIPNotify", Ct).WaitAsync(Bound, Ct)).Action;
    }

    // Spec §4.4 / beyond-79xx A5: Event and body as PJSIPNotify Variables, the body naming the REGISTER's Call-ID.
    private static (string, string)[] Restart(string callId, int stamps) =>
    [
        ("Action", "PJSIPNotify"),
        ("Endpoint", "6201"),
        ("Variable", "Event=service-control"),
        ("Variable", "Subscription-State=active"),
        ("Variable", "Content-Type=text/plain"),
        ("Variable", "Content=action=restart"),
        ("Variable", $"Content=RegisterCallId={{{callId}}}"),
        .. ((string[])["Config", "Dialplan", "Softkey", "FeatureControl"]).Take(stamps).Select(s => ("Variable", $"Content={s}VersionStamp={{00000000-0000-0000-0000-000000000000}}")),
    ];

    private static (string, string)[] Fields(AmiMessage action) =>
        [.. action.Fields.Where(f => f.Name != "ActionID").Select(f => (f.Name, f.Value))];
}
