using System.Net;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Host.Tests.Cli;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.Extensions.DependencyInjection;

namespace AsteriskCiscoBridge.Host.Tests.Security;

/// <summary>The guards apply to HTTP 6970 as to TFTP: the same file tree, the same limits.</summary>
public sealed class HttpGuardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Http_requests_count_against_the_per_address_rate_limit()
    {
        using var firmware = new TempDirectory("acb-fw");
        firmware.Write("P0S3-08-12-00.loads", "load");
        // A refill of one request per 1,000 s: nothing refills within the test.
        await using var app = RunCommandTests.Build(firmware, ("Security:RateLimit:RequestsPerSecond", "0.001"), ("Security:RateLimit:Burst", "2"));
        await app.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.GetAsync(new Uri("P0S3-08-12-00.loads", UriKind.Relative), Ct);
            codes.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden], codes);
        await app.StopAsync(Ct);
    }

    [Fact]
    public async Task Tftp_allowed_networks_hold_for_http_and_tftp_alike()
    {
        // Reliability catalogue §5.5 case 19: outside the allowed networks a request gets ERROR 2 (TFTP) or
        // 403 (HTTP), and not a byte of the file; inside, both serve it.
        using var firmware = new TempDirectory("acb-fw");
        firmware.Write("P0S3-08-12-00.loads", "load");
        await using var app = RunCommandTests.Build(firmware, ("Tftp:AllowedNetworks:0", "127.0.0.66/32"));
        await app.StartAsync(Ct);
        var tftp = app.Services.GetRequiredService<AsteriskCiscoBridge.Services.Files.TftpHostedService>().Server.LocalEndPoints[0];
        var url = new Uri(new Uri(app.Urls.First()), "P0S3-08-12-00.loads");

        Assert.Equal("load", (await TftpTestClient.AskAsync(tftp, "127.0.0.66", "P0S3-08-12-00.loads", Ct)).Text);
        Assert.Equal(2, (await TftpTestClient.AskAsync(tftp, "127.0.0.67", "P0S3-08-12-00.loads", Ct)).ErrorCode);

        using (var inside = From("127.0.0.66"))
        {
            Assert.Equal("load", await inside.GetStringAsync(url, Ct));
        }

        using (var outside = From("127.0.0.67"))
        {
            using var refused = await outside.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.DoesNotContain("load", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        await app.StopAsync(Ct);
    }

    [Fact]
    public async Task With_answer_denied_clients_off_a_refused_client_gets_silence_over_tftp_and_http()
    {
        // Case 19, silent mode: no TFTP error, no HTTP status; the connection just ends. Inside, both serve.
        using var firmware = new TempDirectory("acb-fw");
        firmware.Write("P0S3-08-12-00.loads", "load");
        await using var app = RunCommandTests.Build(firmware, ("Tftp:AllowedNetworks:0", "127.0.0.66/32"), ("Tftp:AnswerDeniedClients", "false"));
        await app.StartAsync(Ct);
        var server = app.Services.GetRequiredService<AsteriskCiscoBridge.Services.Files.TftpHostedService>().Server;
        var tftp = server.LocalEndPoints[0];
        var url = new Uri(new Uri(app.Urls.First()), "P0S3-08-12-00.loads");

        using var outsider = new TftpTestClient(IPAddress.Parse("127.0.0.67"));
        await outsider.SendAsync(TftpTestClient.ReadRequest("P0S3-08-12-00.loads"), tftp, Ct);
        await Eventually.TrueAsync(() => server.Counters.Denied == 1, "the request refused", Ct);
        // Counted after any answer would have been sent: there is none.
        Assert.Equal(0, outsider.Available);
        Assert.Equal("load", (await TftpTestClient.AskAsync(tftp, "127.0.0.66", "P0S3-08-12-00.loads", Ct)).Text);

        using (var outside = From("127.0.0.67"))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => outside.GetAsync(url, Ct));
        }

        using (var inside = From("127.0.0.66"))
        {
            Assert.Equal("load", await inside.GetStringAsync(url, Ct));
        }

        await app.StopAsync(Ct);
    }

    // An HTTP client whose connections leave from one loopback address, as a phone at that address would.
    private static HttpClient From(string address) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    [Theory]
    [InlineData("Security:AddressPinning", "maybe", "Security:AddressPinning 'maybe' is not one of Off, Alert, Deny")]
    [InlineData("Security:AddressPinning", "3", "Security:AddressPinning '3' is not one of Off, Alert, Deny")]
    [InlineData("Security:RateLimit:Burst", "-1", "Security:RateLimit: RequestsPerSecond and Burst must be 0 or more")]
    public void A_bad_security_setting_stops_the_service_with_one_clear_line(string key, string value, string message)
    {
        using var firmware = new TempDirectory("acb-fw");
        var overrides = new Dictionary<string, string?> { ["Firmware:Directory"] = firmware.Path, ["Storage:Database"] = Path.Combine(firmware.Path, "acb.db"), [key] = value };

        var e = Assert.ThrowsAny<InvalidOperationException>(() => RunCommand.Build([], null, overrides));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
