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

    public FakeTimeProvider Time { get; } = new();

    public string DatabasePath => Path.Combine(Folder, "data", "acb.db");

    public string FirmwareFolder => Path.Combine(Folder, "firmware");

    public async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand { BindCommand.Create(Time), UnbindCommand.Create(Time), PhonesCommand.Create(), RenderCommand.Create(Time), ResyncCommand.Create(), PinCommand.Create(Time), UnpinCommand.Create(Time) };
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exit = await root.Parse([.. args, "--config", ConfigFile]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
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
