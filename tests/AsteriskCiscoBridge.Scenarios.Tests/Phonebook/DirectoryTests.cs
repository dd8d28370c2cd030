using System.Globalization;
using System.Net;
using System.Xml.Linq;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Requests;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;

namespace AsteriskCiscoBridge.Scenarios.Tests.Phonebook;

/// <summary>
/// The directory read from Asterisk, over real HTTP on the file listener with the phones' own request header
/// (<c>x-CiscoIPPhoneModelName</c>): 10,000 endpoints read over AMI in the recorded wire format, paged by 32 and searched,
/// the 79xx led through its one-item menu, every object checked element by element.
/// </summary>
public sealed class DirectoryTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ten_thousand_endpoints_are_paged_and_searched_as_each_phone_needs()
    {
        var pbx = new AmiTestPbx();
        for (var i = 0; i < 10_000; i++)
        {
            var number = (20000 + i).ToString(CultureInfo.InvariantCulture);
            pbx.Set(AmiTestEndpoint.Plain(number, "pw" + number, $"\"Person {i:D5}\" <{number}>"));
        }

        pbx.Set(AmiTestEndpoint.Plain("6001", "pw", "\"Zoë & \"Ann\" <Sales>\" <6001>"));
        pbx.Set(AmiTestEndpoint.Plain("6002", "pw", "\"Secret Lab\" <6002>") with { SetVars = [new("ACB_DIRECTORY", "no")] });
        pbx.Set(AmiTestEndpoint.Plain("provider-trunk", "pw"));
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.StartAsync(Ct);
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the first provisioning round over 10,000 endpoints", Ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{service.Http}") };

        // A 79xx opens its directoryURL: one menu item, then the search, then the list.
        var (menu, type) = await GetAsync(http, "/directory", "CP-7960G");
        Assert.Equal("text/xml; charset=utf-8", type);
        var item = Assert.Single(menu.Elements("MenuItem"));
        Assert.Equal($"http://{service.Http}/directory/search", item.Element("URL")!.Value);
        var (search79, _) = await GetAsync(http, item.Element("URL")!.Value, "CP-7960G");
        Assert.Equal("CiscoIPPhoneInput", search79.Name.LocalName);

        // An 8841 goes to the search at once; an empty search lists everyone, 32 a page, Next to the next.
        var (input, _) = await GetAsync(http, "/directory", "CP-8841");
        Assert.Equal("CiscoIPPhoneInput", input.Name.LocalName);
        Assert.Equal($"http://{service.Http}/directory/list", input.Element("URL")!.Value);
        var (first, _) = await GetAsync(http, input.Element("URL")!.Value + "?name=&number=", "CP-8841");
        Assert.Equal(("Directory 1/313", "1-32 of 10001"), (first.Element("Title")!.Value, first.Element("Prompt")!.Value));
        Assert.Equal(32, first.Elements("DirectoryEntry").Count());
        Assert.Equal(("Person 00000", "20000"), Entry(first.Elements("DirectoryEntry").First()));
        Assert.Equal(["Call", "Exit", "Next"], first.Elements("SoftKeyItem").Select(k => k.Element("Name")!.Value));
        var next = first.Elements("SoftKeyItem").Single(k => k.Element("Name")!.Value == "Next");
        Assert.Equal("3", next.Element("Position")!.Value);
        var (second, _) = await GetAsync(http, next.Element("URL")!.Value, "CP-8841");
        Assert.Equal(("Person 00032", "20032"), Entry(second.Elements("DirectoryEntry").First()));
        Assert.Equal(["Call", "Exit", "Next", "Previous"], second.Elements("SoftKeyItem").Select(k => k.Element("Name")!.Value));
        var (last, _) = await GetAsync(http, "/directory/list?page=9999", "CP-8841");
        Assert.Equal(("Directory 313/313", "9985-10001 of 10001"), (last.Element("Title")!.Value, last.Element("Prompt")!.Value));
        Assert.Equal(("Zoë & \"Ann\" <Sales>", "6001"), Entry(last.Elements("DirectoryEntry").Last()));

        // Search by name (any case, no accents) and by number; names folded for a 7960's display.
        var (zoe8841, _) = await GetAsync(http, "/directory/list?name=ZOE&number=", "CP-8841");
        var (zoe7960, _) = await GetAsync(http, "/directory/list?name=zoe", "CP-7960G");
        var (byNumber, _) = await GetAsync(http, "/directory/list?name=&number=29999", "CP-8841");
        Assert.Equal([("Zoë & \"Ann\" <Sales>", "6001")], zoe8841.Elements("DirectoryEntry").Select(Entry));
        Assert.Equal([("Zoe & \"Ann\" <Sales>", "6001")], zoe7960.Elements("DirectoryEntry").Select(Entry));
        Assert.Equal([("Person 09999", "29999")], byNumber.Elements("DirectoryEntry").Select(Entry));

        // The hidden endpoint and the trunk (no number) are in no page.
        var (secret, _) = await GetAsync(http, "/directory/list?name=secret", "CP-8841");
        var (trunk, _) = await GetAsync(http, "/directory/list?name=trunk", "CP-8841");
        Assert.Empty(secret.Elements("DirectoryEntry"));
        Assert.Empty(trunk.Elements("DirectoryEntry"));

        // Requests are in the request log beside the files.
        await Eventually.TrueAsync(
            async () => (await new RequestLog(service.Connections).RecentAsync(null, 50, Ct)).Any(r => r.FileName == "directory/list" && r.Outcome.ToString().StartsWith("served: directory page 313 of 313", StringComparison.Ordinal)),
            "the directory pages in the request log",
            Ct,
            Bound);
    }

    [Fact]
    public async Task The_directory_keeps_the_file_service_allowlist_and_its_url_reaches_both_families_files()
    {
        var mac7960 = MacAddress.Parse("0011223344C1").Mac!.Value;
        var mac8841 = MacAddress.Parse("0011223344C2").Mac!.Value;
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "pw1", "\"Ann\" <6001>") with { SetVars = [new("CISCO_MAC", mac7960.Value), new("CISCO_MODEL", "7960")] });
        pbx.Set(AmiTestEndpoint.Plain("6002", "pw2", "\"Bob\" <6002>") with { SetVars = [new("CISCO_MAC", mac8841.Value), new("CISCO_MODEL", "8841")] });
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.StartAsync(Ct, ("Tftp:AllowedNetworks:0", "127.0.0.0/30"), ("Directory:Url", "http://pbx.example.net:6970/directory"));
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the first provisioning round", Ct);

        var sep = XDocument.Parse(System.Text.Encoding.UTF8.GetString((await TftpTestClient.AskAsync(service.Tftp, "127.0.0.1", $"SEP{mac8841}.cnf.xml", Ct)).Bytes!)).Root!;
        var cnf = AsteriskCiscoBridge.Testing.Phones.PhoneSimulator.ParseCnf(System.Text.Encoding.ASCII.GetString((await TftpTestClient.AskAsync(service.Tftp, "127.0.0.1", $"SIP{mac7960}.cnf", Ct)).Bytes!));
        Assert.Equal("http://pbx.example.net:6970/directory", sep.Element("directoryURL")!.Value);
        Assert.Equal("http://pbx.example.net:6970/directory", cnf["directory_url"]);

        // 127.0.0.1 is allowed; 127.0.0.5 is not (the loopback /8 reaches the listener from any of its addresses).
        using var allowed = new HttpClient { BaseAddress = new Uri($"http://{service.Http}") };
        Assert.Equal(HttpStatusCode.OK, (await allowed.GetAsync(new Uri("/directory/list", UriKind.Relative), Ct)).StatusCode);
        using var handler = new SocketsHttpHandler { ConnectCallback = async (context, ct) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.5"), 0));
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        } };
        using var outsider = new HttpClient(handler) { BaseAddress = new Uri($"http://{service.Http}") };
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync(new Uri("/directory/list", UriKind.Relative), Ct)).StatusCode);
    }

    private static async Task<(XElement Root, string? ContentType)> GetAsync(HttpClient http, string url, string model)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("x-CiscoIPPhoneModelName", model);
        using var response = await http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Root!, response.Content.Headers.ContentType?.ToString());
    }

    private static (string Name, string Telephone) Entry(XElement entry) => (entry.Element("Name")!.Value, entry.Element("Telephone")!.Value);
}
