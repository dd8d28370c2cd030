using AsteriskCiscoBridge.Provisioning.Firmware;

namespace AsteriskCiscoBridge.Firmware;

/// <summary>
/// Brings a staged package into the firmware folder, whole or not at all: every descriptor checked, files
/// already there sorted out, then the rest renamed into place, descriptors last. A refusal is a
/// <see cref="PackageRefusedException"/>; a failed rename takes back what was moved.
/// </summary>
internal static class PackageCommit
{
    /// <summary>Commits <paramref name="staging"/> into <paramref name="directory"/>; the names moved and the files left out.</summary>
    public static async Task<(IReadOnlyList<string> Moved, IReadOnlyList<SkippedFile> Skipped)> CommitAsync(PackageStaging staging, string directory, CancellationToken cancellationToken)
    {
        var existing = ExistingFiles(directory);
        if (await VerifyAsync(staging, existing, cancellationToken) is { } problem)
        {
            throw new PackageRefusedException(problem);
        }

        var (toMove, skipped) = await SortOutExistingAsync(staging, existing, cancellationToken);
        MoveIntoPlace(staging, directory, toMove);
        return ([.. toMove.Order(StringComparer.OrdinalIgnoreCase)], skipped);
    }

    /// <summary>Every descriptor of the package must parse and find its components in the package or the folder.</summary>
    private static async Task<string?> VerifyAsync(PackageStaging staging, Dictionary<string, string> existing, CancellationToken cancellationToken)
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
    private static async Task<(List<string> ToMove, List<SkippedFile> Skipped)> SortOutExistingAsync(PackageStaging staging, Dictionary<string, string> existing, CancellationToken cancellationToken)
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
                skipped.Add(new SkippedFile(name, SkipReason.IdenticalInFolder));
            }
            else if (TermDefaultLoads.IsFileName(name))
            {
                skipped.Add(new SkippedFile(name, SkipReason.KeptFolderTermDefault, Path.GetFileName(current)));
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
    private static void MoveIntoPlace(PackageStaging staging, string directory, List<string> names)
    {
        var moved = new List<string>();
        try
        {
            foreach (var name in names.OrderBy(n => n.EndsWith(".loads", StringComparison.OrdinalIgnoreCase) ? 1 : 0).ThenBy(n => n, StringComparer.OrdinalIgnoreCase))
            {
                var target = Path.Combine(directory, name);
                File.Move(staging.Files[name], target, overwrite: false);
                moved.Add(target);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var path in moved)
            {
                File.Delete(path);
            }

            throw new PackageRefusedException($"could not move the files into place ({e.Message})");
        }
    }

    private static Dictionary<string, string> ExistingFiles(string directory)
    {
        var files = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in Directory.EnumerateFiles(directory))
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
}
