using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using AsteriskCiscoBridge.Provisioning.Firmware;

namespace AsteriskCiscoBridge.Firmware;

/// <summary>
/// Unpacks one package into its <see cref="PackageStaging"/> (spec §3.3): <c>.zip</c>, <c>.cop</c> (gzip'd tar),
/// <c>.cop.sgn</c> (signature header stripped up to the gzip magic), <c>.tar</c>, <c>.tar.gz</c> and loose files;
/// tars nested in a package are unpacked too. Each entry's name passes <see cref="PackageEntryNames"/>; links are
/// never created and devices refuse the package. Images are copied byte for byte, never rewritten (spec §3.2).
/// Corrupt bytes surface as <see cref="InvalidDataException"/> (or the other exceptions the readers throw), a
/// refused package as <see cref="PackageRefusedException"/>.
/// </summary>
internal static class PackageUnpacker
{
    public static async Task UnpackAsync(IReadOnlyList<string> sources, PackageFormat format, PackageStaging staging, CancellationToken cancellationToken)
    {
        if (format == PackageFormat.LooseFiles)
        {
            foreach (var path in sources)
            {
                staging.CountEntry();
                await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
                await AddAsync(staging, Path.GetFileName(path), file, 0, cancellationToken);
            }

            return;
        }

        await using var stream = new FileStream(sources[0], FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        switch (format)
        {
            case PackageFormat.Zip:
                await UnzipAsync(staging, stream, cancellationToken);
                break;
            case PackageFormat.Tar:
                await UntarAsync(staging, stream, 0, cancellationToken);
                break;
            case PackageFormat.GzipTar:
                await CheckGzipTrailerAsync(stream, await UntarGzipAsync(staging, stream, 0, cancellationToken), cancellationToken);
                break;
            case PackageFormat.SignedCop:
                // Spec §3.3: a .cop.sgn is a signature header prepended to the tar.gz; everything before the
                // first gzip magic 1F 8B 08 is the header (searched within a bounded prefix).
                var head = new byte[staging.Limits.SignatureSearchBytes];
                var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
                var offset = head.AsSpan(0, read).IndexOf(PackageSniffer.GzipMagic);
                if (offset < 0)
                {
                    throw new PackageRefusedException($"no gzip data within the first {staging.Limits.SignatureSearchBytes} bytes: not a signed .cop package");
                }

                stream.Position = offset;
                await CheckGzipTrailerAsync(stream, await UntarGzipAsync(staging, stream, 0, cancellationToken), cancellationToken);
                break;
            default:
                throw new PackageRefusedException("unknown package format");
        }
    }

    /// <summary>
    /// The gzip trailer ends with the data's length mod 2^32 (RFC 1952 §2.3.1, ISIZE). GZipStream checks a trailer
    /// that is there but reads a stream cut inside or before the trailer as a clean end, so the last four bytes
    /// of the file must be the length that was unpacked.
    /// </summary>
    private static async Task CheckGzipTrailerAsync(FileStream file, long unpacked, CancellationToken cancellationToken)
    {
        var isize = new byte[4];
        if (file.Length < 18)
        {
            throw new InvalidDataException("the gzip data is shorter than its header and trailer");
        }

        file.Position = file.Length - 4;
        await file.ReadExactlyAsync(isize, cancellationToken);
        if (BitConverter.ToUInt32(isize) != (uint)unpacked)
        {
            throw new InvalidDataException("the gzip trailer does not match the data (the file is cut short)");
        }
    }

    private static async Task<long> UntarGzipAsync(PackageStaging staging, Stream stream, int nesting, CancellationToken cancellationToken)
    {
        await using var gzip = new CountingStream(new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true));
        await UntarAsync(staging, gzip, nesting, cancellationToken);

        // Read to the end of the gzip data so a damaged or cut trailer is seen, not ignored after the last entry.
        await staging.DrainAsync(gzip, cancellationToken);
        return gzip.BytesRead;
    }

