using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Services.Firmware;
using AsteriskCiscoBridge.Services.Phonebook;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Tftp.Files;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Composition;

/// <summary>From Asterisk's endpoints to rendered, published files; the firmware the files name; the resync that tells phones.</summary>
internal static class ProvisioningSetup
{
    /// <summary>The endpoint sync, the inventory rounds, rendering and publishing into the file tree.</summary>
    public static IServiceCollection AddProvisioning(this IServiceCollection services, ServiceSettings startup)
    {
        services.AddSingleton<PhoneDiscovery>();
        services.AddSingleton(sp => new StoredFileTree(
            sp.GetRequiredService<PhoneStore>(), sp.GetRequiredService<ConfigStore>(), sp.GetRequiredService<InMemoryFileSource>(), sp.GetRequiredService<UnboundPhoneFileSource>()));
        services.AddSingleton(sp => new StoredPhoneRenderer(
            sp.GetRequiredService<PhoneStore>(), sp.GetRequiredService<ConfigStore>(), startup.Site, startup.Templates, sp.GetRequiredService<LoadPlanSource>()));
        services.AddSingleton<FamilyLearning>();
        services.AddSingleton<DirectorySource>();
        services.AddSingleton(sp => startup.SiteConfiguration.SipServers(sp.GetRequiredService<ILogger<SipServerContext>>()));
        services.AddSingleton<EndpointProvisioner>();
        services.AddSingleton(startup.Sync);
        services.AddSingleton<RemovalHoldGate>();
        services.AddSingleton(sp => new EndpointSyncService(
            startup.Ami, startup.AmiProblem, sp.GetRequiredService<PjsipEndpointSourceOptions>(),
            sp.GetRequiredService<EndpointProvisioner>(), sp.GetRequiredService<ResyncService>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(),
            ActivatorUtilities.CreateInstance<StoredPhoneRound>(sp), sp.GetRequiredService<RemovalHoldGate>()));
        services.AddSingleton<StorageMigration>();
        return services;
    }

    /// <summary>The firmware folder's catalog and the load each phone is planned to run.</summary>
    public static IServiceCollection AddFirmware(this IServiceCollection services, ServiceSettings startup)
    {
        services.AddSingleton(sp => new LoadPlanSource(sp.GetRequiredService<FirmwareStore>(), startup.SiteConfiguration.Firmware, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<LoadLearningService>();
        services.AddSingleton(sp => new FirmwareCatalogService(
            sp.GetRequiredService<SqliteConnectionFactory>(), sp.GetRequiredService<FirmwareStore>(), startup.FirmwareFolder, startup.SiteConfiguration.Firmware,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FirmwareCatalogService>>()));
        return services;
    }

    /// <summary>Telling phones to fetch their changed files (SIP NOTIFY through Asterisk).</summary>
    public static IServiceCollection AddResync(this IServiceCollection services)
    {
        services.AddSingleton<ResyncService>();
        return services;
    }
}
