namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>Whether a file is the same for a whole site or belongs to one phone.</summary>
public enum FileScope
{
    /// <summary>Same bytes for every phone of the site (SIPDefault.cnf, dialplan.xml…).</summary>
    Site = 0,

    /// <summary>One phone's own file (SIP&lt;MAC&gt;.cnf, SEP&lt;MAC&gt;.cnf.xml).</summary>
    Phone = 1,
}

/// <summary>A change the renderer had to make to a value: it never changes one silently.</summary>
/// <param name="FileName">File the value went into.</param>
/// <param name="Field">Key or element, e.g. <c>line1_shortname</c>.</param>
/// <param name="Message">What was changed and why.</param>
public sealed record RenderWarning(string FileName, string Field, string Message)
{
    public override string ToString() => $"{FileName} {Field}: {Message}";
}

/// <summary>One rendered file, by the exact name the phone requests.</summary>
public sealed record RenderedFile(string Name, FileScope Scope, byte[] Content);

/// <summary>A single rendered file with the warnings it produced.</summary>
public sealed record RenderOutput(RenderedFile File, IReadOnlyList<RenderWarning> Warnings);

/// <summary>
/// All files one phone's family needs, or the reasons they cannot be rendered (lines the model
/// cannot carry, credentials a file cannot hold unchanged…).
/// </summary>
/// <param name="SyncValue">7940/7960 <c>sync</c> of this phone's SIP&lt;MAC&gt;.cnf (null for 79x1).</param>
/// <param name="VersionStamp">79x1 <c>versionStamp</c> of this phone's SEP&lt;MAC&gt;.cnf.xml (null for 79x0).</param>
public sealed record PhoneRenderResult(
    IReadOnlyList<RenderedFile> Files,
    IReadOnlyList<RenderWarning> Warnings,
    IReadOnlyList<string> Errors,
    string? SyncValue,
    string? VersionStamp)
{
    public bool Succeeded => Errors.Count == 0;

    public static PhoneRenderResult Failed(IReadOnlyList<string> errors) => new([], [], errors, null, null);

    /// <summary>The file named exactly <paramref name="name"/>, or null.</summary>
    public RenderedFile? Find(string name) => Files.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
}
