using Spectre.Console;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary>
/// A live line on the admin's terminal while long work runs (Spectre.Console's status display):
/// only when the command writes to the process's own stdout and that is a terminal, so a pipe, a
/// file, a script or <c>--json</c> get exactly the lines they always got. The display is cleared
/// when the work ends; the command then prints its result as usual.
/// </summary>
internal sealed class TerminalProgress
{
    private readonly IAnsiConsole _console;

    public TerminalProgress(IAnsiConsole console) => _console = console;

    /// <summary>The display for <paramref name="output"/>, or null when that is not an interactive terminal.</summary>
    public static TerminalProgress? For(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive
            ? new TerminalProgress(AnsiConsole.Console)
            : null;

    /// <summary>Runs <paramref name="work"/> with a spinner and a line of text the work sets as it goes.</summary>
    public async Task<T> RunAsync<T>(string first, Func<Action<string>, Task<T>> work) =>
        await _console.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(first), async context =>
            await work(text =>
            {
                context.Status(Markup.Escape(text));
                context.Refresh();
            }));

    /// <summary>"12.5 MB" (decimal units, one decimal), for bytes as they unpack.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1_000 => $"{bytes} B",
        < 1_000_000 => $"{bytes / 1_000.0:0.0} kB",
        < 1_000_000_000 => $"{bytes / 1_000_000.0:0.0} MB",
        _ => $"{bytes / 1_000_000_000.0:0.0} GB",
    };
}
