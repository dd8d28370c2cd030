using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Host.Diagnostics;
using AsteriskCiscoBridge.Host.Tests.Support;
using AsteriskCiscoBridge.Services.Diagnostics;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace AsteriskCiscoBridge.Host.Tests.Diagnostics;

/// <summary><c>Type=notify</c> and the journal format, as systemd starts the service.</summary>
[Trait(AcbProgram.Trait, AcbProgram.Acb)]
public sealed class SystemdIntegrationTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _folder = new("acb-systemd");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    private Dictionary<string, string?> Loopback() => LoopbackRun.Settings(Path.Combine(_folder.Path, "firmware"), Path.Combine(_folder.Path, "acb.db"));

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, Ct).AsTask().WaitAsync(Bound, Ct);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    [Fact]
    public async Task Ready_is_sent_only_when_tftp_http_and_the_dashboard_are_bound()
    {
        _folder.Write(Path.Combine("firmware", "OS79XX.TXT"), "P0S3-08-12-00");
        ListenerCheckingNotifier? notifier = null;
        await using var app = RunCommand.Build([], null, Loopback(), services =>
        {
            services.AddSystemdIntegration(name => name == "NOTIFY_SOCKET" ? "/run/systemd/notify" : null);
            services.AddSingleton<ISystemdNotifier>(sp => notifier = new ListenerCheckingNotifier(sp));
        });
        Assert.IsType<SystemdLifetime>(app.Services.GetRequiredService<IHostLifetime>());

        await app.StartAsync(Ct);
        await app.StopAsync(Ct);

        Assert.NotNull(notifier);
        Assert.Equal(["READY=1", "STOPPING=1"], notifier.Sent);
        // At the moment READY=1 was sent: both TCP listeners (HTTP 6970 and the dashboard) took a
        // connection, and the TFTP server had its port.
        Assert.Equal(2, notifier.TcpAcceptedAtReady);
        Assert.NotEqual(0, notifier.TftpAtReady?.Port ?? 0);
    }

    [Fact]
    public async Task Under_systemd_acb_run_says_ready_then_serves_logs_in_the_journal_format_and_says_stopping_on_sigterm()
    {
        _folder.Write(Path.Combine("firmware", "OS79XX.TXT"), "P0S3-08-12-00");
        var config = _folder.Write("acb.json", JsonSerializer.Serialize(new
        {
            Storage = new { Database = Path.Combine(_folder.Path, "acb.db") },
            Firmware = new { Directory = Path.Combine(_folder.Path, "firmware") },
            Tftp = new { Listen = new[] { "127.0.0.1:0" } },
            Http = new { Listen = new[] { "127.0.0.1:0" } },
            Dashboard = new { Listen = "127.0.0.1:0" },
        }));
        var notifySocket = Path.Combine(_folder.Path, "notify");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(notifySocket));
        var info = AcbProgram.StartInfo("run", "--config", config);
        info.WorkingDirectory = _folder.Path;
        info.Environment["NOTIFY_SOCKET"] = notifySocket;
        info.Environment["JOURNAL_STREAM"] = "8:4242";
        var output = new ConcurrentQueue<string>();
        using var acb = Process.Start(info)!;
        try
        {
            acb.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
            acb.BeginOutputReadLine();
            var stderr = acb.StandardError.ReadToEndAsync(Ct);

            Assert.Equal("READY=1", await ReceiveAsync(systemd));
            var urls = await Eventually.ValueAsync(
                () => Task.FromResult(output.Select(l => Regex.Match(l, @"Now listening on: (http://\S+)$")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList()),
                u => u.Count == 2,
                "HTTP and the dashboard logged as listening",
                Ct,
                Bound);
            using var http = new HttpClient();
            var answers = await Task.WhenAll(urls.Select(u => http.GetAsync(new Uri(new Uri(u), "OS79XX.TXT"), Ct)));
            Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);

            var term = await ProcessRunner.RunAsync("kill", ["-TERM", acb.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], Bound, Ct);
            Assert.Equal(0, term.ExitCode);
            Assert.Equal("STOPPING=1", await ReceiveAsync(systemd));
            await acb.WaitForExitAsync(Ct).WaitAsync(Bound, Ct);
            Assert.Equal(0, acb.ExitCode);
            Assert.Equal(string.Empty, await stderr);

            // The journal reads the priority and adds its own time: <6> is Information, no timestamp, no colours.
            Assert.Contains(output, l => Regex.IsMatch(l, @"^<6>Microsoft\.Hosting\.Lifetime\[\d+\] Now listening on: http://127\.0\.0\.1:\d+$"));
            Assert.DoesNotContain(output, l => l.Contains('\u001b', StringComparison.Ordinal));
        }
        finally
        {
            if (!acb.HasExited)
            {
                acb.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public void Without_systemd_variables_the_console_lifetime_and_format_are_left_alone()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddConsole());

        services.AddSystemdIntegration(_ => null);
        using var provider = services.BuildServiceProvider();

        Assert.Null(provider.GetService<IHostLifetime>());
        Assert.NotEqual(ConsoleFormatterNames.Systemd, provider.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }

    /// <summary>Stands in for systemd's notifier and, when READY=1 is sent, looks at what is listening.</summary>
    private sealed class ListenerCheckingNotifier(IServiceProvider services) : ISystemdNotifier
    {
        public List<string> Sent { get; } = [];

        public int TcpAcceptedAtReady { get; private set; }

        public IPEndPoint? TftpAtReady { get; private set; }

        public bool IsEnabled => true;

        public void Notify(ServiceState state)
        {
            var text = state.ToString();
            Sent.Add(text);
            if (text != "READY=1")
            {
                return;
            }

            foreach (var address in services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses)
            {
                var uri = new Uri(address);
                using var client = new TcpClient();
                client.Connect(IPAddress.Parse(uri.Host), uri.Port);
                TcpAcceptedAtReady++;
            }

            TftpAtReady = services.GetRequiredService<TftpHostedService>().Server.LocalEndPoints.SingleOrDefault();
        }
    }
}
