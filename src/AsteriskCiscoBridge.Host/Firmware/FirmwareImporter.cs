using System.Buffers;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using AsteriskCiscoBridge.Provisioning.Firmware;

namespace AsteriskCiscoBridge.Host.Firmware;

/// <summary>
/// Imports firmware packages into the firmware folder (spec §3.3): <c>.zip</c>, <c>.cop</c> (gzip'd tar),
/// <c>.cop.sgn</c> (signature header stripped up to the gzip magic), <c>.tar</c>, <c>.tar.gz</c> and loose files.
/// Each package is unpacked into a staging folder inside the firmware folder, checked (safe names, limits,
/// every <c>.loads</c> complete), then renamed into place: a package imports whole or not at all, and says why.
/// Images are copied byte for byte, never rewritten (spec §3.2).
/// </summary>
internal sealed partial class FirmwareImporter
{
    /// <summary>Staging folders start with this; scans and listings skip dot-folders.</summary>
    public const string StagingPrefix = ".acb-import-";

    private static readonly byte[] GzipMagic = [0x1F, 0x8B, 0x08];

    // Spec §3.2: the files of a load and the trust lists; imported as they are, never unpacked.
    private static readonly string[] FirmwareFileExtensions = [".loads", ".sbn", ".sb2", ".bin", ".zz", ".jar", ".img", ".tlv"];

    private readonly string _directory;
    private readonly FirmwareImportLimits _limits;
    private readonly IProgress<FirmwareImportProgress>? _progress;

    /// <param name="progress">Told as each package unpacks: at each entry and every <see cref="FirmwareImportProgress.ByteStep"/> bytes.</param>
    public FirmwareImporter(string firmwareDirectory, FirmwareImportLimits? limits = null, IProgress<FirmwareImportProgress>? progress = null)
    {
        _directory = Path.GetFullPath(firmwareDirectory);
        _limits = limits ?? new FirmwareImportLimits();
        _progress = progress;
    }

