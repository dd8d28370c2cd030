using AsteriskCiscoBridge.Provisioning.Firmware;

namespace AsteriskCiscoBridge.Firmware;

/// <summary>Reads the firmware folder into the pure <see cref="FirmwareCatalog"/>: the I/O edge of the catalog.</summary>
public static class FirmwareFolder
{
    /// <summary>The folder <c>Firmware:Directory</c> names, made absolute; default <c>data/firmware</c> beside the default database.</summary>
    /// <param name="configured">The configured value, null when not set.</param>
    public static string DirectoryOf(string? configured) =>
        Path.GetFullPath(configured ?? Path.Combine("data", "firmware"));

    /// <summary>
    /// Scans the folder's root (phones fetch loads by bare name): every file's size and whether it opens for
    /// reading, and the bytes of each <c>.loads</c> descriptor. Dot-files and staging folders are not looked at.
    /// </summary>
    public static async Task<FirmwareCatalog> ScanAsync(string directory, CancellationToken cancellationToken, LoadsDescriptorLimits? limits = null)
    {
        limits ??= new LoadsDescriptorLimits();
        var files = new List<FirmwareFile>();
        foreach (var info in new DirectoryInfo(directory).EnumerateFiles())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (info.Name.StartsWith('.'))
            {
                continue;
            }

            files.Add(await ReadAsync(info, limits, cancellationToken));
        }

        return FirmwareCatalog.Build(files, limits);
    }

    private static async Task<FirmwareFile> ReadAsync(FileInfo info, LoadsDescriptorLimits limits, CancellationToken cancellationToken)
    {
        var isDescriptor = info.Name.EndsWith(".loads", StringComparison.OrdinalIgnoreCase);
        try
        {
            await using var stream = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
            if (!isDescriptor)
            {
                return new FirmwareFile(info.Name, info.Length, Readable: true);
            }

            if (info.Length > limits.MaxBytes)
            {
                return new FirmwareFile(info.Name, info.Length, true, null, $"{info.Name} is {info.Length} bytes, more than a load descriptor can be ({limits.MaxBytes})");
            }

            var content = new byte[info.Length];
            await stream.ReadExactlyAsync(content, cancellationToken);
            return new FirmwareFile(info.Name, info.Length, true, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FirmwareFile(info.Name, info.Length, Readable: false, null, isDescriptor ? $"{info.Name} cannot be read: {e.Message}" : null);
        }
    }
}
