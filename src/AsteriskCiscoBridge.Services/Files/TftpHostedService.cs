using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Files;

/// <summary>
/// Runs the TFTP server for the service's lifetime over the shared file tree. The server's event
/// loop is a thread of its own, not a <see cref="BackgroundService"/>, so the host would not notice
/// it end: this service watches it, and when the loop dies it stops the whole service (which then
/// exits non-zero, and systemd restarts it) instead of living on without answering a phone.
/// </summary>
internal sealed class TftpHostedService(
    TftpServerOptions options, ITftpFileSource files, TimeProvider time, ILogger<TftpServer> logger, IHostApplicationLifetime? lifetime = null) : IHostedService, IAsyncDisposable
{
    private TftpServer? _server;
    private Task _watch = Task.CompletedTask;

    public TftpServer Server => _server ?? throw new InvalidOperationException("TFTP is not started");

    /// <summary>
    /// The counters of the server started last, kept after it stops: the metrics' last export, made as the
    /// service stops, still reports what the server did. Null before the first start.
    /// </summary>
    public TftpServerCounters? Counters { get; private set; }

    /// <summary>Why the TFTP event loop died while the service ran, or null while it lives (or stopped normally).</summary>
    public Exception? Failure { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _server = new TftpServer(options, [files], time, logger);
        Counters = _server.Counters;
        _server.Start();
        _watch = WatchAsync(_server);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }

        await _watch;
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private async Task WatchAsync(TftpServer server)
    {
        try
        {
            await server.Completion;
        }
        catch (Exception e)
        {
            Failure = e;
            Log.TftpLoopDied(logger, e.Message, e);
            lifetime?.StopApplication();
        }
    }
}
