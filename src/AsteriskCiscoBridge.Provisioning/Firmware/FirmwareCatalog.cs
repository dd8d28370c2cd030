using System.Collections.Immutable;

namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>
/// One file of the firmware folder as the scan saw it. <see cref="Content"/> is read for <c>.loads</c>
/// descriptors only; <see cref="Problem"/> says why a file could not be read.
/// </summary>
public sealed record FirmwareFile(string Name, long Length, bool Readable, byte[]? Content = null, string? Problem = null);

/// <summary>A component file a load needs, and whether the folder has it.</summary>
public sealed record CatalogFile(string Name, bool Present, bool Readable, long Length);

/// <summary>
/// A load of the catalog: its name (parsed when it follows spec §3.1), the descriptor it comes from
/// (null for a single-image 7940/7960 load such as <c>P0S3-03-0-00.bin</c>), its files, and why it is
/// unusable when it is.
/// </summary>
public sealed record CatalogLoad(string Name, LoadName? Load, string? Descriptor, ImmutableArray<CatalogFile> Files, string? Problem)
{
    /// <summary>
    /// Every file is there and readable. Issue 6: "a load whose files are incomplete is never offered to a
    /// phone" — a phone told to fetch a missing component loops or fails mid-upgrade (spec §3.4).
    /// </summary>
    public bool IsComplete => Problem is null && Files.Length > 0 && Files.All(f => f.Present && f.Readable);

    public IEnumerable<string> Missing => Files.Where(f => !f.Present).Select(f => f.Name);

    public IEnumerable<string> Unreadable => Files.Where(f => f.Present && !f.Readable).Select(f => f.Name);

    /// <summary>One line on what is wrong, or null when the load is complete.</summary>
    public string? Explain()
    {
        if (Problem is not null)
        {
            return Problem;
        }

        var parts = new List<string>();
        if (Missing.Any())
        {
            parts.Add("missing " + string.Join(", ", Missing));
        }

        if (Unreadable.Any())
        {
            parts.Add("unreadable " + string.Join(", ", Unreadable));
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}

/// <summary>
/// A <c>termNN.default.loads</c> file: the load a model falls back to after a soft factory reset or when it is
/// pointed at the default (spec §1.5 item 7). <see cref="Protocol"/> is inferred from its components.
/// </summary>
public sealed record TermDefaultLoads(string FileName, int Model, LoadProtocol Protocol, string? LoadName, ImmutableArray<CatalogFile> Files, string? Problem)
{
    /// <summary>True for <c>termNN.default.loads</c> in any case (CUCM has shipped <c>TERMxx.DEFAULT.loads</c> too, spec §1.1).</summary>
    public static bool IsFileName(string name) => Patterns.TermDefault().IsMatch(name);

    /// <summary>The load family of <see cref="Model"/> (term61 → 7941/7961), or null for a model the bridge has no loads for.</summary>
    public LoadFamily? Family => LoadFamily.TryForModel(Model.ToString(System.Globalization.CultureInfo.InvariantCulture), out var family, out _) ? family : null;
}

/// <summary>
/// Which loads the firmware folder holds, which files each has, and whether each is complete. A pure value
/// built from a folder scan (<see cref="Build"/>), so a store can persist it later.
/// </summary>
public sealed record FirmwareCatalog(ImmutableArray<CatalogLoad> Loads, ImmutableArray<TermDefaultLoads> TermDefaults)
{
    public static FirmwareCatalog Empty { get; } = new([], []);

    /// <summary>The load named <paramref name="name"/> (any case, with or without extension), or null.</summary>
    public CatalogLoad? Find(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var bare = LoadName.TryParse(name, out var parsed, out _) ? parsed.Name : name;
        return Loads.FirstOrDefault(l => string.Equals(l.Name, bare, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True only for a load that is in the folder with every file present and readable.</summary>
    public bool IsOffered(string? name) => Find(name)?.IsComplete == true;

    /// <summary>
    /// Builds the catalog from the files of the folder's root (where phones fetch loads by bare name).
    /// Each <c>NAME.loads</c> is a load whose files are the descriptor and its components; a 7940/7960
    /// image <c>NAME.bin</c> with no descriptor is a single-file load (old loaders fetch the image directly,
    /// spec §1.2 item 5), unless a descriptor lists it or its signed twin as a component.
    /// </summary>
    public static FirmwareCatalog Build(IEnumerable<FirmwareFile> files, LoadsDescriptorLimits? limits = null)
    {
        var byName = new Dictionary<string, FirmwareFile>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            byName.TryAdd(file.Name, file);
        }

        var loads = ImmutableArray.CreateBuilder<CatalogLoad>();
        var terms = ImmutableArray.CreateBuilder<TermDefaultLoads>();
        var components = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in byName.Values.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase))
        {
            if (!file.Name.EndsWith(".loads", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var descriptorFile = new CatalogFile(file.Name, true, file.Readable, file.Length);
            LoadsDescriptor? descriptor = null;
            var problem = file.Problem;
            if (problem is null && file.Content is null)
            {
                problem = $"{file.Name} was not read";
            }
            else if (problem is null)
            {
                var parsed = LoadsDescriptor.Parse(file.Content, limits);
                descriptor = parsed.Descriptor;
                problem = parsed.Error is null ? null : $"{file.Name}: {parsed.Error}";
            }

            var listed = ImmutableArray.CreateBuilder<CatalogFile>();
            listed.Add(descriptorFile);
            foreach (var component in descriptor?.Components ?? [])
            {
                components.Add(component);
                listed.Add(byName.TryGetValue(component, out var present)
                    ? new CatalogFile(present.Name, true, present.Readable, present.Length)
                    : new CatalogFile(component, false, false, 0));
            }

            var term = Patterns.TermDefault().Match(file.Name);
            if (term.Success)
            {
                var mentioned = descriptor is { MentionedLoads.Length: > 0 } d ? d.MentionedLoads[0].Name : null;
                terms.Add(new TermDefaultLoads(
                    file.Name,
                    7900 + int.Parse(term.Groups["code"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture),
                    descriptor?.InferProtocol() ?? LoadProtocol.Unknown,
                    mentioned,
                    listed.ToImmutable(),
                    problem));
                continue;
            }

            var name = file.Name[..^".loads".Length];
            loads.Add(new CatalogLoad(name, LoadName.TryParse(name, out var load, out _) ? load : null, file.Name, listed.ToImmutable(), problem));
        }

        foreach (var file in byName.Values.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase))
        {
            if (!file.Name.EndsWith(".bin", StringComparison.OrdinalIgnoreCase) || components.Contains(file.Name))
            {
                continue;
            }

            // A package's P003-….bin beside a listed P003-….sbn is the unsigned copy of that loader for old
            // loaders (seed: the MGCP package's P003-07-7-00.sbn/.bin), not a load of its own.
            var name = file.Name[..^".bin".Length];
            if (byName.ContainsKey(name + ".loads")
                || components.Contains(name + ".sbn")
                || components.Contains(name + ".sb2")
                || !LoadName.TryParse(name, out var load, out _)
                || load.Family.Generation != LoadGeneration.Classic)
            {
                continue;
            }

            loads.Add(new CatalogLoad(name, load, null, [new CatalogFile(file.Name, true, file.Readable, file.Length)], null));
        }

        return new FirmwareCatalog(
            [.. loads.OrderBy(l => l.Name, StringComparer.OrdinalIgnoreCase)],
            terms.ToImmutable());
    }
}
