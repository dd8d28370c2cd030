using System.Diagnostics;

namespace AsteriskCiscoBridge.Testing.Support;

/// <summary>
/// The <c>acb</c> program as a test starts it: <c>dotnet acb.dll</c> from the tests' own build, or, when
/// <c>ACB_EXECUTABLE</c> names a published native executable, that executable, so the very same tests check
/// the trimmed, natively compiled build an admin installs (<c>.ci/run</c> runs the tests marked
/// <see cref="Trait"/> that way). A test that starts the program marks its class <c>[Trait(AcbProgram.Trait, AcbProgram.Acb)]</c>.
/// </summary>
public static class AcbProgram
{
    /// <summary>The variable naming the native executable.</summary>
    public const string Variable = "ACB_EXECUTABLE";

    /// <summary>The trait of the tests that start the program (<c>dotnet test --filter Program=acb</c>).</summary>
    public const string Trait = "Program";

    /// <summary>The trait's value.</summary>
    public const string Acb = "acb";

    /// <summary>The native executable under test, or null for the build's <c>acb.dll</c>.</summary>
    public static string? Native { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>The program to start: the native executable or <c>dotnet</c>.</summary>
    public static string FileName => Native ?? "dotnet";

    /// <summary><paramref name="arguments"/> as passed to <see cref="FileName"/> (after <c>acb.dll</c> for <c>dotnet</c>).</summary>
    public static string[] Arguments(params string[] arguments) =>
        Native is null ? [Path.Combine(AppContext.BaseDirectory, "acb.dll"), .. arguments] : arguments;

    /// <summary>A start of the program with redirected output, for a test that watches it run.</summary>
    public static ProcessStartInfo StartInfo(params string[] arguments)
    {
        var info = new ProcessStartInfo(FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>Runs <c>acb ARGUMENTS</c> to its end (bounded by <paramref name="timeout"/>).</summary>
    public static Task<ProcessResult> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string? workingDirectory, TimeSpan timeout, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(FileName, Arguments([.. arguments]), environment, workingDirectory, timeout, cancellationToken);

    /// <inheritdoc cref="RunAsync(IEnumerable{string}, IReadOnlyDictionary{string, string?}, string?, TimeSpan, CancellationToken)"/>
    public static Task<ProcessResult> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken) =>
        RunAsync(arguments, new Dictionary<string, string?>(), null, timeout, cancellationToken);
}
