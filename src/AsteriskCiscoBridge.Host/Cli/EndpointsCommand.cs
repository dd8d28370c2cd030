using System.Collections.Immutable;
using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary><c>acb endpoints [--json] [--show-secrets] [--config FILE]</c>: PJSIP endpoints as read from Asterisk, with what the bridge derives.</summary>
internal static partial class EndpointsCommand
{
    private const string Masked = "********";

    private static readonly EndpointsJson Json = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON (stable, documented in docs) instead of a table." };
        var showSecrets = new Option<bool>("--show-secrets") { Description = "Print SIP passwords in clear (masked by default)." };
        var config = new Option<FileInfo?>("--config") { Description = "Configuration file (default " + AcbConfiguration.DefaultFile + " when present)." };
        var command = new Command("endpoints", "PJSIP endpoints as read from Asterisk over AMI, with what the bridge derives.") { json, showSecrets, config };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(config),
            parse.GetValue(json),
            parse.GetValue(showSecrets),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            ct));
        return command;
    }

    internal static async Task<int> RunAsync(FileInfo? configFile, bool json, bool showSecrets, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        AmiOptions? options;
        string? problem;
        try
        {
            options = AmiOptions.Bind(AcbConfiguration.Build(configFile?.FullName), out problem);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or InvalidOperationException)
        {
            options = null;
            problem = "cannot read the configuration: " + ex.Message;
        }

        if (options is null)
        {
            await error.WriteLineAsync("acb endpoints: " + problem);
            return 2;
        }

        PjsipSnapshotResult result;
        try
        {
            await using var connection = await AmiConnection.ConnectAsync(options.ToConnectionOptions(), TimeProvider.System, null, cancellationToken);
            await connection.LoginAsync(cancellationToken);
            result = await new PjsipSnapshotReader(connection, TimeProvider.System).ReadAsync(cancellationToken);
            await connection.LogoffAsync(cancellationToken);
        }
        catch (AmiException ex)
        {
            await error.WriteLineAsync($"acb endpoints: AMI {options.Host}:{options.Port}: {ex.Message}");
            return 1;
        }

        if (result.Snapshot is not { } snapshot)
        {
            await error.WriteLineAsync("acb endpoints: " + result.Failure);
            return 1;
        }

        // What the service makes of them: the inventory over these endpoints and the bridge's own bindings
        // (when its store exists; this verb creates none).
        var inventory = await InventoryAsync(configFile, snapshot, cancellationToken);
        var phonesOf = inventory.Phones
            .SelectMany(p => p.Lines.Select((l, i) => (l.Endpoint, Phone: new EndpointPhone(p.Mac.Value, i + 1, l.IsServed, l.Problem))))
            .GroupBy(x => x.Endpoint, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Phone).ToArray(), StringComparer.Ordinal);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(ToJson(snapshot, showSecrets, phonesOf), Json.EndpointsView));
        }
        else
        {
            await WriteTableAsync(output, snapshot, showSecrets, phonesOf);
        }

        return 0;
    }

    /// <summary>A phone an endpoint is a line of: its MAC, the line's place on it, whether it is served and why not.</summary>
    private sealed record EndpointPhone(string Mac, int Line, bool Served, string? Problem);

    private static async Task<PhoneInventory> InventoryAsync(FileInfo? configFile, PjsipSnapshot snapshot, CancellationToken cancellationToken)
    {
        var endpoints = InventoryReading.EndpointsOf(snapshot);
        var settings = SiteConfiguration.From(AcbConfiguration.Build(configFile?.FullName));
        if (!File.Exists(Path.GetFullPath(settings.Storage.Database)))
        {
            return PhoneInventory.Build(endpoints, [], []);
        }

        var factory = new SqliteConnectionFactory(settings.Storage);
        await factory.MigrateAsync(cancellationToken);
        return await new PhoneStore(factory).InventoryAsync(endpoints, cancellationToken);
    }

    private static EndpointsView ToJson(PjsipSnapshot snapshot, bool showSecrets, Dictionary<string, EndpointPhone[]> phonesOf)
    {
        var macs = InventoryReading.MacBindingsOf(snapshot);
        return new EndpointsView(
            snapshot.TakenAt,
            [.. snapshot.Endpoints.Select(e => new EndpointView(
                e.Name,
                e.Aor,
                e.Aors,
                e.Transport,
                e.CallerIdName,
                e.CallerIdNumber,
                e.Auth is null ? null : new AuthView(e.Auth.Name, e.Auth.Username, e.Auth.AuthType, e.Auth.Password is null ? null : showSecrets ? e.Auth.Password : Masked),
                e.IsProvisionable,
                e.NotProvisionableReason,
                [.. macs.Of(e.Name).Select(m => new MacView(m.Mac.Value, m.Source == LineSource.Phoneprov ? "phoneprov" : "set_var", m.Origin))],
                [.. e.Contacts.Select(c => new ContactView(c.Aor, c.Uri, c.UserAgent, c.CallId, c.Status))],
                [.. e.SetVars.Select(v => new SetVarView(v.Key, v.Value))],
                e.DeviceState,
                phonesOf.GetValueOrDefault(e.Name) ?? [],
                macs.ProblemsOf(e.Name).AddRange(e.Problems)))],
            macs.Problems.AddRange(snapshot.Problems));
    }

    // The --json shape, a stable contract: named records so that the serializer is generated, members in the order printed.
    private sealed record EndpointsView(DateTimeOffset TakenAt, EndpointView[] Endpoints, ImmutableArray<string> Problems);

    private sealed record EndpointView(
        string Name, string Line, ImmutableArray<string> Aors, string Transport, string CallerIdName, string CallerIdNumber, AuthView? Auth,
        bool Provisionable, string? NotProvisionableReason, MacView[] Macs, ContactView[] Contacts, SetVarView[] SetVars, string DeviceState,
        EndpointPhone[] Phones, ImmutableArray<string> Problems);

    private sealed record AuthView(string Name, string Username, string AuthType, string? Password);

    private sealed record MacView(string Mac, string Source, string Origin);

    private sealed record ContactView(string Aor, string Uri, string? UserAgent, string? CallId, string? Status);

    private sealed record SetVarView(string Name, string Value);

    [JsonSerializable(typeof(EndpointsView))]
    private sealed partial class EndpointsJson : JsonSerializerContext;

    private static async Task WriteTableAsync(TextWriter output, PjsipSnapshot snapshot, bool showSecrets, Dictionary<string, EndpointPhone[]> phonesOf)
    {
        var macs = InventoryReading.MacBindingsOf(snapshot);
        string[] header = ["ENDPOINT", "LINE", "AUTH USER", "PASSWORD", "CALLER ID", "MACS", "PHONES (LINE)", "CONTACTS", "PROVISIONABLE"];
        var rows = snapshot.Endpoints.Select(e => new[]
        {
            e.Name,
            e.Aor,
            e.Auth?.Username ?? "-",
            e.Auth is null ? "-" : e.Auth.Password is null ? "(" + e.Auth.AuthType + ")" : showSecrets ? e.Auth.Password : Masked,
            e.CallerIdName.Length > 0 ? $"{e.CallerIdName} <{e.CallerIdNumber}>" : e.CallerIdNumber,
            macs.Of(e.Name) is { Length: > 0 } bound ? string.Join(",", bound.Select(m => m.Mac.Value + (m.Source == LineSource.Phoneprov ? "(phoneprov)" : "(" + m.Origin + ")"))) : "-",
            phonesOf.GetValueOrDefault(e.Name) is { Length: > 0 } on ? string.Join(",", on.Select(p => $"{p.Mac}({p.Line}{(p.Served ? string.Empty : ", not served")})")) : "-",
            e.Contacts.Length == 0 ? "-" : string.Join(",", e.Contacts.Select(c => c.Uri + (c.UserAgent is null ? string.Empty : " [" + c.UserAgent + "]"))),
            e.IsProvisionable ? "yes" : "no: " + e.NotProvisionableReason,
        }).ToList();
        var widths = header.Select((h, i) => Math.Min(48, rows.Select(r => r[i].Length).Append(h.Length).Max())).ToArray();
        await output.WriteLineAsync(Row(header, widths));
        foreach (var row in rows)
        {
            await output.WriteLineAsync(Row(row, widths));
        }

        foreach (var e in snapshot.Endpoints)
        {
            foreach (var p in macs.ProblemsOf(e.Name).AddRange(e.Problems))
            {
                await output.WriteLineAsync($"warning: {e.Name}: {p}");
            }
        }

        foreach (var p in macs.Problems.AddRange(snapshot.Problems))
        {
            await output.WriteLineAsync("warning: " + p);
        }

        var lines = phonesOf.Values.SelectMany(p => p).ToArray();
        await output.WriteLineAsync($"{snapshot.Endpoints.Length} endpoints, {snapshot.Endpoints.Count(e => e.IsProvisionable)} provisionable, read in {snapshot.ActionCount} AMI actions; {lines.Select(l => l.Mac).Distinct(StringComparer.Ordinal).Count()} phones, {lines.Count(l => l.Served)} lines served");
    }

    private static string Row(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
