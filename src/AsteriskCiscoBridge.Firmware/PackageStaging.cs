using System.Buffers;
using AsteriskCiscoBridge.Provisioning.Firmware;

namespace AsteriskCiscoBridge.Firmware;

/// <summary>
/// The staging folder of one package, inside the firmware folder (so the commit is a rename): the files
/// unpacked so far by their flat names, the files left out, and the counts held to the limits. Going past a
/// limit refuses the package; progress is reported at each entry and every <see cref="FirmwareImportProgress.ByteStep"/> bytes.
/// </summary>
internal sealed class PackageStaging(string path, FirmwareImportLimits limits, string source, IProgress<FirmwareImportProgress>? progress)
{
    /// <summary>Staging folders start with this; scans and listings skip dot-folders.</summary>
    public const string Prefix = ".acb-import-";

    private long _bytes;
    private long _reportedBytes;
    private int _entries;

    public string Path { get; } = path;

    public FirmwareImportLimits Limits => limits;

    /// <summary>Flat name → staged path.</summary>
    public Dictionary<string, string> Files { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<SkippedFile> Skipped { get; } = [];

    /// <summary>A new, empty staging folder in <paramref name="firmwareDirectory"/>.</summary>
    public static PackageStaging Create(string firmwareDirectory, FirmwareImportLimits limits, string source, IProgress<FirmwareImportProgress>? progress)
    {
        var staging = new PackageStaging(System.IO.Path.Combine(firmwareDirectory, Prefix + Guid.NewGuid().ToString("N")), limits, source, progress);
        Directory.CreateDirectory(staging.Path);
        return staging;
    }

    /// <summary>Removes the staging folder and whatever is left in it.</summary>
    public void Delete()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

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

    /// <summary>Writes one file under its flat name; two entries of one name refuse the package (the folder is flat).</summary>
    public async Task AddFileAsync(string name, Stream data, CancellationToken cancellationToken)
    {
        if (Files.ContainsKey(name))
        {
            throw new PackageRefusedException($"two entries are named '{PackageEntryNames.Printable(name)}'");
        }

        var target = System.IO.Path.Combine(Path, name);
        await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true))
        {
            await CopyCountedAsync(data, output, cancellationToken);
        }

        Files[name] = target;
    }

    /// <summary>Leaves a file out, reading its data through (the bytes count to the limit all the same).</summary>
    public async Task SkipAsync(SkippedFile skipped, Stream data, CancellationToken cancellationToken)
    {
        Skipped.Add(skipped);
        await CopyCountedAsync(data, Stream.Null, cancellationToken);
    }

    /// <summary>Reads a stream to its end, counting the bytes.</summary>
    public async Task DrainAsync(Stream data, CancellationToken cancellationToken) =>
        await CopyCountedAsync(data, Stream.Null, cancellationToken);

    private async Task CopyCountedAsync(Stream data, Stream output, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int n;
            while ((n = await data.ReadAsync(buffer, cancellationToken)) > 0)
            {
                CountBytes(n);
                await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
