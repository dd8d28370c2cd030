using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AsteriskCiscoBridge.Dashboard;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;

namespace AsteriskCiscoBridge.Scenarios.Tests.Dashboard;

/// <summary>Speed dials set from the dashboard reach the phone's file through the service's own round, by acb bind's rules.</summary>
public sealed partial class DashboardKeysTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("0011223344AB").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Keys_posted_from_the_dashboard_are_served_after_the_lines_and_too_many_are_refused()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "pw", "\"Ann Smith\" <6001>") with { SetVars = [new("ACB_KEY_3", "speeddial:6100:Lobby")] });
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.BindAsync(Mac, PhoneModels.Cisco7821, Ct, new BindingRow { Position = 1, Endpoint = "6001" });
        await service.StartAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the first provisioning round", Ct);
        using var http = new HttpClient { BaseAddress = DashboardServiceTests.DashboardUri(service) };
        var token = TokenMeta().Match(await http.GetStringAsync("/", Ct)).Groups[1].Value;

        // A 7821 has two buttons; its one line leaves one, which Asterisk's set_var key fills.
        Assert.Equal(["speeddial:6100:Lobby from set_var ACB_KEY_3 on 6001"], await KeysAsync(http, token));
        var tooMany = await PostAsync(http, token, """{"keys": ["blf:6002:Bob", "speeddial:6003"]}""");
        var bad = await PostAsync(http, token, """{"keys": ["park:700"]}""");
        var one = await PostAsync(http, token, """{"keys": ["blf:6002:Bob & Co"]}""");

        Assert.Equal((HttpStatusCode.BadRequest, "a 7821 has 2 buttons: 1 line leaves 1 for keys, 2 given (key.1, key.2)"), tooMany);
        Assert.Equal((HttpStatusCode.BadRequest, "key.1: 'park:700' is not speeddial:NUMBER[:LABEL] or blf:NUMBER[:LABEL]"), bad);
        Assert.Equal(HttpStatusCode.OK, one.Status);

        // The phone's own key.1 comes first; Asterisk's key.3 no longer has a button and is said so in the round.
        var file = await Eventually.ValueAsync(
            async () => System.Text.Encoding.UTF8.GetString((await TftpTestClient.AskAsync(service.Tftp, "127.0.0.1", $"SEP{Mac}.cnf.xml", Ct)).Bytes ?? []),
            text => text.Contains("<featureID>21</featureID>", StringComparison.Ordinal),
            "the key in the served file",
            Ct,
            Bound);
        var key = System.Xml.Linq.XElement.Parse(file).Descendants("line").Single(l => (string?)l.Attribute("button") == "2");
        Assert.Equal(("21", "Bob & Co", "6002"), ((string?)key.Element("featureID"), (string?)key.Element("featureLabel"), (string?)key.Element("speedDialNumber")));
        Assert.Equal(["blf:6002:Bob & Co from acb bind --set or the dashboard", "speeddial:6100:Lobby from set_var ACB_KEY_3 on 6001"], await KeysAsync(http, token));
        await Eventually.TrueAsync(
            () => service.Sync.LastRound?.Problems.Contains($"{Mac}: key.3 left out: a 7821 has 2 buttons: 1 line leaves 1 for keys, 2 given (key.1, key.3)") == true,
            "the round names the key left out",
            Ct,
            Bound);
    }

    private static async Task<(HttpStatusCode Status, string Message)> PostAsync(HttpClient http, string token, string json)
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, $"api/phones/{Mac.Value}/keys") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        post.Headers.Add(DashboardAccess.TokenHeader, token);
        using var response = await http.SendAsync(post, Ct);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("message").GetString()!);
    }

    private static async Task<string[]> KeysAsync(HttpClient http, string token)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "api/state");
        get.Headers.Add(DashboardAccess.TokenHeader, token);
        using var response = await http.SendAsync(get, Ct);
        var phone = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("phones").EnumerateArray().Single(p => p.GetProperty("mac").GetString() == Mac.Value);
        return [.. phone.GetProperty("keys").EnumerateArray().Select(k => $"{k.GetProperty("value").GetString()} from {k.GetProperty("origin").GetString()}")];
    }

    [GeneratedRegex("<meta name=\"acb-token\" content=\"([0-9a-f]*)\">")]
    private static partial Regex TokenMeta();
}
