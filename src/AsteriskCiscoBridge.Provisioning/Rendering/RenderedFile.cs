using AsteriskCiscoBridge.Provisioning.Model;

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

/// <summary>
/// A line its family's own file cannot carry unchanged (<see cref="LineRules"/>): left out of the
/// phone's files, which keep its other lines.
/// </summary>
/// <param name="Position">1-based position of the line in <see cref="Phone.Lines"/> (the binding's order).</param>
/// <param name="Line">The line as given.</param>
/// <param name="FileName">The phone's own file it was left out of (<c>SIP&lt;MAC&gt;.cnf</c> or <c>SEP&lt;MAC&gt;.cnf.xml</c>).</param>
/// <param name="Field">The field of that file the value could not go into (<c>lineN_password</c>, <c>authPassword</c>…).</param>
/// <param name="Reason">Why, without the value itself (it may be a password).</param>
public sealed record LeftOutLine(int Position, LineInput Line, string FileName, string Field, string Reason)
{
    /// <summary>Names the line by position and SIP user, e.g. <c>line 2 (1002) left out of SIP….cnf: lineN_password contains '"', …</c>.</summary>
    public override string ToString() => $"line {Position} ({Shown(Line.Extension)}) left out of {FileName}: {Field} {Reason}";

    /// <summary>The same, as a warning on the file and field: <c>SIP….cnf lineN_password: line 2 (1002) left out: contains '"', …</c>.</summary>
    public RenderWarning ToWarning() => new(FileName, Field, $"line {Position} ({Shown(Line.Extension)}) left out: {Reason}");

    // The SIP user may be the refused value: never let it break a log line.
    private static string Shown(string extension) =>
        extension.Length == 0 ? "no SIP user" : string.Concat(extension.Select(c => c is < ' ' or >= (char)0x7F ? '?' : c));
}

/// <summary>One rendered file, by the exact name the phone requests.</summary>
public sealed record RenderedFile(string Name, FileScope Scope, byte[] Content);

/// <summary>A single rendered file with the warnings it produced.</summary>
public sealed record FileRenderResult(RenderedFile File, IReadOnlyList<RenderWarning> Warnings)
{
    /// <summary>
    /// Why the admin's override template could not make the file (<c>file, line L, column C: …</c>), or null.
    /// The file is then not to be served: the phone keeps what it had (<see cref="PhoneFileSet"/>).
    /// </summary>
    public string? TemplateError { get; init; }
}

/// <summary>
/// All files one phone's family needs, or the reasons they cannot be rendered (an unusable Asterisk
/// address, more lines than buttons…). Lines the family's file cannot carry are not errors: they are
/// left out (<see cref="LeftOut"/>, each also a warning) and the files carry the others.
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

    /// <summary>
    /// Lines left out because the family's file cannot carry them, in binding order; each is also in
    /// <see cref="Warnings"/>. The files carry the other lines, in binding order from button 1.
    /// </summary>
    public IReadOnlyList<LeftOutLine> LeftOut { get; init; } = [];

    /// <summary>
    /// True when every line was left out: nothing is rendered for the phone (no files, no errors). A host
    /// treats it as a phone with no line (it is served what an unbound phone gets), not as a failure.
    /// </summary>
    public bool CarriesNoLine { get; init; }

    public static PhoneRenderResult Failed(IReadOnlyList<string> errors) => new([], [], errors, null, null);

    /// <summary>The file named exactly <paramref name="name"/>, or null.</summary>
    public RenderedFile? Find(string name) => Files.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
}
