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

namespace AsteriskCiscoBridge.Host.Configuration;

/// <summary>A configuration section and an options type bound to it.</summary>
internal sealed record SectionBinding(string Path, Type Options);

/// <summary>
/// Every section of the configuration contract and the options types bound to it: the one list
/// from which the known keys, their shapes and the list-valued settings are derived
/// (<see cref="SettingShapes"/>). A key is known when it is a settable property of a type bound to
/// its section (or a sub-section listed here); a new setting is added by adding the property.
/// </summary>
internal static class AcbSections
{
    public static IReadOnlyList<SectionBinding> All { get; } =
    [
        new("Ami", typeof(AmiOptions)),
        new("Ami:Sync", typeof(PjsipEndpointSourceOptions)),
        new("Resync", typeof(ResyncOptions)),
        new("Storage", typeof(StorageOptions)),
        new("Firmware", typeof(FirmwareOptions)),
        new("Tftp", typeof(TftpSettings)),
        new("Http", typeof(HttpOptions)),
        new("Dashboard", typeof(DashboardOptions)),
        // The scan guard reads its part of Security; pinning and the rate limit are the rest.
        new("Security", typeof(EnumerationGuardOptions)),
        new("Security", typeof(SecurityOptions)),
        new("Discovery", typeof(DiscoveryOptions)),
        new("Site", typeof(SiteOptions)),
        new("Sync", typeof(SyncOptions)),
        new("Telemetry:Otlp", typeof(OtlpOptions)),
        new("Directory", typeof(Services.Phonebook.DirectoryOptions)),
    ];

    /// <summary>Sections that belong to .NET, not to the bridge: passed on, not checked (<c>Logging:LogLevel:Default</c>).</summary>
    public static IReadOnlyList<string> Foreign { get; } = ["Logging"];

    /// <summary>The top-level section names, in contract order.</summary>
    public static IReadOnlyList<string> TopLevel { get; } = All.Select(s => s.Path.Split(':')[0]).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>Paths of every list-valued setting (<c>Tftp:Listen</c>, <c>Firmware:Staircase</c>, …), found from the types.</summary>
    public static IReadOnlyList<string> ListPaths { get; } = FindListPaths();

    public static IReadOnlyList<Type> TypesAt(string path) =>
        All.Where(s => string.Equals(s.Path, path, StringComparison.OrdinalIgnoreCase)).Select(s => s.Options).ToArray();

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
