using System.Text.Json;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Testing.Firmware;
using AsteriskCiscoBridge.Testing.Support;
using Spectre.Console;

namespace AsteriskCiscoBridge.Host.Tests.Cli;

[Trait(AcbProgram.Trait, AcbProgram.Acb)]
public sealed class FirmwareCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("acb-fwcli");

    private string Folder => Path.Combine(_temp.Path, "firmware");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task List_shows_each_load_with_family_protocol_and_missing_files()
    {
        await ImportAsync(SyntheticFirmware.Java("SIP41.9-4-2SR3-1S"), SyntheticFirmware.Classic("P0S3-08-12-00"));
        File.Delete(Path.Combine(Folder, "dsp41.9-4-2SR3-1S.sbn"));
        var output = new StringWriter();

        Assert.Equal(0, await FirmwareCommand.ListAsync(Folder, json: false, output, Ct));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^LOAD\s+FAMILY\s+PROTOCOL\s+VERSION\s+STATE\s+FILES\s+MISSING$", lines[0]);
        Assert.Matches(@"^P0S3-08-12-00\s+7940/7960\s+SIP\s+8\.12\(0\)\s+complete\s+3/3$", lines[1]);
        Assert.Matches(@"^SIP41\.9-4-2SR3-1S\s+7941/7961\s+SIP\s+9\.4\(2\)SR3-1\s+INCOMPLETE\s+5/6\s+missing dsp41\.9-4-2SR3-1S\.sbn$", lines[2]);
        Assert.Contains("term41.default.loads: default load of the 7941, SIP SIP41.9-4-2SR3-1S", lines);
        Assert.Contains(lines, l => l.StartsWith("warning: term41.default.loads lists files the folder lacks (dsp41.9-4-2SR3-1S.sbn)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_json_has_a_stable_shape_and_flags_the_sccp_term_trap()
    {
        await ImportAsync(SyntheticFirmware.Java("SCCP42.9-4-2SR3-1S"));
        var output = new StringWriter();

        Assert.Equal(0, await FirmwareCommand.ListAsync(Folder, json: true, output, Ct));

        using var json = JsonDocument.Parse(output.ToString());
        var root = json.RootElement;
        Assert.Equal(Folder, root.GetProperty("directory").GetString());
        var load = Assert.Single(root.GetProperty("loads").EnumerateArray());
        Assert.Equal("SCCP42.9-4-2SR3-1S", load.GetProperty("load").GetString());
        Assert.Equal("7942/7962", load.GetProperty("family").GetString());
        Assert.Equal("sccp", load.GetProperty("protocol").GetString());
        Assert.Equal("9.4(2)SR3-1", load.GetProperty("version").GetString());
        Assert.True(load.GetProperty("complete").GetBoolean());
        Assert.Equal(6, load.GetProperty("files").GetArrayLength());
        Assert.Equal(0, load.GetProperty("missing").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, load.GetProperty("problem").ValueKind);
        var terms = root.GetProperty("termDefaults").EnumerateArray().ToList();
        Assert.Equal([7942, 7962], terms.Select(t => t.GetProperty("model").GetInt32()));
        Assert.All(terms, t => Assert.Contains("converted away from SIP", t.GetProperty("warning").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_passes_a_complete_folder_and_fails_an_incomplete_one()
    {
        await ImportAsync(SyntheticFirmware.Classic("P0S3-08-12-00"));
        var ok = new StringWriter();
        Assert.Equal(0, await FirmwareCommand.VerifyAsync(Folder, ok, new StringWriter(), Ct));
        Assert.Equal("ok P0S3-08-12-00 (3 files)", ok.ToString().Trim());

        File.Delete(Path.Combine(Folder, "P0S3-08-12-00.sb2"));
        var error = new StringWriter();

        Assert.Equal(1, await FirmwareCommand.VerifyAsync(Folder, new StringWriter(), error, Ct));
        Assert.Equal("acb firmware verify: P0S3-08-12-00: missing P0S3-08-12-00.sb2", error.ToString().Trim());
    }

    [Fact]
    public async Task Verify_fails_on_a_descriptor_it_cannot_read()
    {
        Directory.CreateDirectory(Folder);
        await File.WriteAllTextAsync(Path.Combine(Folder, "SIP41.9-4-2SR3-1S.loads"), "not a descriptor", Ct);
        var error = new StringWriter();

        Assert.Equal(1, await FirmwareCommand.VerifyAsync(Folder, new StringWriter(), error, Ct));
        Assert.Contains("names no component files", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_prints_what_it_did_and_fails_when_one_package_is_refused()
    {
        var good = _temp.Write("good.zip", SyntheticFirmware.Zip(SyntheticFirmware.Entries(SyntheticFirmware.Classic("P0S3-08-12-00"))));
        var bad = _temp.Write("bad.tar", SyntheticFirmware.Tar([ArchiveEntry.File("../x.sbn", [1])]));
        var output = new StringWriter();
        var error = new StringWriter();

        Assert.Equal(1, await FirmwareCommand.ImportAsync(Folder, [good, bad], output, error, Ct));

        Assert.Equal($"{good}: imported 4 files; loads P0S3-08-12-00", output.ToString().Trim());
        Assert.Equal($"acb firmware import: {bad}: entry '../x.sbn' leaves the folder (..); nothing imported", error.ToString().Trim());
    }

    [Fact]
    public async Task Import_on_a_terminal_shows_files_and_bytes_as_it_goes_and_prints_the_same_lines()
    {
        var good = _temp.Write("good.zip", SyntheticFirmware.Zip(SyntheticFirmware.Entries(SyntheticFirmware.Java("SIP41.9-4-2SR3-1S", imageSize: 2_500_000))));
        var screen = new StringWriter();
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(screen),
        });
        var output = new StringWriter();

        Assert.Equal(0, await FirmwareCommand.ImportAsync(Folder, [good], output, TextWriter.Null, Ct, progress: new TerminalProgress(terminal)));

        Assert.Contains("good.zip: 1 file, ", screen.ToString(), StringComparison.Ordinal);
        Assert.Contains(" MB unpacked", screen.ToString(), StringComparison.Ordinal);
        Assert.Matches(@"good\.zip: [0-9]+ files, [0-9.]+ MB unpacked", screen.ToString());
        Assert.StartsWith($"{good}: imported ", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("unpacked", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Output_that_is_not_the_terminal_gets_no_progress()
    {
        Assert.Null(TerminalProgress.For(new StringWriter()));
        Assert.Null(TerminalProgress.For(TextWriter.Null));
    }

    [Fact]
    public void ResolveDirectory_reads_the_configuration_and_the_flag_wins()
    {
        var config = _temp.Write("acb.json", """{ "Firmware": { "Directory": "/srv/acb/firmware" } }""");

        Assert.Equal("/srv/acb/firmware", FirmwareCommand.ResolveDirectory(config, null));
        Assert.Equal("/tmp/other", FirmwareCommand.ResolveDirectory(config, "/tmp/other"));
    }

    [Fact]
    public async Task Acb_firmware_verbs_run_from_the_command_line_with_the_folder_from_the_environment()
    {
        var package = _temp.Write("cmterm-7941_7961-sip.9-4-2SR3-1.cop.sgn", SyntheticFirmware.CopSgn(SyntheticFirmware.Entries(SyntheticFirmware.Java("SIP41.9-4-2SR3-1S"))));
        var env = new Dictionary<string, string?> { ["ACB_Firmware__Directory"] = Folder };

        var import = await AcbProgram.RunAsync(["firmware", "import", package], env, null, TimeSpan.FromSeconds(60), Ct);
        Assert.True(import.ExitCode == 0, import.StandardError);
        Assert.Contains("imported 8 files; loads SIP41.9-4-2SR3-1S", import.StandardOutput, StringComparison.Ordinal);

        File.Delete(Path.Combine(Folder, "cnu41.9-4-2SR3-1S.sbn"));
        var verify = await AcbProgram.RunAsync(["firmware", "verify"], env, null, TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(1, verify.ExitCode);
        Assert.Equal("acb firmware verify: SIP41.9-4-2SR3-1S: missing cnu41.9-4-2SR3-1S.sbn", verify.StandardError.Trim());
    }

    [Fact]
    public async Task Acb_firmware_list_fails_with_one_line_when_the_folder_is_missing()
    {
        var result = await AcbProgram.RunAsync(["firmware", "list", "--directory", "/nonexistent/acb-fw"], TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("acb firmware list: firmware folder '/nonexistent/acb-fw' does not exist (set Firmware:Directory or --directory)", result.StandardError.Trim());
    }

    private async Task ImportAsync(params SyntheticLoad[] loads)
    {
        foreach (var load in loads)
        {
            var package = _temp.Write(load.Name + ".zip", SyntheticFirmware.Zip(SyntheticFirmware.Entries(load)));
            Assert.Equal(0, await FirmwareCommand.ImportAsync(Folder, [package], TextWriter.Null, TextWriter.Null, Ct));
        }
    }
}
