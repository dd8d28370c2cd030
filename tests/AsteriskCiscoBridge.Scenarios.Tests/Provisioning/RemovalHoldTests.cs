using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Dashboard;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AsteriskCiscoBridge.Scenarios.Tests.Provisioning;

/// <summary>
/// Reliability issue, "no mass stripping from one answer": `acb run` against the AMI test server, whose answer goes
/// empty ("No endpoints found", as a realtime backend down or a login before FullyBooted gives) or loses most
/// endpoints after a good one. The answer is held: the phones' TFTP files stay byte for byte, no PJSIPNotify goes
/// out, one Warning is logged, and `acb phones`, `acb doctor`, `acb sync` and the dashboard show it. It ends when
/// Asterisk answers as before (nothing sent), when an admin accepts it, or when the same answer outlasts
/// Sync:RemovalHold. A small removal is applied at once, as before.
/// </summary>
public sealed class RemovalHoldTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MacAddress Mac(int i) => MacAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"0011223300{i:X2}")).Mac!.Value;

    private static string Endpoint(int i) => (6000 + i).ToString(CultureInfo.InvariantCulture);

    private static string FileOf(int i) => $"SIP{Mac(i)}.cnf";

    private static AmiTestEndpoint Registered(string name) => AmiTestEndpoint.Plain(name, "pw-" + name, $"\"User {name}\" <{name}>") with
    {
        Contacts = [new AmiTestContact($"sip:{name}@127.0.0.1:5{name}", "Cisco-CP7960G/8.0", "reg-" + name)],
    };

    [Fact]
    public async Task An_empty_answer_is_held_and_shown_and_restoring_the_config_clears_it_without_a_notify_while_one_phone_of_ten_goes_at_once()
    {
        var pbx = new AmiTestPbx();
        for (var i = 1; i <= 10; i++)
        {
            pbx.Set(Registered(Endpoint(i)));
        }

        var log = new FakeLoggerProvider();
        await using var service = await StartAsync(pbx, 10, log);
        var asterisk = new AmiActionLog(service.Asterisk!);

        // One phone of ten loses its line: applied at once, as before (no hold), and the phone is told at its
        // last contact (its endpoint is gone).
        var rounds = service.Sync.Rounds;
        pbx.Remove(Endpoint(10));
        await service.Asterisk!.SendReloadAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(rounds + 1, Ct).WithinAsync(Bound, "the round that removes one line", Ct);
        Assert.Equal([Mac(10)], service.Sync.LastRound!.Changed);
        await Eventually.TrueAsync(() => asterisk.SinceStart().Any(a => a["Action"] == "PJSIPNotify"), "the NOTIFY to the last contact", Ct, Bound);
        Assert.DoesNotContain("pw-6010", await FetchAsync(service, FileOf(10)), StringComparison.Ordinal);
        Assert.Equal(0, service.Sync.HeldReads);
        var before = await FilesAsync(service, 9);

        // Asterisk answers "No endpoints found": held, twice read, one Warning.
        var kept = pbx.Endpoints.ToList();
        foreach (var endpoint in kept)
        {
            pbx.Remove(endpoint.Name);
        }

        rounds = service.Sync.Rounds;
        await service.Asterisk.SendReloadAsync(Ct);
        await service.Sync.HeldReadCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the empty answer held", Ct);
        await service.Asterisk.SendReloadAsync(Ct);
        await service.Sync.HeldReadCount.ReachedAsync(2, Ct).WithinAsync(Bound, "the empty answer read and held again", Ct);

        Assert.Equal(rounds, service.Sync.Rounds);
        Assert.Equal(before, await FilesAsync(service, 9));
        var warning = Assert.Single(log.Collector.GetSnapshot(), l => l.Id.Id == 6260);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("no endpoints at all", warning.Message, StringComparison.Ordinal);
        Assert.Contains("acb sync --accept-removals", warning.Message, StringComparison.Ordinal);

        var (exit, phones) = await service.CliAsync(Ct, "phones");
        Assert.True(exit == 0, phones);
        Assert.StartsWith("HELD: Asterisk answered no endpoints at all; applied, it would withdraw lines from 9 of 9 bound phones; held since ", phones, StringComparison.Ordinal);
        Assert.Contains("or now with: acb sync --accept-removals", phones, StringComparison.Ordinal);
        (exit, var json) = await service.CliAsync(Ct, "phones", "--json");
        Assert.True(exit == 0, json);
        using (var listed = JsonDocument.Parse(json))
        {
            Assert.Equal(["6001"], listed.RootElement.EnumerateArray().Single(p => p.GetProperty("mac").GetString() == Mac(1).Value).GetProperty("heldRemoval").EnumerateArray().Select(e => e.GetString()));
        }

        (_, var doctor) = await service.CliAsync(Ct, "doctor", "--timeout", "00:00:00.2");
        Assert.Contains(doctor.Split('\n'), l => l.StartsWith("WARN  sync.hold ", StringComparison.Ordinal)
            && l.Contains("Asterisk answered no endpoints at all", StringComparison.Ordinal) && l.Contains(Mac(1).Value, StringComparison.Ordinal));
        (exit, var sync) = await service.CliAsync(Ct, "sync", "--json");
        Assert.True(exit == 0, sync);
        using (var held = JsonDocument.Parse(sync))
        {
            Assert.True(held.RootElement.GetProperty("held").GetBoolean());
            Assert.Equal("empty-answer", held.RootElement.GetProperty("reason").GetString());
            Assert.Equal(9, held.RootElement.GetProperty("phones").GetArrayLength());
        }

        using var http = new HttpClient { BaseAddress = Dashboard.DashboardServiceTests.DashboardUri(service) };
        var state = await http.GetFromJsonAsync("api/state", DashboardJsonContext.Default.DashboardState, Ct);
        Assert.Equal(9, state!.RemovalHold!.Phones.Count);
        Assert.Equal("acb sync --accept-removals", state.RemovalHold.AcceptCommand);

        // The admin restores the configuration before the hold ends: applied, nothing changed, nothing sent.
        foreach (var endpoint in kept)
        {
            pbx.Set(endpoint);
        }

        await service.Asterisk.SendReloadAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(rounds + 1, Ct).WithinAsync(Bound, "the round over the restored answer", Ct);
        Assert.Empty(service.Sync.LastRound!.Changed);
        Assert.Equal(before, await FilesAsync(service, 9));
        (exit, sync) = await service.CliAsync(Ct, "sync");
        Assert.Equal((0, "nothing is held: the service applies Asterisk's answers as they come\n"), (exit, sync));
        Assert.Null((await http.GetFromJsonAsync("api/state", DashboardJsonContext.Default.DashboardState, Ct))!.RemovalHold);
        Assert.Contains(log.Collector.GetSnapshot(), l => l.Id.Id == 6261);
        Assert.Equal(["sip:6010@127.0.0.1:56010"], asterisk.SinceStart().Where(a => a["Action"] == "PJSIPNotify").Select(a => a["URI"]));
    }

    [Fact]
    public async Task Accept_removals_applies_the_held_answer_and_the_phones_that_keep_a_line_are_told()
    {
        // Five phones with two lines each: 600i from a realtime backend (not in pjsip.conf), 610i from the file.
        // The backend goes down: every phone would lose its first line.
        var pbx = new AmiTestPbx();
        for (var i = 1; i <= 5; i++)
        {
            pbx.Set(AmiTestEndpoint.Plain(Endpoint(i), "pw-" + Endpoint(i), $"\"Desk {i}\" <{Endpoint(i)}>") with { InConfigFile = false });
            pbx.Set(Registered(Endpoint(100 + i)));
        }

        await using var service = await StartAsync(pbx, 5, null, twoLines: true);
        var asterisk = new AmiActionLog(service.Asterisk!);
        var before = await FilesAsync(service, 5);
        Assert.All(before, f => Assert.Contains("line1_password: \"pw-600", f, StringComparison.Ordinal));

        var rounds = service.Sync.Rounds;
        for (var i = 1; i <= 5; i++)
        {
            pbx.Remove(Endpoint(i));
        }

        await service.Asterisk!.SendReloadAsync(Ct);
        await service.Sync.HeldReadCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the stripping answer held", Ct);
        Assert.Equal(before, await FilesAsync(service, 5));
        Assert.DoesNotContain(asterisk.SinceStart(), a => a["Action"] == "PJSIPNotify");

        var (exit, output) = await service.CliAsync(Ct, "sync", "--accept-removals");
        Assert.True(exit == 0, output);
        Assert.StartsWith("accepted: Asterisk's answer would withdraw lines from 5 of 5 bound phones", output, StringComparison.Ordinal);

        // The store watcher sees the acceptance's audit row; the service applies the held answer and tells each phone
        // through the line it keeps.
        await Eventually.TrueAsync(
            () => asterisk.SinceStart().Where(a => a["Action"] == "PJSIPNotify").Select(a => a["Endpoint"]).Distinct().Count() == 5,
            "a NOTIFY to every phone through its remaining line",
            Ct,
            Bound);
        Assert.Equal(
            Enumerable.Range(101, 5).Select(Endpoint),
            asterisk.SinceStart().Where(a => a["Action"] == "PJSIPNotify").Select(a => a["Endpoint"]!).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(rounds, service.Sync.Rounds);
        for (var i = 1; i <= 5; i++)
        {
            var file = await FetchAsync(service, FileOf(i));
            Assert.DoesNotContain("pw-600", file, StringComparison.Ordinal);
            Assert.Contains($"line1_password: \"pw-{Endpoint(100 + i)}\"", file, StringComparison.Ordinal);
        }

        (exit, output) = await service.CliAsync(Ct, "sync", "--accept-removals");
        Assert.Equal((0, "nothing is held: the service applied Asterisk's last answer (or has none), there is nothing to accept\n"), (exit, output));
        Assert.Contains(await new AuditLog(service.Connections).RecentAsync(10, Ct), r => r.Action == "accept-removals" && r.Actor.StartsWith("cli:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_held_answer_that_outlasts_the_hold_is_applied()
    {
        var pbx = new AmiTestPbx();
        for (var i = 1; i <= 3; i++)
        {
            pbx.Set(Registered(Endpoint(i)));
        }

        var log = new FakeLoggerProvider();
        await using var service = await StartAsync(pbx, 3, log, settings: [("Sync:RemovalHold", "00:00:01")]);
        var rounds = service.Sync.Rounds;
        foreach (var endpoint in pbx.Endpoints.ToList())
        {
            pbx.Remove(endpoint.Name);
        }

        // No reload after the first: the service reads Asterisk again itself when the hold is over.
        await service.Asterisk!.SendReloadAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(rounds + 1, Ct).WithinAsync(Bound, "the held answer applied after the hold", Ct);

        Assert.True(service.Sync.HeldReads >= 1);
        Assert.Single(log.Collector.GetSnapshot(), l => l.Id.Id == 6260);
        Assert.Single(log.Collector.GetSnapshot(), l => l.Id.Id == 6263);
        Assert.Equal([Mac(1), Mac(2), Mac(3)], service.Sync.LastRound!.Changed.OrderBy(m => m.Value, StringComparer.Ordinal));
        for (var i = 1; i <= 3; i++)
        {
            Assert.DoesNotContain("pw-600", await FetchAsync(service, FileOf(i)), StringComparison.Ordinal);
        }

        Assert.Null(await new RemovalHoldStore(service.Connections).GetAsync(Ct));
    }

    /// <summary>
    /// Binds phone i (a 7960) to endpoint 600i (and, with <paramref name="twoLines"/>, 610i as line 2), starts the
    /// service, waits for the first round and its NOTIFYs, and fetches every phone's file once, which settles its
    /// resync: from then on a NOTIFY can only come from something the test does.
    /// </summary>
    private static async Task<ServiceHarness> StartAsync(AmiTestPbx pbx, int phones, FakeLoggerProvider? log, bool twoLines = false, params (string Key, string Value)[] settings)
    {
        var service = await ServiceHarness.CreateAsync(pbx, Ct);
        for (var i = 1; i <= phones; i++)
        {
            BindingRow[] rows = twoLines
                ? [new BindingRow { Position = 1, Endpoint = Endpoint(i) }, new BindingRow { Position = 2, Endpoint = Endpoint(100 + i) }]
                : [new BindingRow { Position = 1, Endpoint = Endpoint(i) }];
            await service.BindAsync(Mac(i), PhoneModels.Cisco7960, Ct, rows);
        }

        service.Capture = log;
        await service.StartAsync(Ct, [("Resync:FetchDeadline", "01:00:00"), ("Security:RateLimit:Burst", "1000"), .. settings]);
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the first provisioning round", Ct);
        await service.Resync.SentCount.ReachedAsync(phones, Ct).WithinAsync(Bound, "the first round's NOTIFYs", Ct);
        await FilesAsync(service, phones);

        // A resync is settled by the fetch and a registration after it: each registered line registers again
        // from its contact (Asterisk refreshes the contact's expiration, with no event; the bridge looks).
        foreach (var endpoint in pbx.Endpoints.Where(e => !e.Contacts.IsEmpty))
        {
            var uri = endpoint.Contacts[0].Uri;
            Assert.NotNull(await service.Asterisk!.RegisterAsync(endpoint.Username, endpoint.Password, _ => new AmiTestContact(uri, "Cisco-CP7960G/8.0", "again-" + endpoint.Name), Ct));
        }

        var queue = new ResyncQueue(service.Connections);
        await Eventually.TrueAsync(async () => (await queue.ListAsync(Ct)).Count == 0, "every phone's fetch and registration settling its resync", Ct, Bound);
        return service;
    }

    private static async Task<string> FetchAsync(ServiceHarness service, string name)
    {
        using var client = new TftpTestClient();
        return Encoding.UTF8.GetString((await client.DownloadAsync(service.Tftp, name, Ct)).Bytes);
    }

    private static async Task<string[]> FilesAsync(ServiceHarness service, int phones)
    {
        var files = new string[phones];
        for (var i = 1; i <= phones; i++)
        {
            files[i - 1] = await FetchAsync(service, FileOf(i));
        }

        return files;
    }
}
