using System.Text.Json;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Phones;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using SimulatedFamily = AsteriskCiscoBridge.Testing.Phones.PhoneFamily;

namespace AsteriskCiscoBridge.Scenarios.Tests.Provisioning;

/// <summary>
/// The boot requests of the later series (spec beyond-79xx A1): CTLSEP&lt;MAC&gt;.tlv, ITLSEP&lt;MAC&gt;.tlv, ITLFile.tlv and
/// SEP&lt;MAC&gt;.cnf.xml.sgn are answered "not found" at once over HTTP 6970 and TFTP, so a phone trying HTTP first goes
/// on in non-secure mode; each request is the phone's sighting (discovery, family learning) and <c>acb log</c> says why.
/// </summary>
public sealed class TrustFileRequestTests
{
    private static readonly MacAddress Bound8841 = MacAddress.Parse("00:11:22:88:41:01").Mac!.Value;
    private static readonly MacAddress New8865 = MacAddress.Parse("00:11:22:88:65:02").Mac!.Value;
    private static readonly MacAddress Learned = MacAddress.Parse("00:11:22:88:51:03").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Trust_files_are_not_found_at_once_over_http_and_tftp_and_count_as_the_phones_sighting()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6101", "desk-secret", "\"Desk\" <6101>") with { SetVars = [new("CISCO_MAC", Bound8841.Value)] });
        pbx.Set(AmiTestEndpoint.Plain("6102", "other-secret", "\"Other\" <6102>") with { SetVars = [new("CISCO_MAC", Learned.Value)] });
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.StartAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the first provisioning round", Ct);

        // A bound 8841 that tries HTTP first: each trust file is refused over HTTP, then over TFTP, and the phone
        // reads its own file over HTTP with its line.
        await using var desk = new PhoneSimulator(SimulatedFamily.Sip79x1, Bound8841.Value, service.Tftp, "sip88xx.14-2-1-0001-131", model: "8841") { HttpServer = service.Http };
        await desk.BootAsync(Ct);
        await desk.WaitForAsync("booted", Bound, Ct);
        foreach (var name in (string[])[$"CTLSEP{Bound8841}.tlv", $"ITLSEP{Bound8841}.tlv", "ITLFile.tlv"])
        {
            Assert.Equal([("http", name, false), ("tftp", name, false)], desk.Requests.Where(r => r.Name == name));
        }

        Assert.Equal(("http", true), desk.Requests.Where(r => r.Name == $"SEP{Bound8841}.cnf.xml").Select(r => (r.Protocol, r.Found)).Single());
        Assert.Equal([("6101", "desk-secret")], desk.Lines);

        // A signed config is refused the same way (a phone that still holds an earlier CUCM's trust list asks for it).
        var signed = await TftpTestClient.AskAsync(service.Tftp, "127.0.0.1", $"SEP{Bound8841}.cnf.xml.sgn", Ct);
        Assert.Equal(1, signed.ErrorCode);
        using (var http = new HttpClient())
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri($"http://{service.Http}/SEP{Bound8841}.cnf.xml.sgn"), Ct)).StatusCode);
        }

        // A bound phone of unknown model that asks for its ITL only: its family is learned from that request.
        Assert.Equal(1, (await TftpTestClient.AskAsync(service.Tftp, "127.0.0.1", $"ITLSEP{Learned}.tlv", Ct)).ErrorCode);
        var learned = await Eventually.ValueAsync(() => service.Phones.GetAsync(Learned, Ct), row => row?.ModelSource == "files", "the family learned from an ITL request", Ct, Bound);
        Assert.Equal(AsteriskCiscoBridge.Provisioning.Model.PhoneFamily.Sip79x1, PhoneFamilies.Find(learned!.Model)?.Family);

        // An unbound 8865 is seen by discovery from its trust-file requests, its model guess naming the later series.
        await using var stranger = new PhoneSimulator(SimulatedFamily.Sip79x1, New8865.Value, service.Tftp, "sip8845_65.14-2-1-0001-131", model: "8865NR") { HttpServer = service.Http };
        await stranger.BootAsync(Ct);
        await stranger.WaitForAsync("booted", Bound, Ct);
        var unbound = await Eventually.ValueAsync(
            async () => (await service.CliAsync(Ct, "phones", "--unbound", "--json")).Output,
            json => json.Contains($"ITLSEP{New8865}.tlv", StringComparison.Ordinal),
            "the new phone's trust requests in the inbox",
            Ct,
            Bound);
        var row = JsonDocument.Parse(unbound).RootElement.EnumerateArray().Single(p => p.GetProperty("mac").GetString() == New8865.Value);
        Assert.Contains($"CTLSEP{New8865}.tlv", row.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains("or a later series", row.GetProperty("modelGuess").GetString(), StringComparison.Ordinal);

        // The request log keeps both tries of each, and acb log says why they are not found.
        var requests = await Eventually.ValueAsync(
            () => new RequestLog(service.Connections).RecentAsync(Bound8841, 50, Ct),
            rows => rows.Count(r => r.FileName == $"CTLSEP{Bound8841}.tlv") == 2,
            "both tries of the CTL in the request log",
            Ct,
            Bound);
        Assert.All(requests.Where(r => r.FileName.EndsWith(".tlv", StringComparison.Ordinal)), r => Assert.Equal("trust", r.Source));
        var (exit, log) = await service.CliAsync(Ct, "log", "--mac", Bound8841.Value);
        Assert.Equal(0, exit);
        Assert.Contains("not found at once, normal: the bridge serves no CTL/ITL trust list, so the phone goes on in non-secure mode", log, StringComparison.Ordinal);
        Assert.Contains("the bridge signs nothing", log, StringComparison.Ordinal);
    }
}
