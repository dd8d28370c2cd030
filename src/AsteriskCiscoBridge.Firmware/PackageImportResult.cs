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
}
