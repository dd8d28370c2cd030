using AsteriskCiscoBridge.Testing.Support;
using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Host.Tests;

/// <summary>
/// The README runs the service with <c>dotnet run --project src/AsteriskCiscoBridge.Host … -- run</c>
/// and the CLI with <c>dotnet src/AsteriskCiscoBridge.Host/bin/…/acb.dll …</c>, both from the same
/// folder: both must use that folder's <c>data/</c>. The Web SDK starts <c>dotnet run</c> programs in
/// the project's folder unless the project says otherwise (AsteriskCiscoBridge.Host.csproj).
/// </summary>
public sealed class DotnetRunTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly string Project = Path.Combine(RepositoryPaths.Root, "src", "AsteriskCiscoBridge.Host");
    private static readonly string BuiltAcb = Path.Combine(Project, "bin", Configuration, "net10.0", "acb.dll");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dotnet_run_and_the_built_acb_share_the_data_folder_of_the_directory_they_start_in()
    {
        using var folder = new TempDirectory("acb-cwd");
        Directory.CreateDirectory(Path.Combine(folder.Path, "data", "firmware"));
        var environment = new Dictionary<string, string?>();

        // dotnet run, as the README starts the service: the store and the firmware folder it uses.
        var bind = await ProcessRunner.RunAsync("dotnet", ["run", "--project", Project, "--no-build", "-c", Configuration, "--", "bind", "0011.2233.44aa", "6001", "--model", "7960"], environment, folder.Path, TimeSpan.FromSeconds(120), Ct);
        var firmware = await ProcessRunner.RunAsync("dotnet", ["run", "--project", Project, "--no-build", "-c", Configuration, "--", "firmware", "list", "--json"], environment, folder.Path, TimeSpan.FromSeconds(120), Ct);
        // The built acb, as the README runs the CLI, from the same folder.
        var phones = await ProcessRunner.RunAsync("dotnet", [BuiltAcb, "phones", "--json"], environment, folder.Path, TimeSpan.FromSeconds(60), Ct);
        SqliteConnection.ClearAllPools();

        Assert.True(bind.ExitCode == 0, bind.StandardError);
        Assert.True(File.Exists(Path.Combine(folder.Path, "data", "acb.db")), "the store is not under the folder dotnet run was started from");
        Assert.True(firmware.ExitCode == 0, firmware.StandardError);
        Assert.Contains($"\"directory\": \"{Path.Combine(folder.Path, "data", "firmware")}\"", firmware.StandardOutput, StringComparison.Ordinal);
        Assert.True(phones.ExitCode == 0, phones.StandardError);
        Assert.Contains("0011223344AA", phones.StandardOutput, StringComparison.Ordinal);
    }
}
