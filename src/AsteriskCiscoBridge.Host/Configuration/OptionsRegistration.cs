using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Host.Telemetry;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Services.Phonebook;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Services.Security;
using AsteriskCiscoBridge.Services.Telemetry;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AsteriskCiscoBridge.Host.Configuration;

/// <summary>
/// Binds each options class to its section (<see cref="AcbSections"/>) and validates it when the host starts,
/// with validators generated from the data annotations on the options. The same annotations are read
/// by <see cref="ConfigurationCheck"/> before the host is built, where each problem becomes the one line
/// <c>acb run</c> prints: the rule is written once, on the option; the start-time check is the
/// guarantee for every other way the services are composed (tests replacing a section, say).
/// Services take the bound value itself (<c>ResyncOptions</c>, not <c>IOptions&lt;ResyncOptions&gt;</c>).
/// </summary>
internal static class OptionsRegistration
{
    public static IServiceCollection AddBridgeOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSection<AmiOptions, AmiOptionsValidator>(configuration, "Ami", register: false);
        services.AddSection<PjsipEndpointSourceOptions, PjsipEndpointSourceOptionsValidator>(configuration, "Ami:Sync");
        services.AddSection<StorageOptions, StorageOptionsValidator>(configuration, "Storage", register: false);
        services.AddSection<EnumerationGuardOptions, EnumerationGuardOptionsValidator>(configuration, "Security");
        services.AddSection<DiscoveryOptions, DiscoveryOptionsValidator>(configuration, "Discovery");
        services.AddSection<OtlpOptions, OtlpOptionsValidator>(configuration, "Telemetry:Otlp", register: false);
        // No rule of their own beyond the shapes ConfigurationCheck reads, and SyncOptions.Read's.
        services.AddSection<ResyncOptions>(configuration, "Resync");
        services.AddSection<DirectoryOptions>(configuration, "Directory");
        return services;
    }

    /// <summary>Binds <typeparamref name="T"/> to <paramref name="path"/>, validated by <typeparamref name="TValidator"/> at start.</summary>
    private static void AddSection<T, TValidator>(this IServiceCollection services, IConfiguration configuration, string path, bool register = true)
        where T : class
        where TValidator : class, IValidateOptions<T>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, TValidator>());
        services.AddSection<T>(configuration, path, register);
    }

    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="path"/>; with <paramref name="register"/> the bound value is
    /// also a service of its own (false where the host reads the value through its own checked path, as
    /// <see cref="AmiOptions.Bind"/>).
    /// </summary>
    private static void AddSection<T>(this IServiceCollection services, IConfiguration configuration, string path, bool register = true)
        where T : class
    {
        services.AddOptions<T>().Bind(configuration.GetSection(path)).ValidateOnStart();
        if (register)
        {
            services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        }
    }
}

/// <summary>Checks the <c>Ami</c> section at start: its annotations and the half-set user and secret.</summary>
[OptionsValidator]
internal sealed partial class AmiOptionsValidator : IValidateOptions<AmiOptions>;

/// <summary>Checks the <c>Ami:Sync</c> section at start.</summary>
[OptionsValidator]
internal sealed partial class PjsipEndpointSourceOptionsValidator : IValidateOptions<PjsipEndpointSourceOptions>;

/// <summary>Checks the <c>Storage</c> section at start.</summary>
[OptionsValidator]
internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;

/// <summary>Checks the scan guard's part of the <c>Security</c> section at start.</summary>
[OptionsValidator]
internal sealed partial class EnumerationGuardOptionsValidator : IValidateOptions<EnumerationGuardOptions>;

/// <summary>Checks the <c>Discovery</c> section at start.</summary>
[OptionsValidator]
internal sealed partial class DiscoveryOptionsValidator : IValidateOptions<DiscoveryOptions>;

/// <summary>Checks the <c>Telemetry:Otlp</c> section at start: the collector's URL and the export interval.</summary>
[OptionsValidator]
internal sealed partial class OtlpOptionsValidator : IValidateOptions<OtlpOptions>;
