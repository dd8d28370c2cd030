using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Phones;
using AsteriskCiscoBridge.Testing.Support;
using Microsoft.Extensions.Time.Testing;

namespace AsteriskCiscoBridge.Scenarios.Tests.Resync;

/// <summary>
/// End to end: the service, the AMI test server (which, like Asterisk, sends the NOTIFY to the
/// endpoint's contact), and a simulated 7960 that boots over real TFTP and obeys check-sync.
/// An admin changes the endpoint's password and reloads: the phone ends up with the new password,
/// and the bridge has seen it fetch its file and register again with it (the proof of a resync).
/// </summary>
public sealed class PhoneResyncTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_password_change_reaches_the_phone_through_check_sync_and_the_fetch_is_seen()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "first-secret", "\"Ann Smith\" <6001>"));
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        var asterisk = new FakeTimeProvider(DateTimeOffset.UtcNow);
        service.Asterisk!.Clock = asterisk;
        await service.BindAsync(Mac, PhoneModels.Cisco7960, Ct, new BindingRow { Position = 1, Endpoint = "6001" });

        // The phone is registered (its contact known to Asterisk) before the bridge starts.
        PhoneSimulator? phone = null;
        try
        {
            await service.StartAsync(Ct);
            phone = new PhoneSimulator(Testing.Phones.PhoneFamily.Sip79x0, Mac.Value, service.Tftp, "P0S3-08-12-00");
            phone.RegisterWith(service.Asterisk!);
            pbx.Set(pbx.Find("6001")! with { Contacts = [new AmiTestContact($"sip:6001@127.0.0.1:{phone.SipEndPoint.Port}", phone.UserAgent, phone.CallId)] });
            await service.Asterisk!.SendContactStatusAsync("6001", $"sip:6001@127.0.0.1:{phone.SipEndPoint.Port}", "Reachable", Ct);

            // Its files were new to the bridge: it is told, checks syncinfo.xml, reboots, reads them.
            await phone.WaitForAsync("booted", Bound, Ct);
            Assert.Equal([("6001", "first-secret")], phone.Lines);
            await service.Resync.FetchedCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the bridge saw the fetch", Ct);
            await phone.WaitForAsync("registered", Bound, Ct);
            await service.Resync.ProvenCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the bridge saw it register again", Ct);

            // A minute later on Asterisk's clock (ExpirationTime counts seconds), the admin changes the password.
            // The phone reboots on the same port: Asterisk only refreshes its contact, and the look at the
            // contacts while it awaits its proof sees the later expiration.
            asterisk.Advance(TimeSpan.FromMinutes(1));
            var (fetched, proven) = (service.Resync.Fetched, service.Resync.Proven);
            pbx.Set(pbx.Find("6001")! with { Password = "second-secret" });
            await service.Asterisk.SendReloadAsync(Ct);

            await phone.WaitForAsync("booted", Bound, Ct);
            Assert.Equal([("6001", "second-secret")], phone.Lines);
            await service.Resync.FetchedCount.ReachedAsync(fetched + 1, Ct).WithinAsync(Bound, "the bridge saw the second fetch", Ct);
            await service.Resync.ProvenCount.ReachedAsync(proven + 1, Ct).WithinAsync(Bound, "and its registration with the new password", Ct);
            Assert.Empty(await new ResyncQueue(service.Connections).ListAsync(Ct));
            Assert.Contains(phone.History, h => h.Kind == "notified" && h.Detail.StartsWith("check-sync", StringComparison.Ordinal));
            Assert.Empty(service.Resync.Stale);
        }
        finally
        {
            if (phone is not null)
            {
                await phone.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Without_security_events_a_7961_back_on_the_same_port_is_proven_by_its_refreshed_registration_and_the_next_restart_names_the_Call_ID_Asterisk_keeps()
    {
        var mac = MacAddress.Parse("0011223344BB").Mac!.Value;
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6002", "first-secret"));
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.BindAsync(mac, PhoneModels.Find("7961")!, Ct, new BindingRow { Position = 1, Endpoint = "6002" });
        await service.StartAsync(Ct);
        await using var phone = new PhoneSimulator(Testing.Phones.PhoneFamily.Sip79x1, mac.Value, service.Tftp, "SIP41.9-4-2SR3-1S");
        phone.RegisterWith(service.Asterisk!);

        // A manager user without read = security, and a phone that goes down without unregistering (as after a power cut).
        service.Asterisk!.SecurityEvents = false;
        phone.UnregistersOnRestart = false;

        // The phone registers; its files are new, so it is told to restart with its REGISTER's Call-ID.
        var first = phone.CallId;
        await RegisterAsync(service, pbx, phone);
        await phone.WaitForAsync("booted", Bound, Ct);
        Assert.Equal([("6002", "first-secret")], phone.Lines);

        // After the restart it registers again from the same port with a new Call-ID: no ContactStatus, only
        // a later ExpirationTime, which the look at the contacts finds.
        await phone.WaitForAsync("registered", Bound, Ct);
        Assert.NotEqual(first, phone.CallId);
        await service.Resync.ProvenCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the restart proven by its refreshed registration", Ct);
        var proof = (await new NotifyLog(service.Connections).RecentAsync(mac, 1, Ct))[0];
        Assert.Equal("proven", proof.Outcome);
        Assert.Contains("refreshed", proof.Detail, StringComparison.Ordinal);

        // Asterisk still lists the first Call-ID (res_pjsip_registrar.c sets call_id only when it creates a
        // contact), so the next service-control names a registration the phone no longer has, and it ignores it.
        pbx.Set(pbx.Find("6002")! with { Password = "second-secret" });
        await service.Asterisk!.SendReloadAsync(Ct);
        await phone.WaitForAsync("ignored", Bound, Ct);
        Assert.Equal(first, Assert.Single(pbx.Find("6002")!.Contacts).CallId);
        Assert.Equal([("6002", "first-secret")], phone.Lines);
    }

    [Fact]
    public async Task With_security_events_a_7961_back_on_the_same_port_is_restarted_again_by_the_Call_ID_of_the_REGISTER_Asterisk_authenticated()
    {
        var mac = MacAddress.Parse("0011223344BC").Mac!.Value;
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6002", "first-secret"));
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.BindAsync(mac, PhoneModels.Find("7961")!, Ct, new BindingRow { Position = 1, Endpoint = "6002" });
        await service.StartAsync(Ct);
        await using var phone = new PhoneSimulator(Testing.Phones.PhoneFamily.Sip79x1, mac.Value, service.Tftp, "SIP41.9-4-2SR3-1S") { UnregistersOnRestart = false };
        phone.RegisterWith(service.Asterisk!);

        // Told to restart, it goes down without unregistering and registers again from the same port: Asterisk
        // refreshes the contact it had and keeps listing the first Call-ID.
        var first = phone.CallId;
        await RegisterAsync(service, pbx, phone);
        var restart = await service.Asterisk!.WaitForActionAsync("PJSIPNotify", Ct).WaitAsync(Bound, Ct);
        Assert.Contains($"Content=RegisterCallId={{{first}}}", restart.Action.GetAll("Variable"));
        await phone.WaitForAsync("registered", Bound, Ct);
        var second = phone.CallId;
        Assert.NotEqual(first, second);
        await service.Resync.ProvenCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the restart proven", Ct);
        Assert.Equal(first, Assert.Single(pbx.Find("6002")!.Contacts).CallId);

        // The proof may come from the contacts read before Asterisk's SuccessfulAuth of that REGISTER is handled:
        // the next change needs the Call-ID it carries.
        await Eventually.TrueAsync(() => service.Resync.RegistrationsLearned == 1, "the authenticated REGISTER's Call-ID learned", Ct, Bound);

        // The next change names the Call-ID of the REGISTER Asterisk authenticated after the boot, which the phone has.
        var proven = service.Resync.Proven;
        pbx.Set(pbx.Find("6002")! with { Password = "second-secret" });
        await service.Asterisk.SendReloadAsync(Ct);
        var notify = await service.Asterisk.WaitForActionAsync("PJSIPNotify", Ct).WaitAsync(Bound, Ct);
        Assert.Contains($"Content=RegisterCallId={{{second}}}", notify.Action.GetAll("Variable"));
        await Eventually.TrueAsync(() => phone.Lines.SequenceEqual([("6002", "second-secret")]), "the phone restarted into the new password", Ct, Bound);
        await service.Resync.ProvenCount.ReachedAsync(proven + 1, Ct).WithinAsync(Bound, "and that restart proven", Ct);
        Assert.DoesNotContain(phone.History, h => h.Kind == "ignored");
        Assert.Equal(first, Assert.Single(pbx.Find("6002")!.Contacts).CallId);
    }

    [Fact]
    public async Task A_phone_that_fetches_its_files_and_never_registers_is_stale_fetched_but_did_not_register()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6002", "first-secret"));
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        var mac = MacAddress.Parse("0011223344DD").Mac!.Value;
        await service.BindAsync(mac, PhoneModels.Find("7961")!, Ct, new BindingRow { Position = 1, Endpoint = "6002" });
        // A stale phone is not looked for between full reads: its late registration (same port, no event) is seen by the next one.
        await service.StartAsync(Ct, ("Resync:RegisterDeadline", "00:00:01"), ("Ami:Sync:PollInterval", "00:00:01"));
        await using var phone = new PhoneSimulator(Testing.Phones.PhoneFamily.Sip79x1, mac.Value, service.Tftp, "SIP41.9-4-2SR3-1S");
        phone.RegisterWith(service.Asterisk!);

        // Registered once; its new files carry a proxy address it cannot reach: after the restart it never registers.
        await RegisterAsync(service, pbx, phone);
        phone.Registers = false;
        await phone.WaitForAsync("booted", Bound, Ct);
        await Eventually.TrueAsync(() => service.Resync.Stale.Contains(mac), "stale once the registration deadline passed", Ct, Bound);

        Assert.Equal((1, 0), (service.Resync.Fetched, service.Resync.Proven));
        var row = Assert.Single(await new ResyncQueue(service.Connections).ListAsync(Ct));
        Assert.Equal(ResyncState.Stale, row.State);
        Assert.StartsWith("fetched but did not register", row.Reason, StringComparison.Ordinal);
        var (exit, output) = await service.CliAsync(Ct, "phones");
        Assert.Equal(0, exit);
        Assert.Contains("stale: fetched but did not register", output, StringComparison.Ordinal);

        // Fixed, it registers: proven.
        phone.Registers = true;
        await phone.RegisterAsync(Ct);
        await service.Resync.ProvenCount.ReachedAsync(1, Ct).WithinAsync(Bound, "proven by the late registration", Ct);
        Assert.Equal(1, service.Resync.Proven);
        Assert.Empty(service.Resync.Stale);
    }

    private static async Task RegisterAsync(ServiceHarness service, AmiTestPbx pbx, PhoneSimulator phone)
    {
        var uri = $"sip:6002@127.0.0.1:{phone.SipEndPoint.Port}";
        pbx.Set(pbx.Find("6002")! with { Contacts = [new AmiTestContact(uri, phone.UserAgent, phone.CallId)] });
        await service.Asterisk!.SendContactStatusAsync("6002", uri, "Reachable", Ct);
    }
}
