using System.Net;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Security;

/// <summary>
/// At start, takes for every phone the address it last fetched its own files from (the request log),
/// so known addresses hold across a restart before the phones register again; the first AMI snapshot then
/// moves them to the registered contacts and drops those of phones no longer bound.
/// </summary>
internal sealed class KnownAddressSeeding(RequestHistory history, KnownAddresses addresses, ILogger<KnownAddressSeeding> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var seeded = 0;
        foreach (var (mac, client) in await history.LastServedClientsAsync(GuardedFileSource.StoreLayer, cancellationToken))
        {
            if (IPEndPoint.TryParse(client, out var endPoint) && addresses.LearnIfNew(mac, endPoint.Address))
            {
                seeded++;
            }
        }

        Log.AddressesSeeded(logger, seeded);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
