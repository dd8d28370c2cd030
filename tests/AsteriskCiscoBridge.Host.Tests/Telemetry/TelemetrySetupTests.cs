using System.Net;
using System.Text;
using System.Threading.Channels;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Host.Tests.Support;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Testing.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host.Tests.Telemetry;

/// <summary>OTLP to a collector, here a real HTTP listener on loopback taking what an OpenTelemetry collector takes on 4318.</summary>
public sealed class TelemetrySetupTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _folder = new("acb-otlp");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task With_an_otlp_endpoint_the_service_sends_its_metrics_to_the_collector_and_the_last_ones_when_it_stops()
    {
        var exports = Channel.CreateUnbounded<(string Path, string? Type, byte[] Body)>();
        var collectorBuilder = WebApplication.CreateSlimBuilder();
        collectorBuilder.Logging.ClearProviders();
        collectorBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var collector = collectorBuilder.Build();
        collector.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            await exports.Writer.WriteAsync((context.Request.Path.Value ?? string.Empty, context.Request.ContentType, body.ToArray()), context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        await collector.StartAsync(Ct);

        var app = RunCommand.Build([], null, new Dictionary<string, string?>(LoopbackRun.Settings(Path.Combine(_folder.Path, "firmware"), Path.Combine(_folder.Path, "acb.db")))
        {
            ["Telemetry:Otlp:Endpoint"] = collector.Urls.First(),
            ["Telemetry:Otlp:Protocol"] = "HttpProtobuf",
        });
        await using (app)
        {
            await app.StartAsync(Ct);
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("no-such-file.bin", UriKind.Relative), Ct)).StatusCode);
            await app.StopAsync(Ct);
        }

        // The export interval (1 min) has not passed: what arrives is the final export made on stopping.
        var (path, type, body) = await exports.Reader.ReadAsync(Ct).AsTask().WaitAsync(Bound, Ct);
        var text = Encoding.UTF8.GetString(body);
        Assert.Equal("/v1/metrics", path);
        Assert.Equal("application/x-protobuf", type);
        Assert.Contains("asterisk-cisco-bridge", text, StringComparison.Ordinal);
        Assert.Contains("AsteriskCiscoBridge", text, StringComparison.Ordinal);
        Assert.Contains("acb_http_requests_total", text, StringComparison.Ordinal);
        Assert.Contains("404", text, StringComparison.Ordinal);
        Assert.Contains("acb_provisioning_rounds_total", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Telemetry:Otlp:Endpoint", "collector:4317", "Telemetry:Otlp:Endpoint is not an http:// or https:// URL (e.g. http://collector:4317)")]
    [InlineData("Telemetry:Otlp:Protocol", "Udp", "Telemetry:Otlp:Protocol 'Udp' is not one of Grpc, HttpProtobuf")]
    [InlineData("Telemetry:Otlp:Endpiont", "http://collector:4317", "unknown key Telemetry:Otlp:Endpiont (did you mean Telemetry:Otlp:Endpoint?)")]
    public void A_bad_telemetry_setting_is_one_line_naming_its_key(string key, string value, string problem)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new KeyValuePair<string, string?>(key, value)]).Build();

        Assert.Equal([problem], ConfigurationCheck.Problems(configuration));
    }
}
