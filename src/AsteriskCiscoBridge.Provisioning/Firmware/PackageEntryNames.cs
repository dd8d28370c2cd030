namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>
/// The rules for the names inside a firmware package (spec §3.3): which entry names and link targets are safe
/// to unpack, the flat name a file gets in the firmware folder, and which files are left out. A refusal is the
/// sentence an admin reads; an unsafe entry refuses the whole package. Pure and total.
/// </summary>
public static class PackageEntryNames
{
    /// <summary>Why an entry's name is unsafe (absolute, climbs out with <c>..</c>, control characters), or null when it is safe.</summary>
    public static string? Refusal(string name)
    {
        if (name.Any(char.IsControl))
        {
            return $"entry '{Printable(name)}' has control characters in its name";
        }

        var normal = name.Replace('\\', '/');
        if (IsAbsolute(normal))
        {
            return $"entry '{Printable(name)}' is an absolute path";
        }

        if (normal.Split('/').Contains(".."))
        {
            return $"entry '{Printable(name)}' leaves the folder (..)";
        }

        return null;
    }

    /// <summary>
    /// Why a link refuses the package, or null when it stays inside (and is skipped: links are never created,
    /// images are regular files). A link that resolves outside the package is an attack on the extractor.
    /// </summary>
    /// <param name="name">The link's entry name.</param>
    /// <param name="target">Where it points.</param>
    /// <param name="fromEntryFolder">True for a symbolic link (resolved from the link's folder), false for a hard link (from the package's root).</param>
    public static string? LinkRefusal(string name, string target, bool fromEntryFolder)
    {
        if (Refusal(name) is { } unsafeName)
        {
            return unsafeName;
        }

        var normal = target.Replace('\\', '/');
        var leaves = normal.Length == 0 || IsAbsolute(normal);
        if (!leaves)
        {
            var depth = fromEntryFolder ? name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Length - 1 : 0;
            foreach (var segment in normal.Split('/'))
            {
                if (segment == "..")
                {
                    if (--depth < 0)
                    {
                        leaves = true;
                        break;
                    }
                }
                else if (segment.Length > 0 && segment != ".")
                {
                    depth++;
                }
            }
        }

        return leaves ? $"link '{Printable(name)}' → '{Printable(target)}' leaves the folder" : null;
    }

    /// <summary>Why an entry that is neither a file, a folder nor a link (a device, a FIFO) refuses the package.</summary>
    public static string NotAFile(string name, string kind) => $"entry '{Printable(name)}' is a {kind}; only files and folders are accepted";

    /// <summary>
    /// The name a file gets in the firmware folder: its last path segment. The folder is flat: phones fetch loads
    /// and components by bare name from the TFTP root (spec §1.5 item 5).
    /// </summary>
    public static string FlatName(string entryName) =>
        entryName.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty;

    /// <summary>Why a file of a package is left out, or null when it is imported.</summary>
    /// <param name="entryName">The entry's full name in the package.</param>
    /// <param name="name">Its <see cref="FlatName"/>.</param>
    public static SkipReason? Skip(string entryName, string name)
    {
        if (name.Length == 0)
        {
            return SkipReason.NoFileName;
        }

        if (name.StartsWith('.') || entryName.Replace('\\', '/').Split('/').Contains("__MACOSX", StringComparer.Ordinal))
        {
            return SkipReason.ArchiveMetadata;
        }

        // Spec §3.3: copstart.sh and loadNNN.txt are CUCM's installer and load records, not needed on TFTP.
        if (name.StartsWith("copstart.", StringComparison.OrdinalIgnoreCase) || Patterns.CucmLoadRecord().IsMatch(name))
        {
            return SkipReason.CucmInstallerFile;
        }

        // Spec §2.1: the bridge writes OS79XX.TXT itself (a package's copy would pick a protocol for every phone).
        if (name.Equals("OS79XX.TXT", StringComparison.OrdinalIgnoreCase))
        {
            return SkipReason.BridgeWritesOs79xx;
        }

        return null;
    }

    /// <summary>A name fit for a one-line message: control characters as <c>?</c>, at most 120 characters.</summary>
    public static string Printable(string text)
    {
        var clean = new string([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
        return clean.Length <= 120 ? clean : clean[..120] + "…";
    }

    private static bool IsAbsolute(string normal) =>
        normal.StartsWith('/') || (normal.Length >= 2 && normal[1] == ':' && char.IsAsciiLetter(normal[0]));
}
