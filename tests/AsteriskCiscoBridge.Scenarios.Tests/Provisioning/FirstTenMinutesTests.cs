using System.CommandLine;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Phones;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using AsteriskCiscoBridge.Testing.Time;
using AsteriskCiscoBridge.Tftp.Files;
using Microsoft.Extensions.DependencyInjection;
using SimulatedFamily = AsteriskCiscoBridge.Testing.Phones.PhoneFamily;

namespace AsteriskCiscoBridge.Scenarios.Tests.Provisioning;

/// <summary>
/// README's "first ten minutes", as an Asterisk admin lives them (issue 10, item 11): the phones are
/// bound in pjsip.conf only — a desk 7960 with two lines through two <c>type=phoneprov</c> sections,
/// a lobby phone through <c>set_var=CISCO_MAC</c> with no model anywhere — the bridge starts with no
/// <c>acb bind</c>, the phones power on over real TFTP and register, and a password changed in
/// Asterisk reaches exactly the phone that carries it. The AMI test server speaks the recorded wire format.
/// </summary>
public sealed class FirstTenMinutesTests
{
    // The desk phone, as the admin wrote its MAC in both phoneprov sections.
    private const string DeskMacAsWritten = "00:11:22:33:44:aa";

    // The lobby phone, as the admin wrote its MAC in set_var: Cisco's dotted form, from the phone's label.
    private const string LobbyMacAsWritten = "0006.d7aa.2a2e";

