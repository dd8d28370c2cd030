using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Hosting;

namespace AsteriskCiscoBridge.Services.Storage;

/// <summary>
/// Runs before TFTP and HTTP start: brings the SQLite file to the current schema, stores the
/// site-wide files and publishes everything the store holds. Until the tree is published the
/// unbound-phone layer would take every phone for unbound, so nothing may be served earlier.
/// </summary>
/// <remarks>
/// The newest audit id is read before the store is published (<see cref="PublishedAfterAuditId"/>): the
/// store watcher starts from it, so an admin change made while the service starts is never missed.
/// </remarks>
internal sealed class StorageMigration(SqliteConnectionFactory connections, StoredPhoneRenderer renderer, StoredFileTree tree, TimeProvider time) : IHostedService
{
    /// <summary>The newest audit id before the start-up publication: every change up to it is in what was published.</summary>
    public long? PublishedAfterAuditId { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await connections.MigrateAsync(cancellationToken);
        PublishedAfterAuditId = await new AuditLog(connections).LastIdAsync(cancellationToken);
        await PublishAsync(renderer, tree, time.GetUtcNow(), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Stores the site-wide files as the current settings give them and publishes everything the store
    /// holds: at start, and after a provisioning round that had no snapshot to work from.
    /// </summary>
    internal static async Task PublishAsync(StoredPhoneRenderer renderer, StoredFileTree tree, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await renderer.SaveSiteFilesAsync(now, cancellationToken);
        await tree.ReloadAsync(cancellationToken);
    }
}
