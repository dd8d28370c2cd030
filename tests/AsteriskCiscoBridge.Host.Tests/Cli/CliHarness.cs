using System.CommandLine;
using System.Text.Json;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Testing.Time;
using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Host.Tests.Cli;

/// <summary>
/// Runs the store verbs in-process against a real SQLite file in a temp folder, configured through
/// a <c>--config</c> file, with output captured and time from a fake clock.
/// </summary>
internal sealed class CliHarness : IDisposable
{
    public CliHarness(object? site = null, object? ami = null, IReadOnlyDictionary<string, string>? firmwareDefaults = null)
    {
        Folder = Directory.CreateTempSubdirectory("acb-cli-").FullName;
        ConfigFile = Path.Combine(Folder, "acb.json");
        File.WriteAllText(ConfigFile, JsonSerializer.Serialize(new
        {
            Storage = new { Database = Path.Combine(Folder, "data", "acb.db") },
            Site = site ?? new { AsteriskHost = "192.0.2.10" },
            Ami = ami,
            Resync = new { Interval = "00:00:00" },
            Firmware = new { Directory = Path.Combine(Folder, "firmware"), Defaults = firmwareDefaults ?? new Dictionary<string, string>() },
        }));
    }

    public string Folder { get; }

    public string ConfigFile { get; }

    public CountingTimeProvider Time { get; } = new();

    public string DatabasePath => Path.Combine(Folder, "data", "acb.db");

    public string FirmwareFolder => Path.Combine(Folder, "firmware");

    public async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exit = await InvokeAsync(output, error, TestContext.Current.CancellationToken, args);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs a verb with the caller's writers and token (for verbs that run until cancelled, like <c>acb log --follow</c>).</summary>
    public Task<int> InvokeAsync(TextWriter output, TextWriter error, CancellationToken cancellationToken, params string[] args)
    {
        var root = new RootCommand { BindCommand.Create(Time), UnbindCommand.Create(Time), PhonesCommand.Create(), RenderCommand.Create(Time), ResyncCommand.Create(), PinCommand.Create(Time), UnpinCommand.Create(Time), LogCommand.Create(Time), SyncCommand.Create(Time) };
        return root.Parse([.. args, "--config", ConfigFile]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    public string WriteLineData(string json)
    {
        var path = Path.Combine(Folder, $"lines-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
