using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Testing.Support;
using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Host.Tests.Cli;

/// <summary>
/// <c>acb run</c> started as an admin starts it (the program itself, see <see cref="AcbProgram"/>; a configuration file,
/// <c>ACB_</c> variables) against a really busy loopback port or a bad store: one line on stderr
/// naming the address or path and the fix, a non-zero exit, no stack trace anywhere.
/// </summary>
[Trait(AcbProgram.Trait, AcbProgram.Acb)]
public sealed class RunCommandStartupTests : IDisposable
{
    private readonly TempDirectory _folder = new("acb-run");

    public RunCommandStartupTests()
    {
        File.WriteAllText(ConfigFile, JsonSerializer.Serialize(new
        {
            Storage = new { Database = Path.Combine(_folder.Path, "data", "acb.db") },
            Firmware = new { Directory = Path.Combine(_folder.Path, "data", "firmware") },
            Tftp = new { Listen = new[] { "127.0.0.1:0" } },
            Http = new { Listen = new[] { "127.0.0.1:0" } },
            Dashboard = new { Listen = "127.0.0.1:0" },
        }));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string ConfigFile => Path.Combine(_folder.Path, "acb.json");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private Task<ProcessResult> RunAcbAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        AcbProgram.RunAsync(["run", "--config", ConfigFile, .. arguments], environment, _folder.Path, TimeSpan.FromSeconds(60), Ct);

    private static void AssertOneLine(ProcessResult result, int exitCode, string line)
    {
        Assert.Equal(line + "\n", result.StandardError);
        Assert.Equal(exitCode, result.ExitCode);
        Assert.DoesNotContain("Exception", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_busy_http_port_given_as_one_address_in_acb_http_listen_is_one_line()
    {
        // The issue's case: ACB_Http__Listen=ADDR:PORT (one value, as DESIGN shows) was ignored for 0.0.0.0:6970.
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;

        var result = await RunAcbAsync(new Dictionary<string, string?> { ["ACB_Http__Listen"] = $"127.0.0.1:{port}" });

        AssertOneLine(result, 1, $"acb run: cannot listen on 127.0.0.1:{port} (HTTP): address in use; stop the other service or set Http:Listen");
    }

    [Fact]
    public async Task A_busy_tftp_port_from_the_command_line_is_one_line()
    {
        using var busy = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        busy.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)busy.LocalEndPoint!).Port;

        var result = await RunAcbAsync(new Dictionary<string, string?>(), "--tftp-listen", $"127.0.0.1:{port}");

        AssertOneLine(result, 1, $"acb run: cannot listen on 127.0.0.1:{port} (TFTP): address in use; stop the other service or set Tftp:Listen");
    }

    [Fact]
    public async Task A_busy_dashboard_port_in_the_list_form_is_one_line()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;

        var result = await RunAcbAsync(new Dictionary<string, string?> { ["ACB_Dashboard__Listen__0"] = $"127.0.0.1:{port}" });

        AssertOneLine(result, 1, $"acb run: cannot listen on 127.0.0.1:{port} (dashboard): address in use; stop the other service or set Dashboard:Listen");
    }

    [Fact]
    public async Task An_unknown_key_stops_the_service_before_it_starts()
    {
        var result = await RunAcbAsync(new Dictionary<string, string?> { ["ACB_Tftp__Listne"] = "0.0.0.0:69" });

        AssertOneLine(result, 2, "acb run: unknown key Tftp:Listne (did you mean Tftp:Listen?)");
    }

    [Fact]
    public async Task A_database_that_is_not_sqlite_is_one_line_in_process()
    {
        var database = _folder.Write(Path.Combine("data", "acb.db"), new string('x', 4096));
        var error = new StringWriter { NewLine = "\n" };

        var exit = await RunCommand.RunAsync(ConfigFile, new Dictionary<string, string?>(), error, Ct);

        Assert.Equal((1, $"acb run: the database {database} is not an SQLite database or is damaged; move it aside (acb makes a new one) or set Storage:Database\n"), (exit, error.ToString()));
    }

    [Fact]
    public async Task A_database_folder_that_cannot_be_made_is_one_line_in_process()
    {
        var file = _folder.Write("not-a-folder", "x");
        var error = new StringWriter { NewLine = "\n" };

        var exit = await RunCommand.RunAsync(ConfigFile, new Dictionary<string, string?> { ["Storage:Database"] = Path.Combine(file, "acb.db") }, error, Ct);

        Assert.Equal(1, exit);
        Assert.StartsWith($"acb run: cannot create the database folder {file}: ", error.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("; set Storage:Database\n", error.ToString(), StringComparison.Ordinal);
        Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_value_of_the_wrong_kind_is_one_line_in_process()
    {
        var error = new StringWriter { NewLine = "\n" };

        var exit = await RunCommand.RunAsync(ConfigFile, new Dictionary<string, string?> { ["Resync:Interval"] = "abc" }, error, Ct);

        Assert.Equal((2, "acb run: Resync:Interval 'abc' is not a time span (hh:mm:ss, e.g. 00:00:30)\n"), (exit, error.ToString()));
    }

    [Fact]
    public async Task A_version_stamp_count_for_no_series_is_one_line_in_process()
    {
        var error = new StringWriter { NewLine = "\n" };

        var exit = await RunCommand.RunAsync(ConfigFile, new Dictionary<string, string?> { ["Resync:VersionStamps:8800"] = "3" }, error, Ct);

        Assert.Equal((2, "acb run: Resync:VersionStamps:8800: not a series that takes service-control (79x1, 78xx, 88xx, 89xx, 99xx, 69xx)\n"), (exit, error.ToString()));
    }

    [Fact]
    public async Task A_firmware_folder_that_cannot_be_made_is_one_line_in_process()
    {
        var file = _folder.Write("not-a-folder", "x");
        var error = new StringWriter { NewLine = "\n" };

        var exit = await RunCommand.RunAsync(ConfigFile, new Dictionary<string, string?> { ["Firmware:Directory"] = Path.Combine(file, "firmware") }, error, Ct);

        Assert.Equal(1, exit);
        Assert.StartsWith($"acb run: cannot create the firmware folder {Path.Combine(file, "firmware")}: ", error.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("; set Firmware:Directory\n", error.ToString(), StringComparison.Ordinal);
    }
}
