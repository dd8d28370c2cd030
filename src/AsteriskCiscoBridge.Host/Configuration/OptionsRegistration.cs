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
using System.Diagnostics.CodeAnalysis;
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
        // Each Bind names its type, so the configuration binder is generated for it (no reflection in the native build).
        services.AddOptions<AmiOptions>().Bind(configuration.GetSection("Ami")).ValidateOnStart();
        services.AddValidator<AmiOptions, AmiOptionsValidator>();
        services.AddOptions<PjsipEndpointSourceOptions>().Bind(configuration.GetSection("Ami:Sync")).ValidateOnStart();
        services.AddValidator<PjsipEndpointSourceOptions, PjsipEndpointSourceOptionsValidator>().AddValue<PjsipEndpointSourceOptions>();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection("Storage")).ValidateOnStart();
        services.AddValidator<StorageOptions, StorageOptionsValidator>();
        services.AddOptions<EnumerationGuardOptions>().Bind(configuration.GetSection("Security")).ValidateOnStart();
        services.AddValidator<EnumerationGuardOptions, EnumerationGuardOptionsValidator>().AddValue<EnumerationGuardOptions>();
        services.AddOptions<DiscoveryOptions>().Bind(configuration.GetSection("Discovery")).ValidateOnStart();
        services.AddValidator<DiscoveryOptions, DiscoveryOptionsValidator>().AddValue<DiscoveryOptions>();
        services.AddOptions<OtlpOptions>().Bind(configuration.GetSection("Telemetry:Otlp")).ValidateOnStart();
        services.AddValidator<OtlpOptions, OtlpOptionsValidator>();
        // No rule of their own beyond the shapes ConfigurationCheck reads, and SyncOptions.Read's.
        services.AddOptions<ResyncOptions>().Bind(configuration.GetSection("Resync"));
        services.AddValue<ResyncOptions>();
        services.AddOptions<DirectoryOptions>().Bind(configuration.GetSection("Directory"));
        services.AddValue<DirectoryOptions>();
        return services;
    }

    /// <summary>Validates <typeparamref name="T"/> with <typeparamref name="TValidator"/> when the host starts.</summary>
    private static IServiceCollection AddValidator<T, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(this IServiceCollection services)
        where T : class
        where TValidator : class, IValidateOptions<T>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, TValidator>());
        return services;
    }

    /// <summary>
    /// The bound <typeparamref name="T"/> as a service of its own (not for sections the host reads through its own
    /// checked path, as <see cref="AmiOptions.Bind"/>).
    /// </summary>
    private static IServiceCollection AddValue<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(this IServiceCollection services)
        where T : class =>
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
}

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
