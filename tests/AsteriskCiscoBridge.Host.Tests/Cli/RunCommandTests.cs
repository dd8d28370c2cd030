using System.Net;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Host.Tests.Support;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;

namespace AsteriskCiscoBridge.Host.Tests.Cli;

public sealed class RunCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The service on loopback ports chosen by the system, with its store under <paramref name="firmware"/>, plus <paramref name="more"/> settings.</summary>
    internal static WebApplication Build(TempDirectory firmware, params (string Key, string Value)[] more)
    {
        var overrides = LoopbackRun.Settings(firmware.Path, Path.Combine(firmware.Path, ".store", "acb.db"));
        foreach (var (key, value) in more)
        {
            overrides[key] = value;
        }

        return RunCommand.Build([], null, overrides);
    }

    [Fact]
    public async Task The_service_serves_the_same_tree_over_tftp_and_http_6970()
    {
        using var firmware = new TempDirectory("acb-fw");
        firmware.Write("SIP41.9-4-2SR3-1S.loads", "loads file");
        await using var app = Build(firmware);
        await app.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var tftp = app.Services.GetRequiredService<TftpHostedService>().Server.LocalEndPoints[0];
        using var client = new TftpTestClient();

        var overHttp = await http.GetStringAsync(new Uri("sip41.9-4-2sr3-1s.LOADS", UriKind.Relative), Ct);
        var (overTftp, _) = await client.DownloadAsync(tftp, "SIP41.9-4-2SR3-1S.loads", Ct);

        Assert.Equal("loads file", overHttp);
        Assert.Equal("loads file"u8.ToArray(), overTftp);
        await app.StopAsync(Ct);
    }

    [Fact]
    public async Task Http_answers_head_and_refuses_tricks_and_missing_files()
    {
        using var firmware = new TempDirectory("acb-fw");
        firmware.Write("OS79XX.TXT", "P0S3-08-12-00");
        await using var app = Build(firmware);
        await app.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "OS79XX.TXT"), Ct);
        using var traversal = await http.GetAsync(new Uri("a/..%2F..%2F..%2Fetc%2Fpasswd", UriKind.Relative), Ct);
        using var missing = await http.GetAsync(new Uri("P0S3-08-12-00.sb2", UriKind.Relative), Ct);
        using var post = await http.PostAsync(new Uri("OS79XX.TXT", UriKind.Relative), new StringContent("x"), Ct);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(13, head.Content.Headers.ContentLength);
        Assert.True(traversal.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, traversal.StatusCode.ToString());
        Assert.DoesNotContain("root:", await traversal.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        await app.StopAsync(Ct);
    }

    [Fact]
    public async Task Http_applies_the_allowed_networks_too()
    {
        using var firmware = new TempDirectory("acb-fw");
        firmware.Write("OS79XX.TXT", "P0S3-08-12-00");
        await using var app = Build(firmware, ("Tftp:AllowedNetworks:0", "10.0.0.0/8"));
        await app.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var response = await http.GetAsync(new Uri("OS79XX.TXT", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await app.StopAsync(Ct);
    }

    [Theory]
    [InlineData("Tftp:Listen:0", "nonsense", "Tftp:Listen 'nonsense' is not ADDR:PORT")]
    [InlineData("Tftp:MaxBlockSize", "4", "Tftp:MaxBlockSize must be 8–65464")]
    [InlineData("Tftp:MaxBufferedBytes", "-1", "Tftp:MaxBufferedBytes must be 0 or more")]
    [InlineData("Http:Listen:0", "127.0.0.1", "Http:Listen '127.0.0.1' is not ADDR:PORT")]
    public void A_bad_setting_stops_the_service_with_one_clear_line(string key, string value, string message)
    {
        using var firmware = new TempDirectory("acb-fw");

        var e = Assert.ThrowsAny<InvalidOperationException>(() => Build(firmware, (key, value)));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mac_scan_is_refused_while_a_phone_at_another_address_is_served()
    {
        using var firmware = new TempDirectory("acb-fw");
        await using var app = Build(firmware, ("Security:MaxDistinctMacs", "3"));
        await app.StartAsync(Ct);
        var tftp = app.Services.GetRequiredService<TftpHostedService>().Server.LocalEndPoints[0];

        var answers = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            using var scanner = new TftpTestClient(IPAddress.Parse("127.0.0.9"));
            await scanner.SendAsync(TftpTestClient.ReadRequest($"SEP0011223344{i:X2}.cnf.xml"), tftp, Ct);
            answers.Add((await scanner.ReceiveAsync(TimeSpan.FromSeconds(10), Ct)).ErrorCode);
        }

        // A phone elsewhere asking for its own (here unbound) file still gets its answer.
        using var phone = new TftpTestClient(IPAddress.Parse("127.0.0.10"));
        var (bytes, _) = await phone.DownloadAsync(tftp, "SEP0011223344AA.cnf.xml", Ct);

        // The first three get the credential-free answer for unbound phones (a DATA, not an
        // error); past the limit the scanning address is refused.
        Assert.Equal([-1, -1, -1, 2, 2], answers);
        Assert.StartsWith("<device>", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        await app.StopAsync(Ct);
    }

    [Fact]
    public async Task Aliases_of_one_network_share_one_allowance_over_tftp()
    {
        // Catalogue case 18 with real sockets: six loopback addresses of 127.0.0.0/24, two unknown MACs
        // each (far under the per-address limit), trip the network's limit of 10; another /24 is served.
        using var firmware = new TempDirectory("acb-fw");
        await using var app = Build(firmware, ("Security:MaxDistinctMacsPerPrefix", "10"));
        var logs = new FakeLoggerProvider();
        app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().AddProvider(logs);
        await app.StartAsync(Ct);
        var tftp = app.Services.GetRequiredService<TftpHostedService>().Server.LocalEndPoints[0];

        var answers = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            answers.Add((await TftpTestClient.AskAsync(tftp, $"127.0.0.{2 + (i / 2)}", $"SEP00112233{i:X4}.cnf.xml", Ct)).ErrorCode);
        }

        var elsewhere = await TftpTestClient.AskAsync(tftp, "127.0.1.5", "SEP0011223344AA.cnf.xml", Ct);

        // The first ten get the credential-free answer for unbound phones; then the network is refused.
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2], answers);
        Assert.StartsWith("<device>", elsewhere.Text, StringComparison.Ordinal);
        var alarm = Assert.Single(logs.Collector.GetSnapshot(), l => l.Id.Id == 6142);
        Assert.StartsWith("MAC scan from network 127.0.0.0/24 (last from 127.0.0.7)", alarm.Message, StringComparison.Ordinal);
        await app.StopAsync(Ct);
    }

    [Fact]
    public async Task Site_files_are_served_before_any_phone_is_bound()
    {
        using var firmware = new TempDirectory("acb-fw");
        await using var app = Build(firmware);
        await app.StartAsync(Ct);
        var tftp = app.Services.GetRequiredService<TftpHostedService>().Server.LocalEndPoints[0];

        // The service publishes the site files as it starts; wait for the first of them.
        byte[]? sipDefault = null;
        await Eventually.TrueAsync(
            async () =>
            {
                using var client = new TftpTestClient();
                try
                {
                    (sipDefault, _) = await client.DownloadAsync(tftp, "sipdefault.cnf", Ct);
                    return true;
                }
                catch (TftpErrorException)
                {
                    return false;
                }
            },
            "SIPDefault.cnf served",
            Ct);

        // The firmware folder is empty: no load is offered, so there is no OS79XX.TXT (file-not-found is normal, spec §1.1).
        using var other = new TftpTestClient();
        var missing = await Assert.ThrowsAsync<TftpErrorException>(() => other.DownloadAsync(tftp, "OS79XX.TXT", Ct));

        Assert.Equal(1, missing.Code);
        Assert.Contains("proxy1_address", System.Text.Encoding.UTF8.GetString(sipDefault!), StringComparison.Ordinal);
        Assert.DoesNotContain("image_version", System.Text.Encoding.UTF8.GetString(sipDefault!), StringComparison.Ordinal);
        await app.StopAsync(Ct);
    }
}
