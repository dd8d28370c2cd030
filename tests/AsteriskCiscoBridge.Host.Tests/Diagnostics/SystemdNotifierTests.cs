using System.Net.Sockets;
using System.Text;
using AsteriskCiscoBridge.Host.Diagnostics;
using AsteriskCiscoBridge.Testing.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace AsteriskCiscoBridge.Host.Tests.Diagnostics;

/// <summary>sd_notify over a real unix datagram socket standing in for systemd's NOTIFY_SOCKET.</summary>
public sealed class SystemdNotifierTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    [Fact]
    public async Task The_service_says_ready_once_started_and_stopping_on_shutdown()
    {
        using var folder = new TempDirectory("acb-notify");
        var path = Path.Combine(folder.Path, "notify");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(path));
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddHostedService(sp => new SystemdNotifyService(
            SystemdNotifier.FromEnvironment(name => name == "NOTIFY_SOCKET" ? path : null),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<ILogger<SystemdNotifyService>>()));
        using var host = builder.Build();

        await host.StartAsync(Ct);
        Assert.Equal("READY=1\nSTATUS=serving phones over TFTP and HTTP", await ReceiveAsync(systemd));
        await host.StopAsync(Ct);
        Assert.Equal("STOPPING=1\nSTATUS=stopping", await ReceiveAsync(systemd));
    }

    [Fact]
    public async Task An_abstract_socket_name_written_with_at_is_reached()
    {
        var name = "acb-notify-" + Guid.NewGuid().ToString("N");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint("\0" + name));

        new SystemdNotifier("@" + name).Notify("READY=1");

        Assert.Equal("READY=1", await ReceiveAsync(systemd));
    }

    [Fact]
    public void Without_notify_socket_there_is_no_notifier_and_without_journal_stream_logging_is_left_alone()
    {
        Assert.Null(SystemdNotifier.FromEnvironment(_ => null));
        Assert.Null(SystemdNotifier.FromEnvironment(_ => string.Empty));
        Assert.False(JournalLogging.UnderJournal(_ => null));
        Assert.True(JournalLogging.UnderJournal(name => name == "JOURNAL_STREAM" ? "8:12345" : null));
    }

    [Fact]
    public void Under_the_journal_log_lines_carry_a_priority_prefix_and_no_colours_or_timestamps()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => JournalLogging.Configure(logging, name => name == "JOURNAL_STREAM" ? "8:12345" : null));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        var formatter = provider.GetRequiredService<IOptionsMonitor<ConsoleFormatterOptions>>().Get(ConsoleFormatterNames.Systemd);

        Assert.Equal(ConsoleFormatterNames.Systemd, options.FormatterName);
        Assert.Null(formatter.TimestampFormat);
        Assert.False(formatter.IncludeScopes);
    }
}
