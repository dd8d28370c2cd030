using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Phones;
using AsteriskCiscoBridge.Testing.Support;
using SimulatedFamily = AsteriskCiscoBridge.Testing.Phones.PhoneFamily;

namespace AsteriskCiscoBridge.Scenarios.Tests.Provisioning;

/// <summary>
/// An 8841 on an enterprise SIP load, bound in pjsip.conf alone (two lines by set_var, two speed dials by
/// <c>ACB_KEY_N</c> on its first endpoint, no model anywhere): it boots trying HTTP first through its CTL/ITL requests,
/// gets its lines, its speed dials and the directory URL, registers (its User-Agent names the model), and is restarted into
/// its own file with the three-stamp service-control body of its series, which its firmware takes (it answers a fourth
/// stamp with 400 Bad Request, as one CP-8861 on 14.1.1 did); the restart is proven by its registration after the boot.
/// A password change then restarts it again; its registration after that boot only refreshes the contact Asterisk had
/// (the old Call-ID kept), and the Call-ID of the REGISTER Asterisk authenticated is what the next restart names.
/// </summary>
public sealed class Cisco8841Tests
{
    private static readonly MacAddress Mac = MacAddress.Parse("00:22:90:88:41:0a").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_8841_boots_with_its_lines_speed_dials_and_directory_and_its_restart_is_proven_by_its_registration()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6301", "reception-secret", "\"Reception Desk\" <6301>") with
        {
            SetVars = [new("CISCO_MAC", "0022.9088.410a"), new("ACB_KEY_1", "speeddial:6100:Front door"), new("ACB_KEY_2", "blf:6302:Back office")],
        });
        pbx.Set(AmiTestEndpoint.Plain("6302", "office-secret", "\"Back Office\" <6302>") with { SetVars = [new("CISCO_MAC", Mac.Value)] });
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.StartAsync(Ct);
        var asterisk = service.Asterisk!;
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the first provisioning round", Ct);

        // 1. It boots: each trust file is refused over HTTP then TFTP at once; its own file comes over HTTP.
        await using var phone = new PhoneSimulator(SimulatedFamily.Sip79x1, Mac.Value, service.Tftp, "sip88xx.14-2-1-0001-131", model: "8841")
        {
            HttpServer = service.Http,
            MaxVersionStamps = 3,
        };
        await phone.BootAsync(Ct);
        await phone.WaitForAsync("booted", Bound, Ct);
        Assert.Equal(
            [
                ("http", $"CTLSEP{Mac}.tlv", false), ("tftp", $"CTLSEP{Mac}.tlv", false),
                ("http", $"ITLSEP{Mac}.tlv", false), ("tftp", $"ITLSEP{Mac}.tlv", false),
                ("http", "ITLFile.tlv", false), ("tftp", "ITLFile.tlv", false),
                ("http", $"SEP{Mac}.cnf.xml", true),
            ],
            phone.Requests.Take(7));

        // 2. Its lines, its two speed dials after them, and the directory URL.
        Assert.Equal([("6301", "reception-secret"), ("6302", "office-secret")], phone.Lines);
        var device = XDocument.Parse(Encoding.UTF8.GetString(phone.Files[$"SEP{Mac}.cnf.xml"]!)).Root!;
        Assert.Equal(
            [("1", "9", null, "Reception Desk"), ("2", "9", null, "Back Office"), ("3", "2", "6100", "Front door"), ("4", "21", "6302", "Back office")],
            device.Descendants("line").Select(l => ((string?)l.Attribute("button"), (string?)l.Element("featureID"), (string?)l.Element("speedDialNumber"), (string?)l.Element("featureLabel"))));
        var directoryUrl = new Uri(device.Element("directoryURL")!.Value);
        Assert.Equal("/directory", directoryUrl.AbsolutePath);

        // The Directories key leads to the search, on the listener it booted from.
        using (var http = new HttpClient())
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{service.Http}{directoryUrl.AbsolutePath}"));
            request.Headers.Add("x-CiscoIPPhoneModelName", "CP-8841");
            using var response = await http.SendAsync(request, Ct);
            Assert.Equal("CiscoIPPhoneInput", XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Root!.Name.LocalName);
            var list = await http.GetStringAsync(new Uri($"http://{service.Http}/directory/list?name=office"), Ct);
            Assert.Equal([("Back Office", "6302")], XDocument.Parse(list).Root!.Elements("DirectoryEntry").Select(e => (e.Element("Name")!.Value, e.Element("Telephone")!.Value)));
        }

        // 3. It registers its first line: the User-Agent names the 8841, whose own file the bridge renders now, and the
        //    phone is restarted into it with its series' body. After that boot it registers its lines with Asterisk.
        phone.RegisterWith(asterisk);
        var registered = phone.CallId;
        var proven = service.Resync.Proven;
        pbx.Set(pbx.Find("6301")! with { Contacts = [new AmiTestContact($"sip:6301@127.0.0.1:{phone.SipEndPoint.Port}", phone.UserAgent, registered)] });
        await asterisk.SendContactStatusAsync("6301", $"sip:6301@127.0.0.1:{phone.SipEndPoint.Port}", "Reachable", Ct);
        var learned = await asterisk.WaitForActionAsync("PJSIPNotify", Ct).WaitAsync(Bound, Ct);
        Assert.Equal("Cisco-CP8841/14.2.1", phone.UserAgent);
        Assert.Equal(("8841", "user-agent"), ((await service.Phones.GetAsync(Mac, Ct))!.Model, (await service.Phones.GetAsync(Mac, Ct))!.ModelSource));
        Assert.Equal(Restart(registered), Fields(learned.Action));
        await phone.WaitForAsync("booted", Bound, Ct);
        var as8841 = XDocument.Parse(Encoding.UTF8.GetString(phone.Files[$"SEP{Mac}.cnf.xml"]!)).Root!;
        Assert.All(as8841.Descendants("line").Where(l => (string?)l.Element("featureID") == "9"), l => Assert.Equal("1", (string?)l.Element("callWaiting")));

        //    Told to restart, it unregistered its lines on the way down, so Asterisk dropped the contact and the REGISTER
        //    after the boot created a new one with its new Call-ID, which proves the restart.
        await phone.WaitForAsync("registered", Bound, Ct);
        Assert.Contains(new PhoneActivity("unregistered", "6301"), phone.History);
        var afterRestart = phone.CallId;
        Assert.NotEqual(registered, afterRestart);
        await service.Resync.ProvenCount.ReachedAsync(proven + 1, Ct).WithinAsync(Bound, "its registration after the boot proves the restart", Ct);
        Assert.Empty(await new ResyncQueue(service.Connections).ListAsync(Ct));
        var proof = (await new NotifyLog(service.Connections).RecentAsync(Mac, 1, Ct))[0];
        Assert.Equal("proven", proof.Outcome);
        Assert.Equal(afterRestart, pbx.Find("6301")!.Contacts.Single().CallId);

        // 4. The admin rotates the first line's password: the same three-stamp restart, naming its registration. On the
        //    way down its unregister is refused (the old password), so Asterisk keeps the contact and, when the phone
        //    registers again from the same address and port, only refreshes it: the Call-ID it lists stays the old one.
        //    The SuccessfulAuth of that REGISTER, the first request on the line since the phone fetched its file, tells
        //    the bridge the new one, and the restart is proven by it.
        proven = service.Resync.Proven;
        pbx.Set(pbx.Find("6301")! with { Password = "rotated-secret" });
        await asterisk.SendReloadAsync(Ct);
        var rotated = await asterisk.WaitForActionAsync("PJSIPNotify", Ct).WaitAsync(Bound, Ct);
        Assert.Equal(Restart(afterRestart), Fields(rotated.Action));
        await Eventually.TrueAsync(() => phone.Lines.Contains(("6301", "rotated-secret")) && phone.CallId != afterRestart, "the phone restarted into the new password", Ct, Bound);
        await service.Resync.ProvenCount.ReachedAsync(proven + 1, Ct).WithinAsync(Bound, "the rotation's restart proven by the registration Asterisk authenticated", Ct);
        var afterRotation = phone.CallId;
        Assert.Equal(afterRestart, pbx.Find("6301")!.Contacts.Single().CallId);
        Assert.Equal(afterRotation, (await new ResyncQueue(service.Connections).Registrations.ListAsync(Ct)).Single(r => r.Endpoint == "6301").CallId);

        //    A later change (the first line's caller name) restarts it again: the NOTIFY names the registration it has,
        //    not the one Asterisk lists, and the phone takes it.
        proven = service.Resync.Proven;
        pbx.Set(pbx.Find("6301")! with { CallerId = "\"Reception\" <6301>" });
        await asterisk.SendReloadAsync(Ct);
        var renamed = await asterisk.WaitForActionAsync("PJSIPNotify", Ct).WaitAsync(Bound, Ct);
        Assert.Equal(Restart(afterRotation), Fields(renamed.Action));
        await service.Resync.ProvenCount.ReachedAsync(proven + 1, Ct).WithinAsync(Bound, "the rename's restart proven", Ct);
        Assert.NotEqual(afterRotation, phone.CallId);
        Assert.DoesNotContain(phone.History, h => h.Kind is "refused" or "register-refused" or "ignored");

        // 5. acb phones shows the model, its keys and its load.
        var (exit, json) = await service.CliAsync(Ct, "phones", "--json");
        Assert.Equal(0, exit);
        var row = JsonDocument.Parse(json).RootElement.EnumerateArray().Single(p => p.GetProperty("mac").GetString() == Mac.Value);
        Assert.Equal(("8841", "sip88xx.14-2-1"), (row.GetProperty("model").GetString(), row.GetProperty("load").GetString()));
        Assert.Equal(["speeddial 6100 set_var ACB_KEY_1 on 6301", "blf 6302 set_var ACB_KEY_2 on 6301"],
            row.GetProperty("keys").EnumerateArray().Select(k => $"{k.GetProperty("kind").GetString()} {k.GetProperty("number").GetString()} {k.GetProperty("origin").GetString()}"));
    }

    // Spec §4.4 / beyond-79xx A5: the 8800 series' three version stamps.
    private static (string, string)[] Restart(string callId) =>
    [
        ("Action", "PJSIPNotify"),
        ("Endpoint", "6301"),
        ("Variable", "Event=service-control"),
        ("Variable", "Subscription-State=active"),
        ("Variable", "Content-Type=text/plain"),
        ("Variable", "Content=action=restart"),
        ("Variable", $"Content=RegisterCallId={{{callId}}}"),
        ("Variable", "Content=ConfigVersionStamp={00000000-0000-0000-0000-000000000000}"),
        ("Variable", "Content=DialplanVersionStamp={00000000-0000-0000-0000-000000000000}"),
        ("Variable", "Content=SoftkeyVersionStamp={00000000-0000-0000-0000-000000000000}"),
    ];

    private static (string, string)[] Fields(AmiMessage action) =>
        [.. action.Fields.Where(f => f.Name != "ActionID").Select(f => (f.Name, f.Value))];
}
