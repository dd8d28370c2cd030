using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AsteriskCiscoBridge.Host.Provisioning;
using AsteriskCiscoBridge.Host.Storage;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary>
/// <c>acb phones [--json] [--unbound]</c>: the phones in the store with their endpoints and file versions.
/// The JSON form is an array of <c>{mac, model, endpoints, load, syncCounter, syncValue,
/// versionStamp, renderedAt}</c> and never holds a secret.
/// </summary>
internal static class PhonesCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Stable JSON output." };
        var unbound = new Option<bool>("--unbound") { Description = "The discovery inbox instead: phones that asked for their files while bound to nothing (claim one with acb bind)." };
        var config = CliStore.ConfigOption();
        var command = new Command("phones", "List phones: MAC, model, lines, file versions.") { json, unbound, config };
        command.SetAction(async (parse, ct) =>
        {
            var store = await CliStore.OpenAsync(parse, config, ct);
            if (parse.GetValue(unbound))
            {
                return await ListUnboundAsync(parse, store, parse.GetValue(json), ct);
            }

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

            var rows = phones.Select(p => new PhoneView(
                p.Mac.Value,
                p.Model,
                bindings.TryGetValue(p.Mac, out var b) ? b.Select(x => x.Endpoint).ToArray() : [],
                p.Load,
                p.SyncCounter,
                p.SyncValue,
                p.VersionStamp,
                p.RenderedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                resync.GetValueOrDefault(p.Mac))).ToArray();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(rows, JsonOptions));
                return 0;
            }

            await output.WriteLineAsync($"{"MAC",-12}  {"MODEL",-5}  {"SYNC",4}  {"VERSION",-36}  {"RENDERED",-20}  {"RESYNC",-28}  ENDPOINTS");
            foreach (var row in rows)
            {
                await output.WriteLineAsync($"{row.Mac,-12}  {row.Model,-5}  {row.SyncCounter,4}  {row.VersionStamp ?? row.SyncValue ?? "-",-36}  {row.RenderedAt ?? "-",-20}  {row.Resync ?? "-",-28}  {string.Join(",", row.Endpoints)}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// <c>--unbound</c>: the inbox, most recently seen first. JSON: an array of <c>{mac, address,
    /// modelGuess, models, files, firstSeen, lastSeen, requests}</c>.
    /// </summary>
    private static async Task<int> ListUnboundAsync(ParseResult parse, CliStore store, bool json, CancellationToken ct)
    {
        var rows = (await new DiscoveryStore(store.Factory).ListAsync(ct)).Select(p => new UnboundView(
            p.Mac.Value,
            p.LastAddress,
            p.ModelGuess,
            ModelGuesser.Guess(p.FileList)?.Models.ToArray() ?? [],
            [.. p.FileList],
            Stamp(p.FirstSeen),
            Stamp(p.LastSeen),
            p.RequestCount)).ToArray();
        var output = parse.InvocationConfiguration.Output;
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(rows, JsonOptions));
            return 0;
        }

        await output.WriteLineAsync($"{"MAC",-12}  {"ADDRESS",-15}  {"MODEL GUESS",-28}  {"FIRST SEEN",-20}  {"LAST SEEN",-20}  {"REQS",4}  FILES");
        foreach (var row in rows)
        {
            await output.WriteLineAsync($"{row.Mac,-12}  {row.Address,-15}  {row.ModelGuess ?? "-",-28}  {row.FirstSeen,-20}  {row.LastSeen,-20}  {row.Requests,4}  {string.Join(",", row.Files)}");
        }

        if (rows.Length > 0)
        {
            await output.WriteLineAsync("claim one with: acb bind MAC ENDPOINT[,ENDPOINT…] [--model M]");
        }

        return 0;
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record UnboundView(string Mac, string Address, string? ModelGuess, string[] Models, string[] Files, string FirstSeen, string LastSeen, long Requests);

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    private sealed record PhoneView(string Mac, string Model, string[] Endpoints, string? Load, long SyncCounter, string? SyncValue, string? VersionStamp, string? RenderedAt, string? Resync);
}
