using System.Net;
using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AsteriskCiscoBridge.Scenarios.Tests.Security;

/// <summary>
/// Secrets never in logs (reliability catalogue §5.5 case 17): a provisioning round from AMI, TFTP
/// and HTTP fetches of files that carry SIP passwords, an unbound phone, a pin alert and a refused
/// request, with every log line captured at Trace; no password (nor the AMI secret) appears in any
/// log line or in any column of the request log.
/// </summary>
public sealed class SecretsTests
{
    private static readonly MacAddress Mac7960 = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly MacAddress Mac7961 = MacAddress.Parse("0011223344BB").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly string[] Secrets = ["Pw-7960-line1!", "Pw-7961-line1#", "bridgepw", "Admin-Phone-Pw", "Ssh-Pw-42"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string?> AskTextAsync(IPEndPoint server, string from, string name) => (await TftpTestClient.AskAsync(server, from, name, Ct)).Text;


    [Fact]
    public async Task No_password_reaches_a_log_line_or_the_request_log()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", Secrets[0], "\"Ann\" <6001>") with { Contacts = [new AmiTestContact("sip:6001@127.0.0.80:5060", "Cisco-CP7960G/8.0", "c1@127.0.0.80")] });
        pbx.Set(AmiTestEndpoint.Plain("6002", Secrets[1], "\"Bob\" <6002>"));
        var logs = new FakeLoggerProvider();
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        service.Capture = logs;
        await service.BindAsync(Mac7960, PhoneModels.Cisco7960, Ct, new BindingRow { Position = 1, Endpoint = "6001" });
        await service.BindAsync(Mac7961, PhoneModels.Find("7961")!, Ct, new BindingRow { Position = 1, Endpoint = "6002" });
        await service.StartAsync(
            Ct,
            ("Logging:LogLevel:Default", "Trace"),
            ("Site:AsteriskHost", "pbx.example.net"),
            ("Site:PhonePassword", Secrets[3]),
            ("Site:SshUser", "admin"),
            ("Site:SshPassword", Secrets[4]),
            ("Security:AddressPinning", "alert"));
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "first provisioning round", Ct);

        var recorder = service.App.Services.GetRequiredService<RequestRecorder>();
        var requestsLogged = recorder.LoggedCount.Value;
        var own = await AskTextAsync(service.Tftp, "127.0.0.80", $"SIP{Mac7960}.cnf");
        var elsewhere = await AskTextAsync(service.Tftp, "127.0.0.81", $"SIP{Mac7960}.cnf");
        var sep = await AskTextAsync(service.Tftp, "127.0.0.82", $"SEP{Mac7961}.cnf.xml");
        await AskTextAsync(service.Tftp, "127.0.0.83", "SIP0011223344CC.cnf");
        await AskTextAsync(service.Tftp, "127.0.0.83", "SIPDefault.cnf");
        await AskTextAsync(service.Tftp, "127.0.0.83", "ITLSEP0011223344CC.tlv");
        using var http = new HttpClient { BaseAddress = new Uri(service.App.Urls.First()) };
        var overHttp = await http.GetStringAsync(new Uri($"SEP{Mac7961}.cnf.xml", UriKind.Relative), Ct);
        var log = new RequestLog(service.Connections);
        await recorder.LoggedCount.ReachedAsync(requestsLogged + 7, Ct).WithinAsync(Bound, "seven requests in the request log", Ct);
        var rows = await log.RecentAsync(null, 100, Ct);

        // The files did carry the secrets, and the capture did see the detailed levels.
        Assert.Contains(Secrets[0], own, StringComparison.Ordinal);
        Assert.Contains(Secrets[0], elsewhere, StringComparison.Ordinal);
        Assert.Contains(Secrets[1], sep, StringComparison.Ordinal);
        Assert.Contains(Secrets[1], overHttp, StringComparison.Ordinal);
        Assert.Equal(7, rows.Count); // six over TFTP, one over HTTP
        Assert.Contains(logs.Collector.GetSnapshot(), l => l.Level <= LogLevel.Debug);
        Assert.Contains(logs.Collector.GetSnapshot(), l => l.Id.Id == 6072);

        // Everything a log line carries: its text, its structured values, its scopes and its exception.
        var logged = logs.Collector.GetSnapshot().Select(l => string.Join(
            " ",
            l.Message,
            string.Join(" ", l.StructuredState ?? []),
            string.Join(" ", l.Scopes),
            l.Exception)).ToList();
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(logged, l => l.Contains(secret, StringComparison.Ordinal));
        }

        await using var connection = await service.Connections.OpenAsync(Ct);
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT group_concat(concat_ws('|', id, at, client, file_name, mac, outcome, bytes, source), char(10)) FROM request_log";
        var everything = (string)(await query.ExecuteScalarAsync(Ct))!;
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }
}
