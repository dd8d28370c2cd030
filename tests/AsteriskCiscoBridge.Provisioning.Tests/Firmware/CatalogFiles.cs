using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Testing.Firmware;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

/// <summary>Turns synthetic loads into the scan values a firmware folder holding them would give.</summary>
internal static class CatalogFiles
{
    public static IEnumerable<FirmwareFile> Of(params SyntheticLoad[] loads) =>
        loads.SelectMany(l => l.Files).Select(f => new FirmwareFile(
            f.Name,
            f.Bytes.Length,
            Readable: true,
            Content: f.Name.EndsWith(".loads", StringComparison.OrdinalIgnoreCase) ? f.Bytes : null));

    public static FirmwareCatalog Catalog(params SyntheticLoad[] loads) => FirmwareCatalog.Build(Of(loads));
}
