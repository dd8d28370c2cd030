using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Services.Security;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Tftp.Files;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Composition;

/// <summary>The files phones fetch (TFTP and HTTP over one tree) and the guards in front of them.</summary>
internal static class FileTreeSetup
{
    public static IServiceCollection AddFileTree(this IServiceCollection services, ServiceSettings startup)
    {
        services.AddSingleton(startup.Tftp);
        // Generated files, published by the store into memory.
        services.AddSingleton(new InMemoryFileSource(GuardedFileSource.StoreLayer));
        services.AddSingleton<DiscoveryFeed>();
        // An unbound phone is offered no load until it is bound and planned (never a load the folder cannot serve).
        services.AddSingleton(sp => new UnboundPhoneFileSource(
            startup.Site with { Loads = startup.SiteConfiguration.Firmware.Offered(FirmwareCatalog.Empty) }, sp.GetRequiredService<DiscoveryFeed>(), sp.GetRequiredService<InMemoryFileSource>()));
        services.AddSingleton<KnownAddresses>();
        // Bound phones, and the addresses they live at, are told apart from a scan.
        services.AddSingleton(sp => new EnumerationGuard(
            sp.GetRequiredService<EnumerationGuardOptions>(), sp.GetRequiredService<UnboundPhoneFileSource>().IsBound, sp.GetRequiredService<KnownAddresses>().IsKnownAddress));
        // One rate limit for the files and the directory on the same listeners.
        services.AddSingleton(new RequestRateLimiter(startup.RateLimit));
        // Generated files may name "the address this request reached" for Asterisk (Site:AsteriskHost unset, AMI on loopback).
        var here = LocalAddressFileSource.DefaultRouteAddress();
        services.AddSingleton<ITftpFileSource>(sp =>
        {
            // The virtual tree, first answer wins: generated files from the store, the credential-free
            // answer for unbound phones, the firmware folder, then "not found" at once for trust lists.
            var layers = new LayeredFileSource([
                new LocalAddressFileSource(sp.GetRequiredService<InMemoryFileSource>(), here),
                new LocalAddressFileSource(sp.GetRequiredService<UnboundPhoneFileSource>(), here),
                new DirectoryFileSource(startup.FirmwareFolder),
                new TrustFileSource()]);
            return new GuardedFileSource(
                layers, sp.GetRequiredService<EnumerationGuard>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GuardedFileSource>>(),
                sp.GetRequiredService<RequestRateLimiter>(), sp.GetRequiredService<KnownAddresses>(), startup.Pinning);
        });
        services.AddSingleton<TftpHostedService>();
        services.AddSingleton<StoreHealth>();
        services.AddSingleton<RequestRecorder>();
        services.AddSingleton<KnownAddressSeeding>();
        services.AddSingleton(sp => new RequestLogPruning(
            sp.GetRequiredService<AsteriskCiscoBridge.Storage.RequestLog>(), startup.SiteConfiguration.Storage, sp.GetRequiredService<StoreHealth>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RequestLogPruning>>()));
        return services;
    }
}
