using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Host.Firmware;
using AsteriskCiscoBridge.Provisioning.Firmware;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary><c>acb firmware import PATH…</c> / <c>list [--json]</c> / <c>verify</c>: the firmware catalog.</summary>
internal static class FirmwareCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = $"JSON configuration file (default {AcbConfiguration.DefaultFile} when present).", Recursive = true };
        var directory = new Option<string?>("--directory") { Description = "Firmware folder (overrides Firmware:Directory; default data/firmware).", Recursive = true };

        var paths = new Argument<string[]>("PATH") { Description = "Packages (.zip, .cop, .cop.sgn, .tar, .tar.gz) or loose files.", Arity = ArgumentArity.OneOrMore };
        var import = new Command("import", "Import firmware packages into the firmware folder; each imports whole or not at all.") { paths };
        import.SetAction((parse, ct) => RunAsync(parse, config, directory, create: true, dir => ImportAsync(dir, parse.GetValue(paths)!, Console.Out, Console.Error, ct)));

        var json = new Option<bool>("--json") { Description = "Machine-readable output (a stable shape: directory, loads[], termDefaults[])." };
        var list = new Command("list", "Loads in the firmware folder: family, protocol, files present and missing.") { json };
        list.SetAction((parse, ct) => RunAsync(parse, config, directory, create: false, dir => ListAsync(dir, parse.GetValue(json), Console.Out, ct)));

        var verify = new Command("verify", "Check that every load's files are present and readable; exits 1 when one is not.");
        verify.SetAction((parse, ct) => RunAsync(parse, config, directory, create: false, dir => VerifyAsync(dir, Console.Out, Console.Error, ct)));

        return new Command("firmware", "The firmware catalog.") { config, directory, import, list, verify };
    }

    /// <summary>The firmware folder from configuration (<c>Firmware:Directory</c>), the <c>--directory</c> flag winning.</summary>
    internal static string ResolveDirectory(string? configFile, string? directoryFlag)
    {
        var overrides = new Dictionary<string, string?>();
        if (directoryFlag is not null)
        {
            overrides["Firmware:Directory"] = directoryFlag;
        }

        var configuration = AcbConfiguration.Build(configFile, overrides);
        return FirmwareFolder.DirectoryOf(configuration);
    }

    internal static async Task<int> ImportAsync(string directory, IReadOnlyList<string> paths, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var results = await new FirmwareImporter(directory).ImportAsync(paths, cancellationToken);
        foreach (var result in results)
        {
            if (!result.Succeeded)
            {
                await error.WriteLineAsync($"acb firmware import: {result.Source}: {result.Error}");
                continue;
            }

            var loads = result.Loads.Count == 0 ? string.Empty : $"; loads {string.Join(", ", result.Loads)}";
            await output.WriteLineAsync($"{result.Source}: imported {result.Imported.Count} files{loads}");
            foreach (var skipped in result.Skipped)
            {
                await output.WriteLineAsync($"  skipped {skipped.Name}: {skipped.Reason}");
            }
        }

        return results.All(r => r.Succeeded) ? 0 : 1;
    }

    internal static async Task<int> ListAsync(string directory, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        var catalog = await FirmwareFolder.ScanAsync(directory, cancellationToken);
        var traps = TermDefaultTrap.Find(catalog);
        if (json)
        {
            await output.WriteLineAsync(ToJson(directory, catalog, traps));
            return 0;
        }

        if (catalog.Loads.IsEmpty)
        {
            await output.WriteLineAsync($"no loads in {directory}");
        }
        else
        {
            var rows = catalog.Loads.Select(l => new[]
            {
                l.Name,
                l.Load?.Family.Title ?? "?",
                l.Load is null ? "?" : ProtocolText(l.Load.Protocol),
                l.Load?.Version.ToString() ?? "?",
                l.IsComplete ? "complete" : "INCOMPLETE",
                $"{l.Files.Count(f => f.Present)}/{l.Files.Length}",
                l.Explain() ?? string.Empty,
            }).ToList();
            await WriteTableAsync(output, ["LOAD", "FAMILY", "PROTOCOL", "VERSION", "STATE", "FILES", "MISSING"], rows);
        }

        foreach (var term in catalog.TermDefaults)
        {
            await output.WriteLineAsync($"{term.FileName}: default load of the {term.Model.ToString(CultureInfo.InvariantCulture)}, {ProtocolText(term.Protocol)}{(term.LoadName is null ? string.Empty : " " + term.LoadName)}");
        }

        foreach (var trap in traps)
        {
            await output.WriteLineAsync($"warning: {trap.Reason}");
        }

        return 0;
    }

    internal static async Task<int> VerifyAsync(string directory, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var catalog = await FirmwareFolder.ScanAsync(directory, cancellationToken);
        var bad = 0;
        foreach (var load in catalog.Loads)
        {
            if (load.IsComplete)
            {
                await output.WriteLineAsync($"ok {load.Name} ({load.Files.Length} files)");
            }
            else
            {
                bad++;
                await error.WriteLineAsync($"acb firmware verify: {load.Name}: {load.Explain()}");
            }
        }

        foreach (var trap in TermDefaultTrap.Find(catalog))
        {
            await output.WriteLineAsync($"warning: {trap.Reason}");
        }

        if (catalog.Loads.IsEmpty)
        {
            await output.WriteLineAsync($"no loads in {directory}");
        }

        return bad == 0 ? 0 : 1;
    }

    private static async Task<int> RunAsync(ParseResult parse, Option<string?> config, Option<string?> directoryOption, bool create, Func<string, Task<int>> action)
    {
        var verb = "acb firmware " + parse.CommandResult.Command.Name;
        string directory;
        try
        {
            directory = ResolveDirectory(parse.GetValue(config), parse.GetValue(directoryOption));
        }
        catch (Exception e) when (e is FileNotFoundException or IOException or FormatException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"{verb}: {e.Message}");
            return 2;
        }

        if (!create && !Directory.Exists(directory))
        {
            await Console.Error.WriteLineAsync($"{verb}: firmware folder '{directory}' does not exist (set Firmware:Directory or --directory)");
            return 2;
        }

        try
        {
            return await action(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"{verb}: {e.Message}");
            return 1;
        }
    }

    internal static string ToJson(string directory, FirmwareCatalog catalog, IReadOnlyList<TermDefaultFinding> traps)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("directory", directory);
            json.WriteStartArray("loads");
            foreach (var load in catalog.Loads)
            {
                json.WriteStartObject();
                json.WriteString("load", load.Name);
                WriteNullable(json, "family", load.Load?.Family.Title);
                WriteNullable(json, "protocol", load.Load is null ? null : ProtocolText(load.Load.Protocol).ToLowerInvariant());
                WriteNullable(json, "version", load.Load?.Version.ToString());
                json.WriteBoolean("complete", load.IsComplete);
                WriteList(json, "files", load.Files.Where(f => f.Present).Select(f => f.Name));
                WriteList(json, "missing", load.Missing);
                WriteList(json, "unreadable", load.Unreadable);
                WriteNullable(json, "problem", load.Problem);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("termDefaults");
            foreach (var term in catalog.TermDefaults)
            {
                json.WriteStartObject();
                json.WriteString("file", term.FileName);
                json.WriteNumber("model", term.Model);
                json.WriteString("protocol", ProtocolText(term.Protocol).ToLowerInvariant());
                WriteNullable(json, "load", term.LoadName);
                WriteNullable(json, "warning", traps.FirstOrDefault(t => t.FileName == term.FileName)?.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteList(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static async Task WriteTableAsync(TextWriter output, string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            await output.WriteLineAsync(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static string ProtocolText(LoadProtocol protocol) => protocol switch
    {
        LoadProtocol.Sip => "SIP",
        LoadProtocol.Sccp => "SCCP",
        LoadProtocol.Mgcp => "MGCP",
        _ => "unknown",
    };
}