    private static readonly MacAddress DeskMac = MacAddress.Parse(DeskMacAsWritten).Mac!.Value;
    private static readonly MacAddress LobbyMac = MacAddress.Parse(LobbyMacAsWritten).Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Phones_bound_only_in_asterisk_are_served_learned_and_resynced_one_by_one()
    {
        // 1. pjsip.conf as the admin leaves it. 6001 sorts first but is the desk phone's second line
        //    (LINE=2), 6002 its first; PROFILE names the model. 6003 has no phone. 6004 names the lobby
        //    phone by set_var only. The bridge's AMI user comes from asterisk-conf/manager.conf.
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "desk-line2-secret", "\"Dana Desk\" <6001>") with { PhoneprovMac = DeskMacAsWritten, PhoneprovProfile = "cisco-7960", PhoneprovLine = "2" });
        pbx.Set(AmiTestEndpoint.Plain("6002", "desk-line1-secret", "\"Front Office\" <6002>") with { PhoneprovMac = DeskMacAsWritten, PhoneprovProfile = "cisco-7960", PhoneprovLine = "1" });
        pbx.Set(AmiTestEndpoint.Plain("6003", "no-phone-secret", "\"Spare\" <6003>"));
        pbx.Set(AmiTestEndpoint.Plain("6004", "lobby-secret", "\"Lobby\" <6004>") with { SetVars = [new("CISCO_MAC", LobbyMacAsWritten)] });

        // 2. Start the bridge: no `acb bind` at all.
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.StartAsync(Ct);
        var asterisk = service.Asterisk!;
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the first provisioning round", Ct);

        // 3. A real TFTP client gets the desk phone's file: both lines, in button order per LINE.
        var desk = PhoneSimulator.ParseCnf(await CurlAsync(service.Tftp, $"SIP{DeskMac}.cnf"));
        Assert.Equal(("6002", "6002", "desk-line1-secret"), (desk["line1_name"], desk["line1_authname"], desk["line1_password"]));
        Assert.Equal(("6001", "6001", "desk-line2-secret"), (desk["line2_name"], desk["line2_authname"], desk["line2_password"]));
        Assert.Equal(string.Empty, desk.GetValueOrDefault("line3_name", string.Empty));

        // 4. The lobby phone's model is known nowhere: until it asks, both families' files carry its line.
        Assert.Equal("lobby-secret", CnfPassword(await LookupAsync(service, $"SIP{LobbyMac}.cnf") ?? string.Empty));
        Assert.Equal([("6004", "lobby-secret")], XmlLines(await LookupAsync(service, $"SEP{LobbyMac}.cnf.xml") ?? "<none/>"));

        // 5. Power the lobby phone (a 7961): it asks for SEP<MAC>.cnf.xml and takes its line.
        await using var lobby = new PhoneSimulator(SimulatedFamily.Sip79x1, LobbyMac.Value, service.Tftp, "SIP41.9-4-2SR3-1S");
        await PowerOnAsync(lobby);
        Assert.Equal([("6004", "lobby-secret")], lobby.Lines);

        // 6. Its request taught the bridge its family; the 7940/7960 file no longer carries its password.
        var learned = await Eventually.ValueAsync(
            () => service.Phones.GetAsync(LobbyMac, Ct),
            row => PhoneFamilies.Find(row?.Model)?.Family == AsteriskCiscoBridge.Provisioning.Model.PhoneFamily.Sip79x1,
            "the lobby phone's family is learned from its request",
            Ct,
            Bound);
        Assert.Equal("files", learned!.ModelSource);
        await Eventually.TrueAsync(async () => (await LookupAsync(service, $"SIP{LobbyMac}.cnf"))?.Contains("lobby-secret", StringComparison.Ordinal) != true, "the 7940/7960 file is withdrawn", Ct, Bound);
        var withdrawn = await TftpTestClient.AskAsync(service.Tftp, "127.0.0.1", $"SIP{LobbyMac}.cnf", Ct);
        Assert.True(withdrawn.ErrorCode == 1 || withdrawn.Text?.Contains("lobby-secret", StringComparison.Ordinal) == false, $"SIP{LobbyMac}.cnf still carries the lobby phone's password");

        // 7. Power the desk phone (a 7960): it boots with both lines.
        await using var deskPhone = new PhoneSimulator(SimulatedFamily.Sip79x0, DeskMac.Value, service.Tftp, "P0S3-08-12-00");
        await PowerOnAsync(deskPhone);
        Assert.Equal([("6002", "desk-line1-secret"), ("6001", "desk-line2-secret")], deskPhone.Lines);

        // 8. Both register (each line of the desk phone). Their User-Agents tell the bridge the model
        //    (the lobby phone is a 7961) and the load each runs, which their own files now name so
        //    that no default can move them (spec §3.5). Naming the load a phone already runs asks
        //    nothing of it: the files are stored, and neither phone is made to reboot for it.
        await RegisterAsync(service, (deskPhone, ["6002", "6001"]), (lobby, ["6004"]));
        var queue = new ResyncQueue(service.Connections);
        await Eventually.TrueAsync(
            async () => (await CurlAsync(service.Tftp, $"SIP{DeskMac}.cnf")).Contains("image_version: \"P0S3-08-12-00\"", StringComparison.Ordinal)
                && (await service.Phones.GetAsync(LobbyMac, Ct))?.Model == "7961",
            "the registrations' models and loads are learned",
            Ct,
            Bound);
        Assert.Contains("<loadInformation>SIP41.9-4-2SR3-1S</loadInformation>", await CurlAsync(service.Tftp, $"SEP{LobbyMac}.cnf.xml"), StringComparison.Ordinal);
        Assert.Empty(await queue.ListAsync(Ct));
        Assert.Empty(DrainNotifies(asterisk));
        var counters = await CountersAsync(service);
        await RegisterAsync(service, (deskPhone, ["6002", "6001"]), (lobby, ["6004"]));
        Assert.Equal(counters, await CountersAsync(service));
        Assert.Empty(DrainNotifies(asterisk));

        // 9. The admin changes the desk phone's second line's password and reloads res_pjsip: check-sync
        //    to the desk phone (through its first line), nothing to the lobby phone. From here each phone
        //    registers again after it reboots: that registration, after the fetch, proves its resync.
        deskPhone.RegisterWith(asterisk);
        lobby.RegisterWith(asterisk);
        var lobbyTold = Notified(lobby);
        counters = await CountersAsync(service);
        var proven = service.Resync.Proven;
        pbx.Set(pbx.Find("6001")! with { Password = "desk-line2-rotated" });
        await asterisk.SendReloadAsync(Ct);
        var checkSync = await asterisk.WaitForActionAsync("PJSIPNotify", Ct).WaitAsync(Bound, Ct);
        Assert.Equal(RecordedCheckSync("6002"), Fields(checkSync.Action));
        await deskPhone.WaitForAsync("booted", Bound, Ct);
        Assert.Equal([("6002", "desk-line1-secret"), ("6001", "desk-line2-rotated")], deskPhone.Lines);
        await service.Resync.ProvenCount.ReachedAsync(proven + 1, Ct).WithinAsync(Bound, "the desk phone's fetch and registration are seen", Ct);
        Assert.Empty(await queue.ListAsync(Ct));
        Assert.Equal((counters.Desk + 1, counters.Lobby), await CountersAsync(service));
        Assert.Empty(DrainNotifies(asterisk));
        Assert.Equal(lobbyTold, Notified(lobby));
        Assert.Equal("desk-line2-rotated", PhoneSimulator.ParseCnf(await CurlAsync(service.Tftp, $"SIP{DeskMac}.cnf"))["line2_password"]);

        // 10. Then the lobby phone's: a service-control restart naming its current registration, nothing
        //     to the desk phone.
        var deskTold = Notified(deskPhone);
        var registration = lobby.CallId;
        counters = await CountersAsync(service);
        proven = service.Resync.Proven;
        pbx.Set(pbx.Find("6004")! with { Password = "lobby-rotated" });
        await asterisk.SendReloadAsync(Ct);
        var restart = await asterisk.WaitForActionAsync("PJSIPNotify", Ct).WaitAsync(Bound, Ct);
        Assert.Equal(Restart("6004", registration), Fields(restart.Action));
        await lobby.WaitForAsync("booted", Bound, Ct);
        Assert.Equal([("6004", "lobby-rotated")], lobby.Lines);
        await service.Resync.ProvenCount.ReachedAsync(proven + 1, Ct).WithinAsync(Bound, "the lobby phone's fetch and registration are seen", Ct);
        Assert.Empty(await queue.ListAsync(Ct));
        Assert.Equal((counters.Desk, counters.Lobby + 1), await CountersAsync(service));
        Assert.Empty(DrainNotifies(asterisk));
        Assert.Equal(deskTold, Notified(deskPhone));
        Assert.DoesNotContain(lobby.History.Concat(deskPhone.History), h => h.Kind == "ignored");
        Assert.Equal("lobby-rotated", XmlLines(Encoding.UTF8.GetString((await TftpTestClient.AskAsync(service.Tftp, "127.0.0.1", $"SEP{LobbyMac}.cnf.xml", Ct)).Bytes!)).Single().Item2);

        // 11. `acb phones --json` and `acb endpoints --json` show the admin what was served: the desk
        //     phone's two lines in LINE order, each endpoint with the phone and button it is.
        using var cli = new CliConfig(service, asterisk.Port);
        var phones = JsonDocument.Parse(await cli.RunAsync("phones", "--json")).RootElement.EnumerateArray().ToDictionary(p => p.GetProperty("mac").GetString()!);
        Assert.Equal([LobbyMac.Value, DeskMac.Value], phones.Keys.Order());
        var deskRow = phones[DeskMac.Value];
        Assert.Equal(("7960", "profile"), (deskRow.GetProperty("model").GetString(), deskRow.GetProperty("modelSource").GetString()));
        Assert.Equal(["6002", "6001"], Strings(deskRow.GetProperty("endpoints")));
        Assert.Equal([("6002", "phoneprov", true), ("6001", "phoneprov", true)], Lines(deskRow));
        var lobbyRow = phones[LobbyMac.Value];
        Assert.Equal(("7961", "user-agent"), (lobbyRow.GetProperty("model").GetString(), lobbyRow.GetProperty("modelSource").GetString()));
        Assert.Equal([("6004", "set_var", true)], Lines(lobbyRow));

        var endpoints = JsonDocument.Parse(await cli.RunAsync("endpoints", "--json")).RootElement.GetProperty("endpoints").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal([(DeskMac.Value, "phoneprov")], Macs(endpoints["6001"]));
        Assert.Equal([(DeskMac.Value, 2, true)], PhonesOf(endpoints["6001"]));
        Assert.Equal([(DeskMac.Value, 1, true)], PhonesOf(endpoints["6002"]));
        Assert.Empty(PhonesOf(endpoints["6003"]));
        Assert.Equal([(LobbyMac.Value, "set_var")], Macs(endpoints["6004"]));
        Assert.Equal([(LobbyMac.Value, 1, true)], PhonesOf(endpoints["6004"]));

        // 12. `acb log --mac` shows what the lobby phone asked for and got.
        var log = await cli.RunAsync("log", "--mac", LobbyMacAsWritten);
        Assert.Contains($"asked SEP{LobbyMac}.cnf.xml", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_7960_bound_by_set_var_alone_keeps_its_file_though_it_asks_for_SEP_first()
    {
        // The same first minutes with a 7960 on the lobby line. On SIP 7.x+ it asks for OS79XX.TXT,
        // then CTLSEP<MAC>.tlv and SEP<MAC>.cnf.xml, then SIP<MAC>.cnf (spec §1.2): only the last
        // tells its family.
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6004", "lobby-secret", "\"Lobby\" <6004>") with { SetVars = [new("CISCO_MAC", LobbyMacAsWritten)] });
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.StartAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the first provisioning round", Ct);

        await using var lobby = new PhoneSimulator(SimulatedFamily.Sip79x0, LobbyMac.Value, service.Tftp, "P0S3-08-12-00");
        await PowerOnAsync(lobby);
        Assert.Equal([("6004", "lobby-secret")], lobby.Lines);

        // What the bridge learned from those requests: a 7940/7960, whose file keeps its line.
        var learned = await Eventually.ValueAsync(() => service.Phones.GetAsync(LobbyMac, Ct), row => row?.ModelSource == "files", "a family learned from the requests", Ct, Bound);
        Assert.Equal(AsteriskCiscoBridge.Provisioning.Model.PhoneFamily.Sip79x0, PhoneFamilies.Find(learned!.Model)?.Family);
        Assert.Equal("lobby-secret", CnfPassword(await CurlAsync(service.Tftp, $"SIP{LobbyMac}.cnf")));
    }

    // Each phone registers each of its lines from its SIP port: Asterisk holds a contact with its
    // User-Agent and the Call-ID of its REGISTER, and says so (ContactStatus). Returns once the service
    // has applied the contacts it read for them (a User-Agent not seen before then asks for a round).
    private static async Task RegisterAsync(ServiceHarness service, params (PhoneSimulator Phone, string[] Lines)[] phones)
    {
        var pbx = service.Asterisk!.Pbx;
        var refreshes = service.Sync.ContactRefreshes;
        foreach (var (phone, lines) in phones)
        {
            foreach (var line in lines)
            {
                pbx.Set(pbx.Find(line)! with { Contacts = [new AmiTestContact($"sip:{line}@127.0.0.1:{phone.SipEndPoint.Port}", phone.UserAgent, phone.CallId)] });
            }
        }

        foreach (var (phone, lines) in phones)
        {
            foreach (var line in lines)
            {
                await service.Asterisk.SendContactStatusAsync(line, $"sip:{line}@127.0.0.1:{phone.SipEndPoint.Port}", "Reachable", Ct);
            }
        }

        await service.Sync.ContactRefreshCount.ReachedAsync(refreshes + 1, Ct).WithinAsync(Bound, "the registrations' contacts applied", Ct);
    }

    // The phone boots over TFTP; later boots are awaited as its activity ("booted"), so this one is taken off it.
    private static async Task PowerOnAsync(PhoneSimulator phone)
    {
        await phone.BootAsync(Ct);
        await phone.WaitForAsync("booted", Bound, Ct);
    }

    // The phones' sync counters: one moves exactly when that phone's files change.
    private static async Task<(long Desk, long Lobby)> CountersAsync(ServiceHarness service) =>
        ((await service.Phones.GetAsync(DeskMac, Ct))!.SyncCounter, (await service.Phones.GetAsync(LobbyMac, Ct))!.SyncCounter);

    private static int Notified(PhoneSimulator phone) => phone.History.Count(h => h.Kind == "notified");

    // A 79x1's restart (spec §4.4): Event and body as PJSIPNotify Variables, the body naming the REGISTER's Call-ID.
    private static (string, string)[] Restart(string endpoint, string callId) =>
    [
        ("Action", "PJSIPNotify"),
        ("Endpoint", endpoint),
        ("Variable", "Event=service-control"),
        ("Variable", "Subscription-State=active"),
        ("Variable", "Content-Type=text/plain"),
        ("Variable", "Content=action=restart"),
        ("Variable", $"Content=RegisterCallId={{{callId}}}"),
        ("Variable", "Content=ConfigVersionStamp={00000000-0000-0000-0000-000000000000}"),
        ("Variable", "Content=DialplanVersionStamp={00000000-0000-0000-0000-000000000000}"),
        ("Variable", "Content=SoftkeyVersionStamp={00000000-0000-0000-0000-000000000000}"),
        ("Variable", "Content=FeatureControlVersionStamp={00000000-0000-0000-0000-000000000000}"),
    ];

    // What TFTP and HTTP would answer for NAME (null: not found), looked up in the service's file tree
    // without a request being made (a request would teach the bridge the phone's family).
    private static async Task<string?> LookupAsync(ServiceHarness service, string name)
    {
        var files = service.App.Services.GetRequiredService<ITftpFileSource>();
        var lookup = await files.LookupAsync(new TftpFileRequest(name, new IPEndPoint(IPAddress.Loopback, 50000), service.Tftp), Ct);
        if (lookup.Status != TftpLookupStatus.Found)
        {
            return null;
        }

        using var content = lookup.Content!;
        var bytes = new byte[content.Length];
        content.Read(0, bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    private static async Task<string> CurlAsync(IPEndPoint server, string name)
    {
        using var folder = new TempDirectory("acb-story-curl");
        var path = Path.Combine(folder.Path, name);
        var result = await ExternalTftpClients.FetchAsync("curl", server, name, path, Ct);
        Assert.True(result.ExitCode == 0, $"curl tftp://…/{name}: exit {result.ExitCode} {result.StandardError}");
        return await File.ReadAllTextAsync(path, Ct);
    }

    private static string CnfPassword(string cnf) => PhoneSimulator.ParseCnf(cnf).GetValueOrDefault("line1_password", string.Empty);

    private static (string, string)[] XmlLines(string xml) =>
        [.. XDocument.Parse(xml).Descendants("line").Where(l => l.Element("authName") is not null)
            .Select(l => ((string)l.Element("authName")!, (string?)l.Element("authPassword") ?? string.Empty))];

    // The recorded check-sync (registration-and-notify/09), to the endpoint the bridge chose.
    private static (string, string)[] RecordedCheckSync(string endpoint) =>
        [.. AmiFixtures.ParseMessages(AmiFixtures.Numbered("registration-and-notify", "09-", "request"))[0].Fields
            .Where(f => f.Name != "ActionID")
            .Select(f => (f.Name, f.Name == "Endpoint" ? endpoint : f.Value))];

    private static (string, string)[] Fields(AmiMessage action) =>
        [.. action.Fields.Where(f => f.Name != "ActionID").Select(f => (f.Name, f.Value))];

    // The PJSIPNotify actions Asterisk has received since the last look.
    private static List<AmiMessage> DrainNotifies(AmiTestServer asterisk)
    {
        var notifies = new List<AmiMessage>();
        while (asterisk.Received.TryRead(out var received))
        {
            if (string.Equals(received.Action["Action"], "PJSIPNotify", StringComparison.OrdinalIgnoreCase))
            {
                notifies.Add(received.Action);
            }
        }

        return notifies;
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static (string, string, bool)[] Lines(JsonElement phone) =>
        [.. phone.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("endpoint").GetString()!, l.GetProperty("source").GetString()!, l.GetProperty("served").GetBoolean()))];

    private static (string, int, bool)[] PhonesOf(JsonElement endpoint) =>
        [.. endpoint.GetProperty("phones").EnumerateArray().Select(p => (p.GetProperty("mac").GetString()!, p.GetProperty("line").GetInt32(), p.GetProperty("served").GetBoolean()))];

    private static (string, string)[] Macs(JsonElement endpoint) =>
        [.. endpoint.GetProperty("macs").EnumerateArray().Select(m => (m.GetProperty("mac").GetString()!, m.GetProperty("source").GetString()!))];

    /// <summary>The admin's shell: an acb.json naming the service's store and Asterisk, and the verbs run in-process.</summary>
    private sealed class CliConfig : IDisposable
    {
        private readonly TempDirectory _folder = new("acb-story-cli");
        private readonly string _file;

        public CliConfig(ServiceHarness service, int amiPort)
        {
            _file = Path.Combine(_folder.Path, "acb.json");
            File.WriteAllText(_file, JsonSerializer.Serialize(new
            {
                Storage = new { Database = service.Database },
                Firmware = new { Directory = service.FirmwareFolder },
                Ami = new { Host = "127.0.0.1", Port = amiPort, Username = "bridge", Secret = "bridgepw" },
            }));
        }

        public CountingTimeProvider Time { get; } = new();

        public async Task<string> RunAsync(params string[] args)
        {
            var output = new StringWriter { NewLine = "\n" };
            var error = new StringWriter { NewLine = "\n" };
            var root = new RootCommand { PhonesCommand.Create(), EndpointsCommand.Create(), LogCommand.Create(Time) };
            var exit = await root.Parse([.. args, "--config", _file]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, Ct);
            Assert.True(exit == 0, $"acb {string.Join(' ', args)}: exit {exit}: {error}");
            return output.ToString();
        }

        public void Dispose() => _folder.Dispose();
    }
}