    /// <summary>Imports each archive as one package and all loose files together as one more.</summary>
    public async Task<IReadOnlyList<PackageImportResult>> ImportAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        var results = new List<PackageImportResult>();
        var loose = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                results.Add(PackageImportResult.Failed(path, PackageFormat.Unknown, $"'{path}' is a folder: name the package or the files in it"));
                continue;
            }

            if (!File.Exists(path))
            {
                results.Add(PackageImportResult.Failed(path, PackageFormat.Unknown, $"'{path}' does not exist"));
                continue;
            }

            var format = await DetectAsync(path, cancellationToken);
            if (format == PackageFormat.LooseFiles)
            {
                loose.Add(path);
            }
            else
            {
                results.Add(await ImportPackageAsync([path], format, cancellationToken));
            }
        }

        if (loose.Count > 0)
        {
            results.Add(await ImportPackageAsync(loose, PackageFormat.LooseFiles, cancellationToken));
        }

        return results;
    }

    /// <summary>
    /// The package format: a firmware file name (<c>.sbn</c>, <c>.loads</c>, …) is a loose file whatever its bytes
    /// look like; otherwise the leading bytes decide (a <c>.cop</c> that is really a zip unpacks as a zip), then
    /// the name (a cut <c>.zip</c> stays a zip, and fails as one).
    /// </summary>
    internal static async Task<PackageFormat> DetectAsync(string path, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".sgn", StringComparison.Ordinal) || name.EndsWith(".sha512", StringComparison.Ordinal))
        {
            return PackageFormat.SignedCop;
        }

        if (FirmwareFileExtensions.Any(e => name.EndsWith(e, StringComparison.Ordinal)))
        {
            return PackageFormat.LooseFiles;
        }

        var head = new byte[512];
        int length;
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true))
        {
            length = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }

        var bytes = head.AsSpan(0, length);
        if (bytes.StartsWith("PK\x03\x04"u8) || bytes.StartsWith("PK\x05\x06"u8))
        {
            return PackageFormat.Zip;
        }

        if (bytes.StartsWith(GzipMagic.AsSpan(0, 2)))
        {
            return PackageFormat.GzipTar;
        }

        if (length >= 262 && bytes[257..262].SequenceEqual("ustar"u8))
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

    private async Task<PackageImportResult> ImportPackageAsync(IReadOnlyList<string> sources, PackageFormat format, CancellationToken cancellationToken)
    {
        var source = string.Join(", ", sources);
        var staging = new Staging(Path.Combine(_directory, StagingPrefix + Guid.NewGuid().ToString("N")), _limits, source, _progress);
        try
        {
            Directory.CreateDirectory(staging.Path);
            try
            {
                await UnpackAsync(sources, format, staging, cancellationToken);
                staging.Report();
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or NotSupportedException)
            {
                // Bytes from a file are input: a corrupt or truncated archive is an outcome, not a crash.
                return PackageImportResult.Failed(source, format, $"corrupt or truncated {Describe(format)}: {e.Message}; nothing imported");
            }

            if (staging.Files.Count == 0)
            {
                return PackageImportResult.Failed(source, format, "the package holds no firmware files; nothing imported");
            }

            var existing = ExistingFiles();
            var problem = await VerifyAsync(staging, existing, cancellationToken);
            if (problem is not null)
            {
                return PackageImportResult.Failed(source, format, problem + "; nothing imported");
            }

            var (toMove, skipped) = await SortOutExistingAsync(staging, existing, cancellationToken);
            var moveError = MoveIntoPlace(staging, toMove);
            if (moveError is not null)
            {
                return PackageImportResult.Failed(source, format, moveError);
            }

            var loads = staging.Files.Keys
                .Where(n => n.EndsWith(".loads", StringComparison.OrdinalIgnoreCase) && !TermDefaultLoads.IsFileName(n))
                .Select(n => n[..^".loads".Length])
                .Order(StringComparer.OrdinalIgnoreCase)
                .ToList();
            return new PackageImportResult(source, format, null, [.. toMove.Order(StringComparer.OrdinalIgnoreCase)], [.. staging.Skipped, .. skipped], loads);
        }
        catch (PackageRefusedException e)
        {
            return PackageImportResult.Failed(source, format, e.Message + "; nothing imported");
        }
        finally
        {
            try
            {
                Directory.Delete(staging.Path, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    private async Task UnpackAsync(IReadOnlyList<string> sources, PackageFormat format, Staging staging, CancellationToken cancellationToken)
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
                var head = new byte[_limits.SignatureSearchBytes];
                var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
                var offset = head.AsSpan(0, read).IndexOf(GzipMagic);
                if (offset < 0)
                {
                    throw new PackageRefusedException($"no gzip data within the first {_limits.SignatureSearchBytes} bytes: not a signed .cop package");
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

    private async Task<long> UntarGzipAsync(Staging staging, Stream stream, int nesting, CancellationToken cancellationToken)
    {
        await using var gzip = new CountingStream(new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true));
        await UntarAsync(staging, gzip, nesting, cancellationToken);

        // Read to the end of the gzip data so a damaged or cut trailer is seen, not ignored after the last entry.
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int n;
            while ((n = await gzip.ReadAsync(buffer, cancellationToken)) > 0)
            {
                staging.CountBytes(n);
            }

            return gzip.BytesRead;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task UntarAsync(Staging staging, Stream stream, int nesting, CancellationToken cancellationToken)
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
                    CheckPath(entry.Name);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    CheckPath(entry.Name);
                    if (entry.DataStream is { } data)
                    {
                        await AddAsync(staging, entry.Name, data, nesting, cancellationToken);
                    }
                    else
                    {
                        await AddAsync(staging, entry.Name, Stream.Null, nesting, cancellationToken);
                    }

                    break;
                case TarEntryType.SymbolicLink:
                    CheckLink(staging, entry.Name, entry.LinkName, fromEntryFolder: true);
                    break;
                case TarEntryType.HardLink:
                    CheckLink(staging, entry.Name, entry.LinkName, fromEntryFolder: false);
                    break;
                case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes or TarEntryType.LongLink or TarEntryType.LongPath:
                    break;
                default:
                    throw new PackageRefusedException($"entry '{Printable(entry.Name)}' is a {entry.EntryType}; only files and folders are accepted");
            }
        }

        if (!any)
        {
            throw new InvalidDataException("no tar entries");
        }
    }

    private async Task UnzipAsync(Staging staging, Stream stream, CancellationToken cancellationToken)
    {
        await using var zip = await ZipArchive.CreateAsync(stream, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        if (zip.Entries.Count > _limits.MaxEntries)
        {
            throw new PackageRefusedException($"the package has {zip.Entries.Count} entries, more than the limit of {_limits.MaxEntries}");
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
                    throw new PackageRefusedException($"link '{Printable(name)}' has a {entry.Length}-byte target");
                }

                await using var linkData = await entry.OpenAsync(cancellationToken);
                using var reader = new StreamReader(linkData, Encoding.UTF8);
                CheckLink(staging, name, await reader.ReadToEndAsync(cancellationToken), fromEntryFolder: true);
                continue;
            }

            CheckPath(name);
            if (name.EndsWith('/') || name.EndsWith('\\'))
            {
                continue;
            }

            await using var data = await entry.OpenAsync(cancellationToken);
            await AddAsync(staging, name, data, 0, cancellationToken);
        }
    }

    private async Task AddAsync(Staging staging, string entryName, Stream data, int nesting, CancellationToken cancellationToken)
    {
        var name = entryName.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty;
        var lower = name.ToLowerInvariant();
        if (lower.EndsWith(".tar", StringComparison.Ordinal) || lower.EndsWith(".tar.gz", StringComparison.Ordinal) || lower.EndsWith(".tgz", StringComparison.Ordinal))
        {
            // Packages nest tars (the Wazo pipeline: unsign → untar → untar *.tar, spec §3.3).
            if (nesting >= _limits.MaxNesting)
            {
                throw new PackageRefusedException($"'{Printable(entryName)}' nests archives deeper than {_limits.MaxNesting}");
            }

            if (lower.EndsWith(".tar", StringComparison.Ordinal))
            {
                await UntarAsync(staging, data, nesting + 1, cancellationToken);
            }
            else
            {
                await UntarGzipAsync(staging, data, nesting + 1, cancellationToken);
            }

            return;
        }

        if (SkipReason(entryName, name) is { } reason)
        {
            staging.Skipped.Add(new SkippedFile(entryName, reason));
            await DrainAsync(staging, data, cancellationToken);
            return;
        }

        // The folder is flat: phones fetch loads and components by bare name from the TFTP root (spec §1.5 item 5).
        if (staging.Files.ContainsKey(name))
        {
            throw new PackageRefusedException($"two entries are named '{Printable(name)}'");
        }

        var target = Path.Combine(staging.Path, name);
        await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true))
        {
            await CopyCountedAsync(staging, data, output, cancellationToken);
        }

        staging.Files[name] = target;
    }

    private static string? SkipReason(string entryName, string name)
    {
        if (name.Length == 0)
        {
            return "no file name";
        }

        if (name.StartsWith('.') || entryName.Replace('\\', '/').Split('/').Contains("__MACOSX", StringComparer.Ordinal))
        {
            return "archive metadata, not firmware";
        }

        // Spec §3.3: copstart.sh and loadNNN.txt are CUCM's installer and load records, not needed on TFTP.
        if (name.StartsWith("copstart.", StringComparison.OrdinalIgnoreCase) || LoadRecord().IsMatch(name))
        {
            return "CUCM installer file, not served to phones";
        }

        // Spec §2.1: the bridge writes OS79XX.TXT itself (a package's copy would pick a protocol for every phone).
        if (name.Equals("OS79XX.TXT", StringComparison.OrdinalIgnoreCase))
        {
            return "the bridge writes OS79XX.TXT itself";
        }

        return null;
    }

    private static async Task DrainAsync(Staging staging, Stream data, CancellationToken cancellationToken) =>
        await CopyCountedAsync(staging, data, Stream.Null, cancellationToken);

    private static async Task CopyCountedAsync(Staging staging, Stream data, Stream output, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int n;
            while ((n = await data.ReadAsync(buffer, cancellationToken)) > 0)
            {
                staging.CountBytes(n);
                await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Refuses names that are absolute, climb out with <c>..</c>, or carry control characters.</summary>
    internal static void CheckPath(string name)
    {
        if (name.Any(char.IsControl))
        {
            throw new PackageRefusedException($"entry '{Printable(name)}' has control characters in its name");
        }

        var normal = name.Replace('\\', '/');
        if (normal.StartsWith('/') || (normal.Length >= 2 && normal[1] == ':' && char.IsAsciiLetter(normal[0])))
        {
            throw new PackageRefusedException($"entry '{Printable(name)}' is an absolute path");
        }

        if (normal.Split('/').Contains(".."))
        {
            throw new PackageRefusedException($"entry '{Printable(name)}' leaves the folder (..)");
        }
    }

    /// <summary>
    /// Links are never created (images are regular files); a link that resolves outside the package is an
    /// attack on the extractor and refuses the package, one that stays inside is skipped.
    /// </summary>
    private static void CheckLink(Staging staging, string name, string target, bool fromEntryFolder)
    {
        CheckPath(name);
        var normal = target.Replace('\\', '/');
        var leaves = normal.Length == 0 || normal.StartsWith('/') || (normal.Length >= 2 && normal[1] == ':' && char.IsAsciiLetter(normal[0]));
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

        if (leaves)
        {
            throw new PackageRefusedException($"link '{Printable(name)}' → '{Printable(target)}' leaves the folder");
        }

        staging.Skipped.Add(new SkippedFile(name, $"a link to '{Printable(target)}'; only regular files are imported"));
    }

    /// <summary>Every descriptor of the package must parse and find its components in the package or the folder.</summary>
    private static async Task<string?> VerifyAsync(Staging staging, Dictionary<string, string> existing, CancellationToken cancellationToken)
    {
        foreach (var (name, path) in staging.Files.OrderBy(f => f.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (!name.EndsWith(".loads", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var limits = new LoadsDescriptorLimits();
            if (new FileInfo(path).Length > limits.MaxBytes)
            {
                return $"{name} is larger than a load descriptor can be ({limits.MaxBytes} bytes)";
            }

            var parsed = LoadsDescriptor.Parse(await File.ReadAllBytesAsync(path, cancellationToken), limits);
            if (!parsed.IsValid)
            {
                return $"{name}: {parsed.Error}";
            }

            var missing = parsed.Descriptor!.Components.Where(c => !staging.Files.ContainsKey(c) && !existing.ContainsKey(c)).ToList();
            if (missing.Count > 0)
            {
                return $"{name} needs {string.Join(", ", missing)}, in neither the package nor the firmware folder (a partial package?)";
            }
        }

        return null;
    }

    /// <summary>
    /// Files already in the folder: identical ones are skipped; a different <c>termNN.default.loads</c> is kept
    /// as it is (every package ships one; which default a model falls back to is the admin's choice, spec §1.5);
    /// any other different file refuses the package (same name, different bytes: a damaged or foreign image).
    /// </summary>
    private static async Task<(List<string> ToMove, List<SkippedFile> Skipped)> SortOutExistingAsync(Staging staging, Dictionary<string, string> existing, CancellationToken cancellationToken)
    {
        var toMove = new List<string>();
        var skipped = new List<SkippedFile>();
        foreach (var (name, path) in staging.Files)
        {
            if (!existing.TryGetValue(name, out var current))
            {
                toMove.Add(name);
                continue;
            }

            if (await SameContentAsync(path, current, cancellationToken))
            {
                skipped.Add(new SkippedFile(name, "already in the firmware folder, identical"));
            }
            else if (TermDefaultLoads.IsFileName(name))
            {
                skipped.Add(new SkippedFile(name, $"kept the firmware folder's {Path.GetFileName(current)}, which differs (see acb firmware list)"));
            }
            else
            {
                throw new PackageRefusedException($"{name} is already in the firmware folder with different content");
            }
        }

        return (toMove, skipped);
    }

    /// <summary>
    /// Renames the staged files into the folder: components first, descriptors last, so a scan running at the
    /// same time never sees a descriptor before its files. A failure removes what was moved.
    /// </summary>
    private string? MoveIntoPlace(Staging staging, List<string> names)
    {
        var moved = new List<string>();
        try
        {
            foreach (var name in names.OrderBy(n => n.EndsWith(".loads", StringComparison.OrdinalIgnoreCase) ? 1 : 0).ThenBy(n => n, StringComparer.OrdinalIgnoreCase))
            {
                var target = Path.Combine(_directory, name);
                File.Move(staging.Files[name], target, overwrite: false);
                moved.Add(target);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var path in moved)
            {
                File.Delete(path);
            }

            return $"could not move the files into place ({e.Message}); nothing imported";
        }
    }

    private Dictionary<string, string> ExistingFiles()
    {
        var files = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in Directory.EnumerateFiles(_directory))
        {
            files.TryAdd(Path.GetFileName(path), path);
        }

        return files;
    }

    private static async Task<bool> SameContentAsync(string a, string b, CancellationToken cancellationToken)
    {
        if (new FileInfo(a).Length != new FileInfo(b).Length)
        {
            return false;
        }

        await using var left = new FileStream(a, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        await using var right = new FileStream(b, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        var x = new byte[65536];
        var y = new byte[65536];
        while (true)
        {
            var n = await left.ReadAtLeastAsync(x, x.Length, throwOnEndOfStream: false, cancellationToken);
            var m = await right.ReadAtLeastAsync(y, y.Length, throwOnEndOfStream: false, cancellationToken);
            if (n != m || !x.AsSpan(0, n).SequenceEqual(y.AsSpan(0, m)))
            {
                return false;
            }

            if (n == 0)
            {
                return true;
            }
        }
    }

    private static string Describe(PackageFormat format) => format switch
    {
        PackageFormat.Zip => "zip archive",
        PackageFormat.GzipTar => "gzip'd tar (.cop, .tar.gz)",
        PackageFormat.SignedCop => "signed .cop",
        PackageFormat.Tar => "tar archive",
        _ => "package",
    };

    private static string Printable(string text)
    {
        var clean = new string([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
        return clean.Length <= 120 ? clean : clean[..120] + "…";
    }

    [GeneratedRegex(@"^load\d+\.txt$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LoadRecord();

    /// <summary>What one package has unpacked so far, with its limits.</summary>
    private sealed class Staging(string path, FirmwareImportLimits limits, string source, IProgress<FirmwareImportProgress>? progress)
    {
        private long _bytes;
        private long _reportedBytes;
        private int _entries;

        public string Path { get; } = path;

        public Dictionary<string, string> Files { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<SkippedFile> Skipped { get; } = [];

        public void CountEntry()
        {
            if (++_entries > limits.MaxEntries)
            {
                throw new PackageRefusedException($"the package has more than {limits.MaxEntries} entries");
            }

            Report();
        }

        public void CountBytes(int count)
        {
            _bytes += count;
            if (_bytes > limits.MaxTotalBytes)
            {
                throw new PackageRefusedException($"the package unpacks to more than {limits.MaxTotalBytes} bytes");
            }

            if (_bytes - _reportedBytes >= FirmwareImportProgress.ByteStep)
            {
                Report();
            }
        }

        public void Report()
        {
            _reportedBytes = _bytes;
            progress?.Report(new FirmwareImportProgress(source, _entries, _bytes));
        }
    }

    /// <summary>Counts the bytes read through it (the unpacked length a gzip trailer must match).</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>Ends the unpacking of one package with a reason; caught at the package boundary and turned into a result.</summary>
    private sealed class PackageRefusedException(string message) : Exception(message);
}
