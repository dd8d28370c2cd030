using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Dashboard;
using AsteriskCiscoBridge.Host.Telemetry;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Services.Firmware;
using AsteriskCiscoBridge.Services.Http;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Services.Security;
using AsteriskCiscoBridge.Services.Telemetry;
using AsteriskCiscoBridge.Storage;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Host.Configuration;

/// <summary>A configuration section, an options type bound to it, and that type's generated binding.</summary>
internal sealed class SectionBinding(string path, [DynamicallyAccessedMembers(SettingShapes.Members)] Type options, Func<IConfiguration, object> bind)
{
    public string Path { get; } = path;

    [DynamicallyAccessedMembers(SettingShapes.Members)]
    public Type Options { get; } = options;

    /// <summary>The section bound to a new <see cref="Options"/> (its defaults where the section is empty).</summary>
    public Func<IConfiguration, object> Bind { get; } = bind;
}

/// <summary>
/// Every section of the configuration contract and the options types bound to it: the one list
/// from which the known keys, their shapes and the list-valued settings are derived
/// (<see cref="SettingShapes"/>). A key is known when it is a settable property of a type bound to
/// its section (or a sub-section listed here); a new setting is added by adding the property.
/// </summary>
internal static class AcbSections
{
    // Each Get names its type, so the binder is generated for it: no reflection in the native build.
    public static IReadOnlyList<SectionBinding> All { get; } =
    [
        new("Ami", typeof(AmiOptions), c => c.Get<AmiOptions>() ?? new()),
        new("Ami:Sync", typeof(PjsipEndpointSourceOptions), c => c.Get<PjsipEndpointSourceOptions>() ?? new()),
        new("Resync", typeof(ResyncOptions), c => c.Get<ResyncOptions>() ?? new()),
        new("Storage", typeof(StorageOptions), c => c.Get<StorageOptions>() ?? new()),
        new("Firmware", typeof(FirmwareOptions), c => c.Get<FirmwareOptions>() ?? new()),
        new("Tftp", typeof(TftpSettings), c => c.Get<TftpSettings>() ?? new()),
        new("Http", typeof(HttpOptions), c => c.Get<HttpOptions>() ?? new()),
        new("Dashboard", typeof(DashboardOptions), c => c.Get<DashboardOptions>() ?? new()),
        // The scan guard reads its part of Security; pinning and the rate limit are the rest.
        new("Security", typeof(EnumerationGuardOptions), c => c.Get<EnumerationGuardOptions>() ?? new()),
        new("Security", typeof(SecurityOptions), c => c.Get<SecurityOptions>() ?? new()),
        new("Discovery", typeof(DiscoveryOptions), c => c.Get<DiscoveryOptions>() ?? new()),
        new("Site", typeof(SiteOptions), c => c.Get<SiteOptions>() ?? new()),
        new("Sync", typeof(SyncOptions), c => c.Get<SyncOptions>() ?? new()),
        new("Telemetry:Otlp", typeof(OtlpOptions), c => c.Get<OtlpOptions>() ?? new()),
        new("Directory", typeof(Services.Phonebook.DirectoryOptions), c => c.Get<Services.Phonebook.DirectoryOptions>() ?? new()),
    ];

    /// <summary>
    /// The settings types found under the sections' types (items of lists and maps, sub-sections such as
    /// <c>Security:RateLimit</c>): rooted here with what <see cref="SettingShapes"/> reads of them, so the
    /// trimmed, native build keeps it. <c>AcbSectionsTests</c> fails when one reachable from <see cref="All"/> is missing.
    /// </summary>
    public static IReadOnlyList<Type> Nested { get; } =
    [
        Root(typeof(RateLimitOptions)),
        Root(typeof(Provisioning.Model.ExtraSetting)),
    ];

    private static Type Root([DynamicallyAccessedMembers(SettingShapes.Members)] Type type) => type;

    /// <summary>Sections that belong to .NET, not to the bridge: passed on, not checked (<c>Logging:LogLevel:Default</c>).</summary>
    public static IReadOnlyList<string> Foreign { get; } = ["Logging"];

    /// <summary>The top-level section names, in contract order.</summary>
    public static IReadOnlyList<string> TopLevel { get; } = All.Select(s => s.Path.Split(':')[0]).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>Paths of every list-valued setting (<c>Tftp:Listen</c>, <c>Firmware:Staircase</c>, …), found from the types.</summary>
    public static IReadOnlyList<string> ListPaths { get; } = FindListPaths();

    public static IReadOnlyList<SectionBinding> At(string path) =>
        All.Where(s => string.Equals(s.Path, path, StringComparison.OrdinalIgnoreCase)).ToArray();

    /// <summary>Registered sub-sections directly under <paramref name="path"/> (<c>Ami</c> → <c>Sync</c>).</summary>
    public static IReadOnlyList<string> SubsectionsOf(string path) =>
        All.Select(s => s.Path)
            .Where(p => p.Length > path.Length + 1 && p.StartsWith(path + ":", StringComparison.OrdinalIgnoreCase) && !p[(path.Length + 1)..].Contains(':', StringComparison.Ordinal))
            .Select(p => p[(path.Length + 1)..])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();

    private static string[] FindListPaths()
    {
        var paths = new List<string>();
        foreach (var section in All)
        {
            Collect(section.Path, section.Options, paths, depth: 0);
        }

        return [.. paths.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private static void Collect(string path, Type type, List<string> paths, int depth)
    {
        foreach (var (name, member) in SettingShapes.MembersOf(type))
        {
            var shape = SettingShapes.Of(member.Type);
            if (shape.Kind == SettingKind.List)
            {
                paths.Add($"{path}:{name}");
            }
            else if (shape.Kind == SettingKind.Section && depth < 4)
            {
                Collect($"{path}:{name}", shape.Type, paths, depth + 1);
            }
        }
    }
}
