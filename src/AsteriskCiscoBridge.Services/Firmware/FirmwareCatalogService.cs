using AsteriskCiscoBridge.Firmware;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Firmware;

/// <summary>
/// At service start, before the site files are rendered: scans the firmware folder (the truth for the
/// bytes) and records what it holds in the store's catalog, so a load removed or damaged while the
/// service was down is never offered. Says which loads are incomplete and which <c>termNN.default.loads</c>
/// would convert phones away from SIP (spec §1.5 item 7).
/// </summary>
internal sealed class FirmwareCatalogService(
    SqliteConnectionFactory connections,
    FirmwareStore store,
    string directory,
    SiteLoadDefaults defaults,
    TimeProvider time,
    ILogger<FirmwareCatalogService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await connections.MigrateAsync(cancellationToken);
        var catalog = await FirmwareFolder.ScanAsync(directory, cancellationToken);
        await store.RecordScanAsync(catalog, new Dictionary<string, string>(), time.GetUtcNow(), cancellationToken);
        Log.CatalogVerified(logger, catalog.Loads.Length, catalog.Loads.Count(l => l.IsComplete), directory);
        foreach (var load in catalog.Loads.Where(l => !l.IsComplete))
        {
            Log.LoadIncomplete(logger, load.Name, load.Explain() ?? "incomplete");
        }

        foreach (var trap in TermDefaultTrap.Find(catalog))
        {
            Log.TermDefaultTrapFound(logger, trap.FileName, trap.Reason);
        }

        foreach (var (model, load) in defaults.ByModel)
        {
            if (!catalog.IsOffered(load))
            {
                Log.DefaultNotOffered(logger, model, load);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
