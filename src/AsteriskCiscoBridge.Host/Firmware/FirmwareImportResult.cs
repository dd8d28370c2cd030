namespace AsteriskCiscoBridge.Host.Firmware;

/// <summary>What kind of package a path was (spec §3.3).</summary>
internal enum PackageFormat
{
    Unknown = 0,
    Zip = 1,

    /// <summary><c>.cop</c>, <c>.tar.gz</c>, <c>.tgz</c>: a gzip'd tar.</summary>
    GzipTar = 2,

    /// <summary><c>.cop.sgn</c>: a signature header, then a gzip'd tar.</summary>
    SignedCop = 3,
    Tar = 4,

    /// <summary>Files given one by one (all loose files of one import form one package).</summary>
    LooseFiles = 5,
}

/// <summary>A file that was not imported, and why (not firmware, identical copy already there, …).</summary>
internal sealed record SkippedFile(string Name, string Reason);

/// <summary>
/// The outcome of importing one package: on success the files now in the firmware folder, on failure the
/// reason; a failed package leaves the folder as it was (all or nothing).
/// </summary>
internal sealed record PackageImportResult(
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

/// <summary>How far one package has unpacked: its entries and bytes so far.</summary>
/// <param name="Package">The package path (the loose files' paths, joined).</param>
/// <param name="Files">Entries unpacked so far.</param>
/// <param name="Bytes">Bytes unpacked so far.</param>
internal sealed record FirmwareImportProgress(string Package, int Files, long Bytes)
{
    /// <summary>Bytes between two reports within one entry (a firmware image is tens of MB).</summary>
    public const long ByteStep = 1 << 20;
}
