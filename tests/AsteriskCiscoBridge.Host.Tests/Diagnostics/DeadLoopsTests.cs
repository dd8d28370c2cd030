using System.Net;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Host.Tests.Support;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using AsteriskCiscoBridge.Tftp.Files;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AsteriskCiscoBridge.Host.Tests.Diagnostics;

/// <summary>
/// A loop of <c>acb run</c> that dies stops the service with a non-zero exit and a line saying which
/// loop died, so systemd (<c>Restart=on-failure</c>) restarts it; before, the TFTP thread logged and
/// ended while the process lived on, answering no phone.
/// </summary>
public sealed class DeadLoopsTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _folder = new("acb-dead");
    private readonly FakeLoggerProvider _logs = new();
    private readonly StringWriter _error = new() { NewLine = "\n" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> Settings => LoopbackRun.Settings(Path.Combine(_folder.Path, "firmware"), Path.Combine(_folder.Path, "acb.db"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_dead_tftp_event_loop_stops_acb_run_with_exit_code_1_and_says_so()
    {
        var started = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = RunCommand.RunAsync(null, Settings, _error, Ct, services =>
        {
            // The one failure the event loop does not contain (it would be a lie to go on after it).
            services.AddSingleton<ITftpFileSource>(new DyingFileSource());
            services.AddSingleton<ILoggerProvider>(_logs);
            services.AddHostedService(sp => new WhenStarted(() => started.TrySetResult(sp.GetRequiredService<TftpHostedService>().Server.LocalEndPoints[0])));
        });
        var tftp = await started.Task.WaitAsync(Bound, Ct);

        using var phone = new TftpTestClient();
        await phone.SendAsync(TftpTestClient.ReadRequest("SIPDefault.cnf"), tftp, Ct);
        var exit = await run.WaitAsync(Bound, Ct);

        Assert.Equal(1, exit);
        Assert.Equal(
            "acb run: the TFTP server's event loop died: injected: out of memory; exiting with code 1 so that the service is restarted\n",
            _error.ToString());
        Assert.Contains(_logs.Collector.GetSnapshot(), l => l.Level == LogLevel.Critical && l.Message.Contains("TFTP server's event loop died (injected: out of memory)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_background_service_that_dies_stops_acb_run_with_exit_code_1_naming_it()
    {
        var run = RunCommand.RunAsync(null, Settings, _error, Ct, services =>
        {
            services.AddSingleton<ILoggerProvider>(_logs);
            services.AddHostedService<FailingLoop>();
        });

        var exit = await run.WaitAsync(Bound, Ct);

        Assert.Equal(1, exit);
        Assert.Equal("acb run: FailingLoop died: injected failure; exiting with code 1 so that the service is restarted\n", _error.ToString());
        Assert.Contains(_logs.Collector.GetSnapshot(), l => l.Level == LogLevel.Critical && l.Message.StartsWith("FailingLoop died: injected failure", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stop_asked_for_is_still_exit_code_0()
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = RunCommand.RunAsync(null, Settings, _error, stop.Token, services => services.AddHostedService(_ => new WhenStarted(() => started.TrySetResult())));
        await started.Task.WaitAsync(Bound, Ct);

        await stop.CancelAsync();

        Assert.Equal((0, string.Empty), (await run.WaitAsync(Bound, Ct), _error.ToString()));
    }

    private sealed class DyingFileSource : ITftpFileSource
    {
        public string Name => "dying";

        public ValueTask<TftpLookup> LookupAsync(TftpFileRequest request, CancellationToken cancellationToken) =>
            throw new OutOfMemoryException("injected: out of memory");
    }

    private sealed class WhenStarted(Action started) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            started();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class FailingLoop(IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            // Dies while the service runs, as a loop that meets a bug would.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken);
            }

            throw new InvalidOperationException("injected failure");
        }
    }
}
