using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Services.Firmware;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Services.Security;
using AsteriskCiscoBridge.Services.Storage;
using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Services.Composition;

/// <summary>
/// The hosted services of <c>acb run</c>, in the order they start (and stop in reverse): written once, here,
/// apart from the registrations of each area, so that no change of an area reorders them. Address pins are
/// seeded before the first sync round and before TFTP answers; the request recorder follows the TFTP
/// server it reads. The dashboard, OpenTelemetry and the systemd notifier are added after these, and
/// systemd hears READY=1 only once every one of them has started (every listener bound).
/// </summary>
internal static class ServiceLoops
{
    public static IServiceCollection AddServiceLoops(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHostedService(sp => sp.GetRequiredService<PhoneDiscovery>());
        services.AddHostedService(sp => sp.GetRequiredService<FirmwareCatalogService>());
        services.AddHostedService(sp => sp.GetRequiredService<StorageMigration>());
        services.AddHostedService(sp => sp.GetRequiredService<KnownAddressSeeding>());
        services.AddHostedService(sp => sp.GetRequiredService<EndpointSyncService>());
        services.AddStoreChangeWatcher(configuration, sp => () => sp.GetRequiredService<StorageMigration>().PublishedAfterAuditId);
        services.AddHostedService(sp => sp.GetRequiredService<TftpHostedService>());
        services.AddHostedService(sp => sp.GetRequiredService<RequestRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<RequestLogPruning>());
        return services;
    }
}
