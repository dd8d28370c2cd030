using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AsteriskCiscoBridge.Firmware;
using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Services.Firmware;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Configuration;

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
        import.SetAction((parse, ct) => RunAsync(parse, config, directory, create: true, async (dir, configuration) =>
            await ImportAsync(dir, parse.GetValue(paths)!, Console.Out, Console.Error, ct, await OpenStoreAsync(configuration, create: true, ct))));

        var json = new Option<bool>("--json") { Description = "Machine-readable output (a stable shape: directory, loads[], termDefaults[]; see README)." };
        var list = new Command("list", "Loads in the firmware folder: family, protocol, files present and missing.") { json };
        list.SetAction((parse, ct) => RunAsync(parse, config, directory, create: false, async (dir, configuration) =>
            await ListAsync(dir, parse.GetValue(json), Console.Out, ct, await OpenStoreAsync(configuration, create: false, ct))));

        var verify = new Command("verify", "Check that every load's files are present and readable, and each configured default load is complete; exits 1 when one is not.");
        verify.SetAction((parse, ct) => RunAsync(parse, config, directory, create: false, (dir, configuration) =>
            VerifyAsync(dir, Console.Out, Console.Error, ct, SiteConfiguration.From(configuration).Firmware)));

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
        return FirmwareFolder.DirectoryOf(configuration["Firmware:Directory"]);
    }

    /// <summary>
    /// The store's catalog when the database is there (created for <c>import</c>, which records what it
    /// brought; <c>list</c> only reads where each load came from).
    /// </summary>
    internal static async Task<FirmwareStore?> OpenStoreAsync(IConfiguration configuration, bool create, CancellationToken cancellationToken)
    {
        var factory = new SqliteConnectionFactory(SiteConfiguration.From(configuration).Storage);
        if (!create && !File.Exists(factory.DatabasePath))
        {
            return null;
        }

        await factory.MigrateAsync(cancellationToken);
        return new FirmwareStore(factory);
    }

    internal static async Task<int> ImportAsync(string directory, IReadOnlyList<string> paths, TextWriter output, TextWriter error, CancellationToken cancellationToken, FirmwareStore? store = null, TimeProvider? time = null, TerminalProgress? progress = null)
    {
        progress ??= TerminalProgress.For(output);
        var results = progress is null
            ? await new FirmwareImporter(directory).ImportAsync(paths, cancellationToken)
            : await progress.RunAsync("unpacking", show => new FirmwareImporter(directory, progress: new ImportShown(show)).ImportAsync(paths, cancellationToken));
        if (store is not null)
        {
            // The folder is the truth for the bytes: record what it now holds, and where each new load came from.
            var catalog = await FirmwareFolder.ScanAsync(directory, cancellationToken);
            await store.RecordScanAsync(catalog, PackageImportResult.Origins(results), (time ?? TimeProvider.System).GetUtcNow(), cancellationToken);
        }

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

    internal static async Task<int> ListAsync(string directory, bool json, TextWriter output, CancellationToken cancellationToken, FirmwareStore? store = null)
    {
        var catalog = await FirmwareFolder.ScanAsync(directory, cancellationToken);
        var traps = TermDefaultTrap.Find(catalog);
        if (json)
        {
            var stored = store is null ? [] : await store.LoadsAsync(cancellationToken);
            await output.WriteLineAsync(ToJson(directory, catalog, traps, stored));
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

    internal static async Task<int> VerifyAsync(string directory, TextWriter output, TextWriter error, CancellationToken cancellationToken, SiteLoadDefaults? defaults = null)
    {
        var catalog = await FirmwareFolder.ScanAsync(directory, cancellationToken);
        var bad = 0;
        foreach (var problem in defaults?.Problems ?? [])
        {
            bad++;
            await error.WriteLineAsync($"acb firmware verify: {problem}");
        }

        foreach (var (model, load) in defaults?.ByModel ?? [])
        {
            var entry = catalog.Find(load);
            if (entry is null || !entry.IsComplete)
            {
                bad++;
                await error.WriteLineAsync($"acb firmware verify: the default load of the {model}, {load}, {(entry is null ? "is not in the folder" : "is incomplete: " + entry.Explain())}; it is not offered");
            }
        }

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

    private static async Task<int> RunAsync(ParseResult parse, Option<string?> config, Option<string?> directoryOption, bool create, Func<string, IConfiguration, Task<int>> action)
    {
        var verb = "acb firmware " + parse.CommandResult.Command.Name;
        string directory;
        IConfiguration configuration;
        try
        {
            configuration = AcbConfiguration.Build(parse.GetValue(config));
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
            return await action(directory, configuration);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"{verb}: {e.Message}");
            return 1;
        }
    }

    internal static string ToJson(string directory, FirmwareCatalog catalog, IReadOnlyList<TermDefaultFinding> traps, IReadOnlyList<StoredLoad>? stored = null)
    {
        var origins = (stored ?? []).ToDictionary(s => s.Load.Name, StringComparer.OrdinalIgnoreCase);
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
                var origin = origins.GetValueOrDefault(load.Name);
                WriteNullable(json, "package", origin?.Package);
                WriteNullable(json, "importedAt", origin?.ImportedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
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

    /// <summary>Puts each report on the terminal line at once (<see cref="Progress{T}"/> would post it to the thread pool, out of order).</summary>
    private sealed class ImportShown(Action<string> show) : IProgress<FirmwareImportProgress>
    {
        public void Report(FirmwareImportProgress value) =>
            show($"{Path.GetFileName(value.Package)}: {value.Files} file{(value.Files == 1 ? string.Empty : "s")}, {TerminalProgress.Size(value.Bytes)} unpacked");
    }
}
