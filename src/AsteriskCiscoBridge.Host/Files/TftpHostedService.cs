using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host.Files;

/// <summary>Runs the TFTP server for the service's lifetime over the shared file tree.</summary>
internal sealed class TftpHostedService(TftpServerOptions options, ITftpFileSource files, TimeProvider time, ILogger<TftpServer> logger) : IHostedService, IAsyncDisposable
{
    private TftpServer? _server;

    public TftpServer Server => _server ?? throw new InvalidOperationException("TFTP is not started");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _server = new TftpServer(options, [files], time, logger);
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}
