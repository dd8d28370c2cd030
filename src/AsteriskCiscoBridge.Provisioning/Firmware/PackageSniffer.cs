namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>
/// Tells a package's format from its file name and first bytes (spec §3.3): a firmware file name (<c>.sbn</c>,
/// <c>.loads</c>, …) is a loose file whatever its bytes look like; otherwise the leading bytes decide (a <c>.cop</c>
/// that is really a zip unpacks as a zip), then the name (a cut <c>.zip</c> stays a zip, and fails as one). Pure and total.
/// </summary>
public static class PackageSniffer
{
    /// <summary>How many leading bytes <see cref="Sniff"/> looks at (a tar's <c>ustar</c> magic ends at byte 262).</summary>
    public const int HeadLength = 512;

    /// <summary>The gzip member header: magic 1F 8B, method 08 (deflate), RFC 1952 §2.3.1.</summary>
    public static ReadOnlySpan<byte> GzipMagic => [0x1F, 0x8B, 0x08];

    // Spec §3.2: the files of a load and the trust lists; imported as they are, never unpacked.
    private static readonly string[] FirmwareFileExtensions = [".loads", ".sbn", ".sb2", ".bin", ".zz", ".jar", ".img", ".tlv"];

    /// <param name="fileName">The package's file name (a path works: only its last part is read).</param>
    /// <param name="head">Up to <see cref="HeadLength"/> leading bytes of the file (fewer when it is shorter).</param>
    public static PackageFormat Sniff(string fileName, ReadOnlySpan<byte> head)
    {
        if (ByNameAlone(fileName) is { } named)
        {
            return named;
        }

        var name = Path.GetFileName(fileName).ToLowerInvariant();
        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8))
        {
            return PackageFormat.Zip;
        }

        if (head.StartsWith(GzipMagic[..2]))
        {
            return PackageFormat.GzipTar;
        }

        if (head.Length >= 262 && head[257..262].SequenceEqual("ustar"u8))
        {
            return PackageFormat.Tar;
        }

        return name switch
        {
            _ when name.EndsWith(".zip", StringComparison.Ordinal) => PackageFormat.Zip,
            _ when name.EndsWith(".cop", StringComparison.Ordinal) || name.EndsWith(".tar.gz", StringComparison.Ordinal) || name.EndsWith(".tgz", StringComparison.Ordinal) => PackageFormat.GzipTar,
            _ when name.EndsWith(".tar", StringComparison.Ordinal) => PackageFormat.Tar,
            _ => PackageFormat.LooseFiles,
        };
    }

    /// <summary>The format when the name alone tells it (a signed <c>.cop</c>, a firmware file), so the file need not be opened; else null.</summary>
    public static PackageFormat? ByNameAlone(string fileName)
    {
        var name = Path.GetFileName(fileName);
        if (name.EndsWith(".sgn", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".sha512", StringComparison.OrdinalIgnoreCase))
        {
            return PackageFormat.SignedCop;
        }

        return IsFirmwareFileName(name) ? PackageFormat.LooseFiles : null;
    }

    /// <summary>True for the name of a load's file or a trust list (spec §3.2), which is imported as it is, never unpacked.</summary>
    public static bool IsFirmwareFileName(string name) =>
        FirmwareFileExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>True for an entry that is itself an archive to unpack (packages nest tars: the Wazo pipeline, spec §3.3).</summary>
    public static bool IsNestedArchive(string name) =>
        name.EndsWith(".tar", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase);

    /// <summary>The format named in the messages an admin reads (<c>corrupt or truncated zip archive: …</c>).</summary>
    public static string Describe(PackageFormat format) => format switch
    {
        PackageFormat.Zip => "zip archive",
        PackageFormat.GzipTar => "gzip'd tar (.cop, .tar.gz)",
        PackageFormat.SignedCop => "signed .cop",
        PackageFormat.Tar => "tar archive",
        _ => "package",
    };
}
