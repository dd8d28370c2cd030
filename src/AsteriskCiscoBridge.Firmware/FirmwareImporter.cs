using AsteriskCiscoBridge.Provisioning.Firmware;

namespace AsteriskCiscoBridge.Firmware;

/// <summary>
/// Imports firmware packages into the firmware folder (spec §3.3). Each package is told by
/// <see cref="PackageDetector"/>, unpacked by <see cref="PackageUnpacker"/> into a <see cref="PackageStaging"/>
/// folder inside the firmware folder, then checked and renamed into place by <see cref="PackageCommit"/>:
/// a package imports whole or not at all, and says why.
/// </summary>
public sealed class FirmwareImporter
{
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
        ArgumentNullException.ThrowIfNull(paths);
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

            var format = await PackageDetector.DetectAsync(path, cancellationToken);
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

    private async Task<PackageImportResult> ImportPackageAsync(IReadOnlyList<string> sources, PackageFormat format, CancellationToken cancellationToken)
    {
        var source = string.Join(", ", sources);
        var staging = PackageStaging.Create(_directory, _limits, source, _progress);
        try
        {
            try
            {
                await PackageUnpacker.UnpackAsync(sources, format, staging, cancellationToken);
                staging.Report();
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or NotSupportedException)
            {
                // Bytes from a file are input: a corrupt or truncated archive is an outcome, not a crash.
                return PackageImportResult.Failed(source, format, $"corrupt or truncated {PackageSniffer.Describe(format)}: {e.Message}; nothing imported");
            }

            if (staging.Files.Count == 0)
            {
                return PackageImportResult.Failed(source, format, "the package holds no firmware files; nothing imported");
            }

            var (moved, skipped) = await PackageCommit.CommitAsync(staging, _directory, cancellationToken);
            var loads = staging.Files.Keys
                .Where(n => n.EndsWith(".loads", StringComparison.OrdinalIgnoreCase) && !TermDefaultLoads.IsFileName(n))
                .Select(n => n[..^".loads".Length])
                .Order(StringComparer.OrdinalIgnoreCase)
                .ToList();
            return new PackageImportResult(source, format, null, moved, [.. staging.Skipped, .. skipped], loads);
        }
        catch (PackageRefusedException e)
        {
            return PackageImportResult.Failed(source, format, e.Message + "; nothing imported");
        }
        finally
        {
            staging.Delete();
        }
    }
}
