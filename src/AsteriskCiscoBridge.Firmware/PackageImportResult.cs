using AsteriskCiscoBridge.Provisioning.Firmware;

namespace AsteriskCiscoBridge.Firmware;

/// <summary>
/// The outcome of importing one package: on success the files now in the firmware folder, on failure the
/// reason; a failed package leaves the folder as it was (all or nothing).
/// </summary>
public sealed record PackageImportResult(
    string Source,
    PackageFormat Format,
    string? Error,
    IReadOnlyList<string> Imported,
    IReadOnlyList<SkippedFile> Skipped,
    IReadOnlyList<string> Loads)
{
    public bool Succeeded => Error is null;

    public static PackageImportResult Failed(string source, PackageFormat format, string error) => new(source, format, error, [], [], []);

    /// <summary>
    /// Where each load of an import came from, for the store's catalog: load name → the package's file name.
    /// A load is named by its <c>.loads</c> descriptor, or, for a 7940/7960 image given without one, by its <c>.bin</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Origins(IEnumerable<PackageImportResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var origins = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var result in results.Where(r => r.Succeeded))
        {
            foreach (var load in result.Loads)
            {
                origins[load] = Path.GetFileName(result.Source);
            }

            foreach (var image in result.Imported.Where(n => n.EndsWith(".bin", StringComparison.OrdinalIgnoreCase)))
            {
                origins.TryAdd(image[..^".bin".Length], Path.GetFileName(result.Source));
            }
        }

        return origins;
    }
}
