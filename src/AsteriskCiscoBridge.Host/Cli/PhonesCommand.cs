using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AsteriskCiscoBridge.Host.Storage;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary>
/// <c>acb phones [--json]</c>: the phones in the store with their endpoints and file versions.
/// The JSON form is an array of <c>{mac, model, endpoints, load, syncCounter, syncValue,
/// versionStamp, renderedAt, resync, loadSource, pinnedLoad, targetLoad, nextHop, loadPath, loadPlan, loadReason}</c>
/// and never holds a secret.
/// </summary>
internal static class PhonesCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Stable JSON output." };
        var config = CliStore.ConfigOption();
        var command = new Command("phones", "List phones: MAC, model, lines, file versions.") { json, config };
        command.SetAction(async (parse, ct) =>
        {
            var store = await CliStore.OpenAsync(parse, config, ct);
            var phones = await store.Phones.ListAsync(ct);
            var bindings = await store.Phones.AllBindingsAsync(ct);

            // The last resync outcome per phone (sent, fetched = proof it acted, stale = never did).
            var notifies = new NotifyLog(store.Factory);
            var resync = new Dictionary<MacAddress, string>();
            foreach (var phone in phones)
            {
                if ((await notifies.RecentAsync(phone.Mac, 1, ct)).FirstOrDefault() is { } last)
                {
                    resync[phone.Mac] = $"{last.Outcome} {last.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}";
                }
            }

            // Where each phone is on its load path, against the stored catalog (issue 6).
            var renderer = store.Renderer();
            await renderer.Loads!.RefreshAsync(ct);
            var plans = phones.ToDictionary(p => p.Mac, p => renderer.PlanOf(p));

            var rows = phones.Select(p => new PhoneView(
                p.Mac.Value,
                p.Model,
                bindings.TryGetValue(p.Mac, out var b) ? b.Select(x => x.Endpoint).ToArray() : [],
                p.Load,
                p.SyncCounter,
                p.SyncValue,
                p.VersionStamp,
                p.RenderedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                resync.GetValueOrDefault(p.Mac),
                p.LoadSource,
                p.PinnedLoad,
                plans[p.Mac]?.Target,
                plans[p.Mac]?.NextHop,
                plans[p.Mac] is { } plan ? [.. plan.Path] : [],
                plans[p.Mac] is { } described ? LoadPathText.Describe(p.Load, described, p.PinnedLoad is not null) : "-",
                plans[p.Mac]?.Reason)).ToArray();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(rows, JsonOptions));
                return 0;
            }

            var loadWidth = Math.Max(4, rows.Length == 0 ? 0 : rows.Max(r => r.LoadPlan.Length));
            await output.WriteLineAsync($"{"MAC",-12}  {"MODEL",-5}  {"SYNC",4}  {"VERSION",-36}  {"RENDERED",-20}  {"RESYNC",-28}  {"LOAD".PadRight(loadWidth)}  ENDPOINTS");
            foreach (var row in rows)
            {
                await output.WriteLineAsync($"{row.Mac,-12}  {row.Model,-5}  {row.SyncCounter,4}  {row.VersionStamp ?? row.SyncValue ?? "-",-36}  {row.RenderedAt ?? "-",-20}  {row.Resync ?? "-",-28}  {row.LoadPlan.PadRight(loadWidth)}  {string.Join(",", row.Endpoints)}");
            }

            return 0;
        });
        return command;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    private sealed record PhoneView(
        string Mac,
        string Model,
        string[] Endpoints,
        string? Load,
        long SyncCounter,
        string? SyncValue,
        string? VersionStamp,
        string? RenderedAt,
        string? Resync,
        string? LoadSource,
        string? PinnedLoad,
        string? TargetLoad,
        string? NextHop,
        string[] LoadPath,
        string LoadPlan,
        string? LoadReason);
}
