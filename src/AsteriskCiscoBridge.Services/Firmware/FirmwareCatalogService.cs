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
internal sealed partial class FirmwareCatalogService(
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
        CatalogVerified(logger, catalog.Loads.Length, catalog.Loads.Count(l => l.IsComplete), directory);
        foreach (var load in catalog.Loads.Where(l => !l.IsComplete))
        {
            Incomplete(logger, load.Name, load.Explain() ?? "incomplete");
        }

        foreach (var trap in TermDefaultTrap.Find(catalog))
        {
            TermDefaultTrapFound(logger, trap.FileName, trap.Reason);
        }

        foreach (var (model, load) in defaults.ByModel)
        {
            if (!catalog.IsOffered(load))
            {
                DefaultNotOffered(logger, model, load);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(6050, LogLevel.Information, "Firmware catalog: {Loads} loads in {Directory}, {Complete} complete")]
    private static partial void CatalogVerified(ILogger logger, int loads, int complete, string directory);

    [LoggerMessage(6051, LogLevel.Warning, "Firmware load {Load} is incomplete and is never offered: {Problem}")]
    private static partial void Incomplete(ILogger logger, string load, string problem);

    [LoggerMessage(6052, LogLevel.Warning, "{FileName}: {Reason}")]
    private static partial void TermDefaultTrapFound(ILogger logger, string fileName, string reason);

    [LoggerMessage(6056, LogLevel.Warning, "The site default load of the {Model}, {Load}, is not complete in the firmware folder: it is not offered (acb firmware import)")]
    private static partial void DefaultNotOffered(ILogger logger, string model, string load);
}
