using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using AsteriskCiscoBridge.Dashboard;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Firmware;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.Extensions.DependencyInjection;

namespace AsteriskCiscoBridge.Scenarios.Tests.Dashboard;

/// <summary>
/// The dashboard, its API and /metrics on a running service over real sockets: what they show,
/// who may use them, and that the phones' HTTP port never answers for them.
/// </summary>
public sealed partial class DashboardServiceTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static async Task<ServiceHarness> StartAsync(CancellationToken cancellationToken, params (string Key, string Value)[] settings)
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "pw", "\"Ann Smith\" <6001>") with { Contacts = [new AmiTestContact("sip:6001@127.0.0.1:5070", "Cisco-CP7960G/8.0", "reg-6001")] });
        var service = await ServiceHarness.CreateAsync(pbx, cancellationToken);
        await service.BindAsync(Mac, PhoneModels.Cisco7960, cancellationToken, new BindingRow { Position = 1, Endpoint = "6001" });
        await service.StartAsync(cancellationToken, settings);
        await service.Sync.RoundCount.ReachedAsync(1, cancellationToken).WithinAsync(Bound, "the first provisioning round", cancellationToken);

        // The phone's files were new, so the service itself told it (over its own AMI session):
        // forget those actions, so that a test sees only what the dashboard causes.
        await service.Resync.SentCount.ReachedAsync(1, cancellationToken).WithinAsync(Bound, "the service's own first NOTIFY", cancellationToken);
        // The counter moves just before the notify log row is written: wait for the row too.
        var notifies = new NotifyLog(service.Connections);
        await Eventually.TrueAsync(async () => (await notifies.RecentAsync(Mac, 1, cancellationToken)).Count > 0, "the service's NOTIFY in the notify log", cancellationToken, Bound);

        while (service.Asterisk!.Received.TryRead(out _))
        {
        }

        return service;
    }

    internal static Uri DashboardUri(ServiceHarness service)
    {
        var bound = service.App.Services.GetRequiredService<DashboardSettings>().Bound!();
        return new Uri($"http://127.0.0.1:{bound.Port}/");
    }

    private static Uri FileServiceUri(ServiceHarness service)
    {
        var dashboard = DashboardUri(service).Port;
        var file = service.App.Urls.Select(u => new Uri(u)).First(u => u.Port != dashboard);
        return new Uri($"http://127.0.0.1:{file.Port}/");
    }

    [GeneratedRegex("<meta name=\"acb-token\" content=\"([0-9a-f]*)\">")]
    private static partial Regex TokenMeta();

    [Fact]
    public async Task Metrics_count_tftp_and_http_requests_and_show_the_ami_link()
    {
        await using var service = await StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = DashboardUri(service) };
        using var tftp = new TftpTestClient();
        await tftp.SendAsync(TftpTestClient.ReadRequest("no-such-file.bin"), service.Tftp, Ct);
        Assert.True((await tftp.ReceiveAsync(Bound, Ct)).IsError);
        using var files = new HttpClient { BaseAddress = FileServiceUri(service) };
        Assert.Equal(HttpStatusCode.NotFound, (await files.GetAsync("no-such-file.bin", Ct)).StatusCode);

        using var response = await http.GetAsync("metrics", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("# TYPE acb_tftp_requests_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("acb_tftp_requests_total{outcome=\"not_found\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("acb_tftp_misses_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("acb_http_requests_total{code=\"404\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("acb_ami_connected 1\n", text, StringComparison.Ordinal);
        Assert.Matches(new Regex("\nacb_ami_snapshot_age_seconds [0-9.]+\n"), text);
        Assert.Contains("# TYPE acb_resync_notifies_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("acb_resync_stale_phones 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_count_an_option_refusal_as_option_refused_not_malformed()
    {
        await using var service = await StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = DashboardUri(service) };
        using var tftp = new TftpTestClient();

        // RFC 2348: blksize 8–65464; the phone's own file exists, so the option is what is refused.
        await tftp.SendAsync(TftpTestClient.ReadRequest($"SIP{Mac.Value}.cnf", "octet", ("blksize", "7")), service.Tftp, Ct);
        Assert.Equal(8, (await tftp.ReceiveAsync(Bound, Ct)).ErrorCode);

        var text = await Eventually.ValueAsync(
            () => http.GetStringAsync("metrics", Ct),
            t => t.Contains("acb_tftp_requests_total{outcome=\"option_refused\"} 1\n", StringComparison.Ordinal),
            "the refusal counted",
            Ct,
            Bound);
        Assert.Contains("acb_tftp_requests_total{outcome=\"malformed\"} 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_lists_the_bound_phone_and_a_resync_post_needs_the_page_token()
    {
        await using var service = await StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = DashboardUri(service) };

        using var tftp = new TftpTestClient();
        var (bytes, _) = await tftp.DownloadAsync(service.Tftp, "SIP0011223344AA.cnf", Ct);
        // The request recorder writes the log asynchronously: wait until the fetch is there.
        var phone = await Eventually.ValueAsync(
            async () => Assert.Single(JsonDocument.Parse(await http.GetStringAsync("api/state", Ct)).RootElement.GetProperty("phones").EnumerateArray()).Clone(),
            p => p.GetProperty("lastRequest").ValueKind == JsonValueKind.Object,
            "the phone's fetch in the request log",
            Ct,
            Bound);
        Assert.Equal("0011223344AA", phone.GetProperty("mac").GetString());
        Assert.Equal("7960", phone.GetProperty("model").GetString());
        Assert.Equal("6001", Assert.Single(phone.GetProperty("endpoints").EnumerateArray()).GetString());
        // The load planner's answer, as acb phones shows it: no firmware and no default configured.
        Assert.Contains("no site default, no pin and no running load", phone.GetProperty("upgradePath").GetString(), StringComparison.Ordinal);
        Assert.Equal("SIP0011223344AA.cnf", phone.GetProperty("lastRequest").GetProperty("file").GetString());
        Assert.Equal(bytes.Length, phone.GetProperty("lastRequest").GetProperty("bytes").GetInt64());
        Assert.Equal("fetched", phone.GetProperty("lastResync").GetProperty("outcome").GetString()); // the fetch after the service's NOTIFY is its proof
        Assert.DoesNotContain("\"pw\"", phone.GetRawText(), StringComparison.Ordinal);
        var log = JsonDocument.Parse(await http.GetStringAsync("api/requests?after=0", Ct)).RootElement;
        Assert.Contains(log.EnumerateArray(), r => r.GetProperty("file").GetString() == "SIP0011223344AA.cnf" && r.GetProperty("mac").GetString() == "0011223344AA");

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("api/phones/0011223344AA/resync", null, Ct)).StatusCode);
        using var forged = new HttpRequestMessage(HttpMethod.Post, "api/phones/0011223344AA/resync");
        forged.Headers.Add(DashboardAccess.TokenHeader, "0123456789abcdef0123456789abcdef");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(forged, Ct)).StatusCode);

        var token = TokenMeta().Match(await http.GetStringAsync("/", Ct)).Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "api/phones/0011223344AA/resync");
        post.Headers.Add(DashboardAccess.TokenHeader, token);
        using var response = await http.SendAsync(post, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var notify = await service.Asterisk!.WaitForActionAsync("PJSIPNotify", Ct).WaitAsync(Bound, Ct);
        Assert.Equal("6001", notify.Action["Endpoint"]);
        Assert.True(notify.Connection > 1, "sent over the dashboard's own AMI session, not the service's");
        Assert.Equal(1, service.Resync.Sent);
        Assert.Equal(["Event=check-sync"], notify.Action.GetAll("Variable"));
    }

    [Fact]
    public async Task A_held_answer_is_on_the_page_and_accepting_it_needs_the_token_and_applies_it()
    {
        await using var service = await StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = DashboardUri(service) };
        var page = await http.GetStringAsync("/", Ct);
        Assert.Contains("id=\"hold\"", page, StringComparison.Ordinal);
        Assert.Contains("acb sync --accept-removals", page, StringComparison.Ordinal);
        Assert.Contains("renderHold(state.removalHold)", await http.GetStringAsync("app.js", Ct), StringComparison.Ordinal);
        using (var anonymous = await http.PostAsync("api/sync/accept-removals", null, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var token = TokenMeta().Match(page).Groups[1].Value;
        using (var nothingHeld = await PostAsync(http, "api/sync/accept-removals", token))
        {
            Assert.Equal(HttpStatusCode.Conflict, nothingHeld.StatusCode);
        }

        // Asterisk answers "No endpoints found": held, shown, the phone keeps its line.
        service.Asterisk!.Pbx.Remove("6001");
        await service.Asterisk.SendReloadAsync(Ct);
        await service.Sync.HeldReadCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the empty answer held", Ct);
        var state = JsonDocument.Parse(await http.GetStringAsync("api/state", Ct)).RootElement.GetProperty("removalHold");
        Assert.Equal("empty-answer", state.GetProperty("reason").GetString());
        Assert.Equal("0011223344AA", Assert.Single(state.GetProperty("phones").EnumerateArray()).GetProperty("mac").GetString());
        Assert.Contains("line1_password: \"pw\"", await FetchTextAsync(service), StringComparison.Ordinal);

        using var accepted = await PostAsync(http, "api/sync/accept-removals", token);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.StartsWith("accepted: Asterisk answered no endpoints at all", JsonDocument.Parse(await accepted.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => !(await FetchTextAsync(service)).Contains("line1_password: \"pw\"", StringComparison.Ordinal), "the line withdrawn", Ct, Bound);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(await http.GetStringAsync("api/state", Ct)).RootElement.GetProperty("removalHold").ValueKind);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string token)
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, path);
        post.Headers.Add(DashboardAccess.TokenHeader, token);
        return await http.SendAsync(post, Ct);
    }

    private static async Task<string> FetchTextAsync(ServiceHarness service)
    {
        using var tftp = new TftpTestClient();
        return System.Text.Encoding.UTF8.GetString((await tftp.DownloadAsync(service.Tftp, "SIP0011223344AA.cnf", Ct)).Bytes);
    }

    [Fact]
    public async Task A_foreign_host_header_is_refused_and_the_phones_port_never_answers_for_the_dashboard()
    {
        await using var service = await StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = DashboardUri(service) };
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "api/state");
        rebound.Headers.Host = "attacker.example";

        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(rebound, Ct)).StatusCode);

        using var files = new HttpClient { BaseAddress = FileServiceUri(service) };
        foreach (var path in new[] { "api/state", "metrics", "app.js" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await files.GetAsync(path, Ct)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await files.PostAsync("api/phones/0011223344AA/resync", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task Beyond_loopback_the_service_needs_a_token_and_the_api_and_metrics_require_it()
    {
        Assert.Throws<InvalidOperationException>(() => RunCommand.Build([], null, new Dictionary<string, string?>
        {
            ["Tftp:Listen:0"] = "127.0.0.1:0",
            ["Http:Listen:0"] = "127.0.0.1:0",
            ["Dashboard:Listen"] = "0.0.0.0:0",
        }));

        const string Token = "a-long-dashboard-token-0123456789";
        await using var service = await StartAsync(Ct, ("Dashboard:Listen", "0.0.0.0:0"), ("Dashboard:Token", Token));
        using var http = new HttpClient { BaseAddress = DashboardUri(service) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/", Ct)).StatusCode);
        Assert.DoesNotContain(Token, await http.GetStringAsync("/", Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/state", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("metrics", Ct)).StatusCode);

        using var scrape = new HttpRequestMessage(HttpMethod.Get, "metrics");
        scrape.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(scrape, Ct)).StatusCode);
        using var state = new HttpRequestMessage(HttpMethod.Get, "api/state");
        state.Headers.Add(DashboardAccess.TokenHeader, Token);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(state, Ct)).StatusCode);
    }

    [Fact]
    public async Task Pin_from_the_dashboard_follows_acb_pin_rules_and_serves_the_pinned_load_at_once()
    {
        const string Target = "SIP41.9-4-2SR3-1S";
        const string Older = "SIP41.8-5-2S";
        var mac = MacAddress.Parse("0011223344C9").Mac!.Value;
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6109", "pw-6109"));
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        Directory.CreateDirectory(service.FirmwareFolder);
        var sccp = SyntheticFirmware.Java("SCCP41.8-3-1S", seed: 53, withTermDefaults: false);
        foreach (var (name, bytes) in new[] { SyntheticFirmware.Java(Target, seed: 51), SyntheticFirmware.Java(Older, seed: 52, withTermDefaults: false), sccp }.SelectMany(l => l.Files))
        {
            await File.WriteAllBytesAsync(Path.Combine(service.FirmwareFolder, name), bytes, Ct);
        }

        // The SCCP load is made incomplete: it must be neither offered nor pinnable.
        File.Delete(Path.Combine(service.FirmwareFolder, sccp.Files[^1].Name));
        await service.BindAsync(mac, PhoneModels.Cisco7961, Ct, new BindingRow { Position = 1, Endpoint = "6109" });
        await service.StartAsync(Ct, ("Firmware:Defaults:7961", Target));
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the first provisioning round", Ct);
        Assert.Contains($"<loadInformation>{Target}</loadInformation>", await FetchAsync(service, $"SEP{mac.Value}.cnf.xml"), StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = DashboardUri(service) };
        var token = TokenMeta().Match(await http.GetStringAsync("/", Ct)).Groups[1].Value;
        var phone = await PhoneStateAsync(http, token, mac);
        Assert.True(phone.PinAvailable);
        Assert.Equal([Target, Older], phone.Choices);
        Assert.Null(phone.Pinned);

        // Refusals say why and store nothing.
        var (status, body) = await PinAsync(http, token, mac, "{\"load\": \"SIP41.7-0-0S\"}");
        Assert.Equal((HttpStatusCode.Conflict, false), (status, body.GetProperty("ok").GetBoolean()));
        Assert.Contains("not in the firmware catalog", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        (status, body) = await PinAsync(http, token, mac, "{\"load\": \"SCCP41.8-3-1S\"}");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("incomplete", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        (status, body) = await PinAsync(http, token, mac, "{\"load\": \"P0S3-08-12-00\"}");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("not for 0011223344C9", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        (status, _) = await PinAsync(http, token, mac, "{\"load\": \"../../etc/passwd\"}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, _) = await PinAsync(http, token, mac, "load=" + Older);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, _) = await PinAsync(http, token, mac, "{\"load\": \"" + new string('x', 2000) + "\"}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Null((await service.Phones.GetAsync(mac, Ct))!.PinnedLoad);

        // Without the token nothing happens.
        using (var anonymous = new HttpRequestMessage(HttpMethod.Post, $"api/phones/{mac.Value}/pin") { Content = new StringContent("{\"load\": \"" + Older + "\"}") })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(anonymous, Ct)).StatusCode);
        }

        // The pin is stored, audited and served over TFTP at once, without waiting for a round.
        var rounds = service.Sync.Rounds;
        (status, body) = await PinAsync(http, token, mac, "{\"load\": \"" + Older + "\"}");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Contains($"next boot loads {Older}", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(Older, (await service.Phones.GetAsync(mac, Ct))!.PinnedLoad);
        Assert.Contains($"<loadInformation>{Older}</loadInformation>", await FetchAsync(service, $"SEP{mac.Value}.cnf.xml"), StringComparison.Ordinal);
        Assert.Equal(rounds, service.Sync.Rounds);
        Assert.Contains(await new AuditLog(service.Connections).RecentAsync(10, Ct), a => a.Mac == mac && a.Action == "pin" && a.Actor == "dashboard" && a.Detail == $"load {Older}");
        phone = await PhoneStateAsync(http, token, mac);
        Assert.Equal(Older, phone.Pinned);
        Assert.Contains("pinned", phone.Path, StringComparison.Ordinal);

        // Site default again: unpinned, and the file names the target once more.
        (status, body) = await PinAsync(http, token, mac, "{\"load\": null}");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Null((await service.Phones.GetAsync(mac, Ct))!.PinnedLoad);
        Assert.Contains($"<loadInformation>{Target}</loadInformation>", await FetchAsync(service, $"SEP{mac.Value}.cnf.xml"), StringComparison.Ordinal);
        (status, _) = await PinAsync(http, token, mac, "{\"load\": null}");
        Assert.Equal(HttpStatusCode.Conflict, status);
    }

    private static async Task<string> FetchAsync(ServiceHarness service, string name)
    {
        using var client = new TftpTestClient();
        return System.Text.Encoding.UTF8.GetString((await client.DownloadAsync(service.Tftp, name, Ct)).Bytes);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PinAsync(HttpClient http, string token, MacAddress mac, string json)
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, $"api/phones/{mac.Value}/pin") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        post.Headers.Add(DashboardAccess.TokenHeader, token);
        using var response = await http.SendAsync(post, Ct);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone());
    }

    private static async Task<(bool PinAvailable, string[] Choices, string? Pinned, string Path)> PhoneStateAsync(HttpClient http, string token, MacAddress mac)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "api/state");
        get.Headers.Add(DashboardAccess.TokenHeader, token);
        using var response = await http.SendAsync(get, Ct);
        var state = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        var phone = state.GetProperty("phones").EnumerateArray().Single(p => p.GetProperty("mac").GetString() == mac.Value);
        return (
            state.GetProperty("pinAvailable").GetBoolean(),
            [.. phone.GetProperty("pinChoices").EnumerateArray().Select(c => c.GetString()!)],
            phone.GetProperty("pinnedLoad").GetString(),
            phone.GetProperty("upgradePath").GetString()!);
    }
}
