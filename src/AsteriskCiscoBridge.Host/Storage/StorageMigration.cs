using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Hosting;

namespace AsteriskCiscoBridge.Host.Storage;

/// <summary>Brings the SQLite file to the current schema before anything else of the service reads it.</summary>
internal sealed class StorageMigration(SqliteConnectionFactory connections) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => connections.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
