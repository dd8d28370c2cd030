using System.Globalization;
using System.Net;
using System.Text;
using AsteriskCiscoBridge.Dashboard;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;

namespace AsteriskCiscoBridge.Scenarios.Tests.Provisioning;

/// <summary>
/// Issue 10 item 5: phones are pointed where their endpoint listens. A PBX whose PJSIP transport listens on
/// 127.0.0.1:5160 (AMI on loopback too, no Site:AsteriskHost) gives files naming port 5160 and the address the
/// phone's request reached, with no bridge setting.
/// </summary>
public sealed class TransportTests
{
    private static readonly MacAddress Mac7960 = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly MacAddress Mac7961 = MacAddress.Parse("0011223344BB").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_transport_bound_to_port_5160_yields_files_naming_port_5160_and_the_address_the_phone_reached()
    {
        var pbx = new AmiTestPbx { Transports = [new AmiTestTransport("transport-udp", "udp", "127.0.0.1:5160")] };
        pbx.Set(AmiTestEndpoint.Plain("6001", "first-secret", "\"Ann Smith\" <6001>"));
        pbx.Set(AmiTestEndpoint.Plain("6002", "other-secret", "\"Bob\" <6002>"));
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.BindAsync(Mac7960, PhoneModels.Cisco7960, Ct, new BindingRow { Position = 1, Endpoint = "6001" });
        await service.BindAsync(Mac7961, PhoneModels.Find("7961")!, Ct, new BindingRow { Position = 1, Endpoint = "6002" });
        using var logs = new FakeLoggerProvider();
        service.Capture = logs;
        await service.StartAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "first provisioning round", Ct);

        using var phone = new TftpTestClient();
        var (bytes, options) = await phone.DownloadAsync(service.Tftp, $"SIP{Mac7960}.cnf", Ct, "octet", ("tsize", "0"));
        var cnf = Encoding.ASCII.GetString(bytes);
        var sep = await FetchWithCurlAsync(service.Tftp, $"SEP{Mac7961}.cnf.xml");
        using var http = new HttpClient { BaseAddress = FileServiceUri(service) };
        var overHttp = await http.GetStringAsync(new Uri($"SEP{Mac7961}.cnf.xml", UriKind.Relative), Ct);

        Assert.Contains("proxy1_address: \"127.0.0.1\"\nproxy1_port: \"5160\"\n", cnf, StringComparison.Ordinal);
        Assert.Equal(bytes.Length.ToString(CultureInfo.InvariantCulture), options["tsize"]);
        Assert.Contains("<sipPort>5160</sipPort>", sep, StringComparison.Ordinal);
        Assert.Contains("<processNodeName>127.0.0.1</processNodeName>", sep, StringComparison.Ordinal);
        Assert.Contains("<proxy>127.0.0.1</proxy>\n        <port>5160</port>", sep, StringComparison.Ordinal);
        Assert.Equal(sep, overHttp);
        foreach (var text in (string[])[cnf, sep])
        {
            Assert.DoesNotContain("192.0.2.1", text, StringComparison.Ordinal);
            Assert.DoesNotContain(SipServer.RequestLocalHost, text, StringComparison.Ordinal);
        }

        // The store keeps the marker, so the content hash and sync counter do not depend on the interface a phone uses.
        Assert.Contains(SipServer.RequestLocalHost, Encoding.ASCII.GetString((await service.Phones.FilesAsync(Mac7960, Ct)).Single().Content), StringComparison.Ordinal);
        Assert.Contains(logs.Collector.GetSnapshot(), l => l.Message == "Phones of endpoints on transport transport-udp are pointed at <the address each phone reaches this machine at>:5160/udp from "
            + "the address each phone's request reaches this machine at (bind 127.0.0.1 is loopback, Ami:Host 127.0.0.1 is loopback); port from transport 'transport-udp' (bind)");
    }

    [Fact]
    public async Task Site_settings_set_by_the_admin_still_win_over_the_transport()
    {
        var pbx = new AmiTestPbx { Transports = [new AmiTestTransport("transport-tcp", "tcp", "10.0.0.5:5160")] };
        pbx.Set(AmiTestEndpoint.Plain("6002", "other-secret", "\"Bob\" <6002>") with { Transport = "transport-tcp" });
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.BindAsync(Mac7961, PhoneModels.Find("7961")!, Ct, new BindingRow { Position = 1, Endpoint = "6002" });
        await service.StartAsync(Ct, ("Site:AsteriskHost", "pbx.example.net"), ("Site:AsteriskPort", "5070"));
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "first provisioning round", Ct);

        var sep = await FetchWithCurlAsync(service.Tftp, $"SEP{Mac7961}.cnf.xml");

        Assert.Contains("<proxy>pbx.example.net</proxy>\n        <port>5070</port>", sep, StringComparison.Ordinal);
        Assert.Contains("<transportLayerProtocol>1</transportLayerProtocol>", sep, StringComparison.Ordinal);
    }

    private static async Task<string> FetchWithCurlAsync(IPEndPoint server, string name)
    {
        using var folder = new TempDirectory("acb-transport");
        var path = Path.Combine(folder.Path, name);
        var result = await ExternalTftpClients.FetchAsync("curl", server, name, path, Ct);
        Assert.True(result.ExitCode == 0, result.ToString());
        return await File.ReadAllTextAsync(path, Ct);
    }

    private static Uri FileServiceUri(ServiceHarness service)
    {
        var dashboard = service.App.Services.GetRequiredService<DashboardSettings>().Bound!().Port;
        var file = service.App.Urls.Select(u => new Uri(u)).First(u => u.Port != dashboard);
        return new Uri($"http://127.0.0.1:{file.Port}/");
    }
}