    private static async Task UntarAsync(PackageStaging staging, Stream stream, int nesting, CancellationToken cancellationToken)
    {
        await using var reader = new TarReader(stream, leaveOpen: true);
        var any = false;
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            any = true;
            staging.CountEntry();
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    CheckName(entry.Name);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    CheckName(entry.Name);
                    await AddAsync(staging, entry.Name, entry.DataStream ?? Stream.Null, nesting, cancellationToken);
                    break;
                case TarEntryType.SymbolicLink:
                    SkipLink(staging, entry.Name, entry.LinkName, fromEntryFolder: true);
                    break;
                case TarEntryType.HardLink:
                    SkipLink(staging, entry.Name, entry.LinkName, fromEntryFolder: false);
                    break;
                case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes or TarEntryType.LongLink or TarEntryType.LongPath:
                    break;
                default:
                    throw new PackageRefusedException(PackageEntryNames.NotAFile(entry.Name, entry.EntryType.ToString()));
            }
        }

        if (!any)
        {
            throw new InvalidDataException("no tar entries");
        }
    }

    private static async Task UnzipAsync(PackageStaging staging, Stream stream, CancellationToken cancellationToken)
    {
        await using var zip = await ZipArchive.CreateAsync(stream, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        if (zip.Entries.Count > staging.Limits.MaxEntries)
        {
            throw new PackageRefusedException($"the package has {zip.Entries.Count} entries, more than the limit of {staging.Limits.MaxEntries}");
        }

        foreach (var entry in zip.Entries)
        {
            staging.CountEntry();
            var name = entry.FullName;

            // Info-ZIP keeps the Unix mode in the high 16 bits of the external attributes: S_IFLNK is a link
            // whose target is the entry's data.
            var unixType = (entry.ExternalAttributes >> 16) & 0xF000;
            if (unixType == 0xA000)
            {
                if (entry.Length > 4096)
                {
                    throw new PackageRefusedException($"link '{PackageEntryNames.Printable(name)}' has a {entry.Length}-byte target");
                }

                await using var linkData = await entry.OpenAsync(cancellationToken);
                using var reader = new StreamReader(linkData, Encoding.UTF8);
                SkipLink(staging, name, await reader.ReadToEndAsync(cancellationToken), fromEntryFolder: true);
                continue;
            }

            CheckName(name);
            if (name.EndsWith('/') || name.EndsWith('\\'))
            {
                continue;
            }

            await using var data = await entry.OpenAsync(cancellationToken);
            await AddAsync(staging, name, data, 0, cancellationToken);
        }
    }

    /// <summary>One file of the package: a nested tar is unpacked in turn, a file that is not firmware is left out, the rest is staged.</summary>
    private static async Task AddAsync(PackageStaging staging, string entryName, Stream data, int nesting, CancellationToken cancellationToken)
    {
        var name = PackageEntryNames.FlatName(entryName);
        if (PackageSniffer.IsNestedArchive(name))
        {
            // Packages nest tars (the Wazo pipeline: unsign → untar → untar *.tar, spec §3.3).
            if (nesting >= staging.Limits.MaxNesting)
            {
                throw new PackageRefusedException($"'{PackageEntryNames.Printable(entryName)}' nests archives deeper than {staging.Limits.MaxNesting}");
            }

            if (name.EndsWith(".tar", StringComparison.OrdinalIgnoreCase))
            {
                await UntarAsync(staging, data, nesting + 1, cancellationToken);
            }
            else
            {
                await UntarGzipAsync(staging, data, nesting + 1, cancellationToken);
            }

            return;
        }

        if (PackageEntryNames.Skip(entryName, name) is { } reason)
        {
            await staging.SkipAsync(new SkippedFile(entryName, reason), data, cancellationToken);
            return;
        }

        await staging.AddFileAsync(name, data, cancellationToken);
    }

    private static void CheckName(string name)
    {
        if (PackageEntryNames.Refusal(name) is { } refusal)
        {
            throw new PackageRefusedException(refusal);
        }
    }

    /// <summary>A link that leaves the package refuses it; one that stays inside is skipped (links are never created).</summary>
    private static void SkipLink(PackageStaging staging, string name, string target, bool fromEntryFolder)
    {
        if (PackageEntryNames.LinkRefusal(name, target, fromEntryFolder) is { } refusal)
        {
            throw new PackageRefusedException(refusal);
        }

        staging.Skipped.Add(new SkippedFile(name, SkipReason.Link, target));
    }
}
