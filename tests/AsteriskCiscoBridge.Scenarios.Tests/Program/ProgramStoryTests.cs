using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using System.Xml.Linq;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Phones;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Scenarios.Tests.Program;

/// <summary>
/// The README's story with the program an admin runs, not the service composed in-process: <c>acb run</c>
/// started from a configuration file against the AMI test server (the recorded wire format), the phones
/// Asterisk declares served to real TFTP clients and over HTTP, a simulated 7961 booted, registered and
/// restarted through <c>PJSIPNotify</c> when its password changes, the admin's verbs and the dashboard
/// read, a clean stop on SIGTERM and the last metrics sent over OTLP. With <c>ACB_EXECUTABLE</c> set this runs the native executable
/// (<c>.ci/run</c>): what trimming removed would fail here, not on a PBX.
/// </summary>
[Trait(AcbProgram.Trait, AcbProgram.Acb)]
public sealed partial class ProgramStoryTests : IDisposable
{
    private const string DeskMac = "0011223344AA";
    private const string LobbyMac = "0006D7AA2A2E";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _folder = new("acb-program");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Acb_run_serves_the_phones_asterisk_declares_resyncs_a_changed_one_and_stops_cleanly()
    {
        // pjsip.conf as the admin leaves it: a 7960 with two lines through phoneprov, a lobby phone by set_var.
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "desk-line2-secret", "\"Dana Desk\" <6001>") with { PhoneprovMac = "00:11:22:33:44:aa", PhoneprovProfile = "cisco-7960", PhoneprovLine = "2" });
        pbx.Set(AmiTestEndpoint.Plain("6002", "desk-line1-secret", "\"Front Office\" <6002>") with { PhoneprovMac = "00:11:22:33:44:aa", PhoneprovProfile = "cisco-7960", PhoneprovLine = "1" });
        pbx.Set(AmiTestEndpoint.Plain("6004", "lobby-secret", "\"Lobby\" <6004>") with { SetVars = [new("CISCO_MAC", "0006.d7aa.2a2e")] });
        await using var asterisk = AmiTestServer.Start(pbx);

        // The site's own SIP<MAC>.cnf, in Liquid: a loop, filters and a number compared (parsed by the template engine).
        var templates = Path.Combine(_folder.Path, "templates");
        _folder.Write(Path.Combine("templates", "SIP{mac}.cnf"),
            "{% for line in lines %}line{{ line.number }}_name: \"{{ line.name }}\"\nline{{ line.number }}_password: \"{{ line.password | cnf }}\"\n" +
            "line{{ line.number }}_shortname: \"{{ line.label | upcase }}\"\n{% endfor %}{% assign count = line_count | plus: 0 %}# {{ count }} lines{% if count > 1.5 %}, more than one{% endif %} on a {{ model }}\n");
        // An OpenTelemetry collector's OTLP/HTTP port, as a site with one has it.
        var exports = Channel.CreateUnbounded<(string Path, byte[] Body)>();
        var collectorBuilder = WebApplication.CreateSlimBuilder();
        collectorBuilder.Logging.ClearProviders();
        collectorBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var collector = collectorBuilder.Build();
        collector.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            await exports.Writer.WriteAsync((context.Request.Path.Value ?? string.Empty, body.ToArray()), context.RequestAborted);
        });
        await collector.StartAsync(Ct);

        var config = _folder.Write("acb.json", JsonSerializer.Serialize(new
        {
            Ami = new { Host = "127.0.0.1", Port = asterisk.Port, Username = "bridge", Secret = "bridgepw" },
            Storage = new { Database = Path.Combine(_folder.Path, "data", "acb.db") },
            Firmware = new { Directory = Path.Combine(_folder.Path, "data", "firmware") },
            Tftp = new { Listen = new[] { "127.0.0.1:0" }, AllowedNetworks = new[] { "127.0.0.0/8" } },
            Http = new { Listen = new[] { "127.0.0.1:0" } },
            Dashboard = new { Listen = "127.0.0.1:0" },
            Site = new { TemplateFolder = templates },
            Telemetry = new { Otlp = new { Endpoint = collector.Urls.First(), Protocol = "HttpProtobuf" } },
        }));

        var info = AcbProgram.StartInfo("run", "--config", config);
        info.WorkingDirectory = _folder.Path;
        var output = new ConcurrentQueue<string>();
        using var acb = Process.Start(info)!;
        var stderr = acb.StandardError.ReadToEndAsync(Ct);
        try
        {
            acb.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
            acb.BeginOutputReadLine();

            // Where it listens, from its own log: TFTP, then the file tree's HTTP and the dashboard.
            var tftp = IPEndPoint.Parse(await LoggedAsync(output, TftpListening(), "the TFTP listener"));
            var urls = await Eventually.ValueAsync(
                () => Task.FromResult(output.Select(l => HttpListening().Match(l)).Where(m => m.Success).Select(m => new Uri(m.Groups[1].Value)).ToList()),
                u => u.Count == 2,
                "the HTTP listeners",
                Ct,
                Bound);

            // 1. Once it has read Asterisk, real TFTP clients get the files of the phones Asterisk declares, with no `acb bind`.
            await LoggedAsync(output, ProvisionedRound(), "the first provisioning round");
            var deskFile = await FetchAsync("curl", tftp, $"SIP{DeskMac}.cnf") ?? string.Empty;
            Assert.EndsWith("# 2 lines, more than one on a 7960\n", deskFile, StringComparison.Ordinal);
            var desk = PhoneSimulator.ParseCnf(deskFile);
            Assert.Equal(("6002", "desk-line1-secret"), (desk["line1_name"], desk["line1_password"]));
            Assert.Equal(("6001", "desk-line2-secret"), (desk["line2_name"], desk["line2_password"]));
            foreach (var client in ExternalTftpClients.Variants)
            {
                Assert.Equal([("6004", "lobby-secret")], XmlLines(await FetchAsync(client, tftp, $"SEP{LobbyMac}.cnf.xml") ?? "<none/>"));
            }

            // 2. The same file over HTTP (port 6970 in production).
            using var http = new HttpClient();
            var dashboard = await DashboardOfAsync(urls, http);
            var fileTree = urls.Single(u => u != dashboard);
            Assert.Equal([("6004", "lobby-secret")], XmlLines(await http.GetStringAsync(new Uri(fileTree, $"SEP{LobbyMac}.cnf.xml"), Ct)));

            // 3. The lobby phone (a 7961) boots over TFTP with its line and registers with Asterisk.
            await using var lobby = new PhoneSimulator(PhoneFamily.Sip79x1, LobbyMac, tftp, "SIP41.9-4-2SR3-1S");
            lobby.RegisterWith(asterisk);
            await lobby.BootAsync(Ct);
            await lobby.WaitForAsync("registered", Bound, Ct);
            Assert.Equal([("6004", "lobby-secret")], lobby.Lines);

            // 4. Its password changes in Asterisk: a service-control restart to its registration, and it boots with the new one.
            var callId = lobby.CallId;
            pbx.Set(pbx.Find("6004")! with { Password = "lobby-rotated" });
            await asterisk.SendReloadAsync(Ct);
            var restart = await asterisk.WaitForActionAsync("PJSIPNotify", Ct).WaitAsync(Bound, Ct);
            Assert.Equal("6004", restart.Action["Endpoint"]);
            Assert.Contains($"Content=RegisterCallId={{{callId}}}", restart.Action.Fields.Where(f => f.Name == "Variable").Select(f => f.Value));
            await lobby.WaitForAsync("booted", Bound, Ct);
            Assert.Equal([("6004", "lobby-rotated")], lobby.Lines);

            // 5. The admin's verbs, run as the admin runs them, read the same store and Asterisk.
            var phones = JsonDocument.Parse(await AcbAsync("phones", "--json", "--config", config)).RootElement.EnumerateArray()
                .ToDictionary(p => p.GetProperty("mac").GetString()!, p => p.GetProperty("endpoints").EnumerateArray().Select(e => e.GetString()!).ToArray());
            Assert.Equal(["6002", "6001"], phones[DeskMac]);
            Assert.Equal(["6004"], phones[LobbyMac]);
            var endpoints = JsonDocument.Parse(await AcbAsync("endpoints", "--json", "--config", config)).RootElement.GetProperty("endpoints").EnumerateArray()
                .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("provisionable").GetBoolean());
            Assert.Equal([("6001", true), ("6002", true), ("6004", true)], endpoints.Select(e => (e.Key, e.Value)).Order());
            Assert.Contains($"asked SEP{LobbyMac}.cnf.xml", await AcbAsync("log", "--mac", LobbyMac, "--config", config), StringComparison.Ordinal);
            var doctor = await AcbProgram.RunAsync(["doctor", "--config", config], new Dictionary<string, string?>(), _folder.Path, Bound, Ct);
            Assert.Contains("ami.login", doctor.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", doctor.StandardOutput + doctor.StandardError, StringComparison.Ordinal);

            // 6. The dashboard's state and metrics.
            var state = JsonDocument.Parse(await http.GetStringAsync(new Uri(dashboard, "/api/state"), Ct)).RootElement;
            Assert.Equal(2, state.GetProperty("phones").GetArrayLength());
            Assert.Matches(@"(?m)^acb_tftp_requests_total\{[^}]*\} [1-9]", await http.GetStringAsync(new Uri(dashboard, "/metrics"), Ct));

            // 7. SIGTERM: a clean stop, nothing on stderr.
            var term = await ProcessRunner.RunAsync("kill", ["-TERM", acb.Id.ToString(CultureInfo.InvariantCulture)], Bound, Ct);
            Assert.Equal(0, term.ExitCode);
            await acb.WaitForExitAsync(Ct).WaitAsync(Bound, Ct);
            Assert.Equal(0, acb.ExitCode);
            Assert.Equal(string.Empty, await stderr);
            Assert.DoesNotContain(output, l => l.Contains("Exception", StringComparison.Ordinal));

            // 8. Its last metrics went to the collector as it stopped.
            var exported = new List<string>();
            while (!exported.Any(e => e.Contains("acb_tftp_requests_total", StringComparison.Ordinal)))
            {
                var (path, body) = await exports.Reader.ReadAsync(Ct).AsTask().WaitAsync(Bound, Ct);
                Assert.Equal("/v1/metrics", path);
                exported.Add(Encoding.UTF8.GetString(body));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // What the service said is the first thing to read when the story breaks: its log without the
            // per-request records, and its stderr if it has exited.
            var lines = output.ToArray();
            var said = lines.Where((l, i) => !l.Contains("TftpServer[2001]", StringComparison.Ordinal) && (i == 0 || !lines[i - 1].Contains("TftpServer[2001]", StringComparison.Ordinal)));
            var error = stderr.IsCompletedSuccessfully ? await stderr : string.Empty;
            throw new InvalidOperationException($"{e.Message}\nacb run's log:\n{string.Join('\n', said.Take(80))}\n{error}", e);
        }
        finally
        {
            if (!acb.HasExited)
            {
                acb.Kill(entireProcessTree: true);
            }
        }
    }

    private async Task<string> AcbAsync(params string[] arguments)
    {
        var result = await AcbProgram.RunAsync(arguments, new Dictionary<string, string?>(), _folder.Path, Bound, Ct);
        Assert.True(result.ExitCode == 0, $"acb {string.Join(' ', arguments)}: exit {result.ExitCode}: {result.StandardError}");
        return result.StandardOutput;
    }

    private static async Task<string> LoggedAsync(ConcurrentQueue<string> output, Regex pattern, string what) =>
        await Eventually.ValueAsync(
            () => Task.FromResult(output.Select(l => pattern.Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value),
            value => value is not null,
            what,
            Ct,
            Bound) ?? string.Empty;

    // The dashboard answers /api/state; the file tree has no such file.
    private static async Task<Uri> DashboardOfAsync(IReadOnlyList<Uri> urls, HttpClient http)
    {
        foreach (var url in urls)
        {
            using var answer = await http.GetAsync(new Uri(url, "/api/state"), Ct);
            if (answer.IsSuccessStatusCode)
            {
                return url;
            }
        }

        throw new InvalidOperationException($"no dashboard among {string.Join(", ", urls)}");
    }

    private async Task<string?> FetchAsync(string client, IPEndPoint server, string name)
    {
        var path = Path.Combine(_folder.Path, $"{client}-{name}");
        var result = await ExternalTftpClients.FetchAsync(client, server, name, path, Ct);
        return result.ExitCode == 0 && File.Exists(path) ? await File.ReadAllTextAsync(path, Encoding.UTF8, Ct) : null;
    }

    private static (string, string)[] XmlLines(string xml) =>
        [.. XDocument.Parse(xml).Descendants("line").Where(l => l.Element("authName") is not null)
            .Select(l => ((string)l.Element("authName")!, (string?)l.Element("authPassword") ?? string.Empty))];

    [GeneratedRegex(@"TFTP listening on (\S+)$")]
    private static partial Regex TftpListening();

    [GeneratedRegex(@"(Provisioned from a snapshot of \d+ endpoints)")]
    private static partial Regex ProvisionedRound();

    [GeneratedRegex(@"Now listening on: (http://\S+)$")]
    private static partial Regex HttpListening();
}
