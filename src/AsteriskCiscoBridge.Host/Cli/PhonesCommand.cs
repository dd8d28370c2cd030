using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary>
/// <c>acb phones [--json] [--unbound]</c>: the phones in the store with their endpoints, file versions and
/// resync state. The JSON form is an array of <c>{mac, model, endpoints, load, syncCounter,
/// syncValue, versionStamp, renderedAt, resync, queue, loadSource, pinnedLoad, targetLoad, nextHop,
/// loadPath, loadPlan, loadReason, modelSource, lines, conflicts}</c> (<c>modelSource</c>: <c>bind</c>, <c>set_var</c>,
/// <c>profile</c>, <c>user-agent</c>, <c>files</c> or <c>unknown</c>) (<c>lines</c>: <c>{endpoint, source, origin,
/// served, problem}</c> in button order, from the inventory the service provisions from) (<c>queue</c>: <c>{state, reason, attempt, sentAt, deadline}</c>
/// or null) (<c>heldRemoval</c>: the endpoints an answer of Asterisk held by the service would take from the phone, or
/// null; the hold itself is in <c>acb sync --json</c>) and never holds a secret. While an answer is held the table
/// starts with a <c>HELD:</c> line saying what and until when.
/// </summary>
internal static partial class PhonesCommand
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

            // The same inventory the service provisions from: Asterisk's declarations (as the service last
            // read them) and the bridge's bindings. A phone Asterisk declares that the service has not
            // rendered yet is listed too, with no files.
            var (inventory, _) = await store.InventoryAsync(askAsterisk: false, ct);
            var stored = await store.Phones.ListAsync(ct);
            var rowsByMac = stored.ToDictionary(p => p.Mac);
            var epoch = DateTimeOffset.UnixEpoch;
            var phones = inventory.Phones.Where(p => p.Lines.Length > 0 || rowsByMac.ContainsKey(p.Mac))
                .Select(p => rowsByMac.GetValueOrDefault(p.Mac) ?? new PhoneRow { Mac = p.Mac, Model = p.Model?.Name ?? string.Empty, CreatedAt = epoch, UpdatedAt = epoch })
                .ToList();

            // Where each phone stands in the resync queue; a phone not queued shows its last resync
            // outcome (fetched = proof it acted on its NOTIFY).
            var queued = (await new ResyncQueue(store.Factory).ListAsync(ct)).ToDictionary(r => r.Mac);
            var notifies = new NotifyLog(store.Factory);
            var resync = new Dictionary<MacAddress, string>();
            foreach (var phone in phones)
            {
                if (queued.TryGetValue(phone.Mac, out var row))
                {
                    resync[phone.Mac] = QueueText(row);
                }
                else if ((await notifies.RecentAsync(phone.Mac, 1, ct)).FirstOrDefault() is { } last)
                {
                    resync[phone.Mac] = $"{last.Outcome} {Utc(last.At)}";
                }
            }

            // Where each phone is on its load path, against the stored catalog.
            var renderer = store.Renderer();
            await renderer.Loads!.RefreshAsync(ct);
            var plans = phones.ToDictionary(p => p.Mac, p => renderer.PlanOf(p));

            // The speed dials each phone gets: its key.N settings, then its first endpoint's set_var ACB_KEY_N.
            var keysOf = new Dictionary<MacAddress, IReadOnlyList<FeatureKey>>();
            foreach (var phone in phones)
            {
                keysOf[phone.Mac] = await renderer.KeysAsync(phone.Mac, inventory.Find(phone.Mac)?.Keys ?? [], ct);
            }

            // An answer of Asterisk held because it would strip many phones: what each phone would lose.
            var hold = await new RemovalHoldStore(store.Factory).GetAsync(ct);
            var held = hold?.Phones.ToDictionary(p => p.Mac, p => p.Endpoints.ToArray()) ?? [];

            var rows = phones.Select(p => new PhoneView(
                p.Mac.Value,
                inventory.Find(p.Mac)?.Model?.Name ?? (p.Model.Length > 0 ? p.Model : "?"),
                inventory.Find(p.Mac) is { } i ? [.. i.Lines.Select(l => l.Endpoint)] : [],
                p.Load,
                p.SyncCounter,
                p.SyncValue,
                p.VersionStamp,
                p.RenderedAt is { } rendered ? Utc(rendered) : null,
                resync.GetValueOrDefault(p.Mac),
                queued.TryGetValue(p.Mac, out var q) ? new QueueView(ResyncStateNames.Name(q.State), q.Reason, (int)q.Attempt, q.SentAt is { } sent ? Utc(sent) : null, q.Deadline is { } due ? Utc(due) : null) : null,
                p.LoadSource,
                p.PinnedLoad,
                plans[p.Mac]?.Target,
                plans[p.Mac]?.NextHop,
                plans[p.Mac] is { } plan ? [.. plan.Path] : [],
                plans[p.Mac] is { } described ? LoadPathText.Describe(p.Load, described, p.PinnedLoad is not null) : "-",
                plans[p.Mac]?.Reason,
                ModelSourceText.Of(inventory.Find(p.Mac)?.ModelSource ?? ModelSource.Unknown) ?? "unknown",
                inventory.Find(p.Mac) is { } lined ? [.. lined.Lines.Select(l => new LineView(l.Endpoint, SourceText(l.Source), l.Origin, l.IsServed, l.Problem))] : [],
                inventory.Find(p.Mac) is { } conflicted ? [.. conflicted.Conflicts] : [],
                [.. keysOf[p.Mac].Select(k => new KeyView(k.Index, k.Kind == FeatureKeyKind.Blf ? "blf" : "speeddial", k.Number, k.EffectiveLabel, k.Origin))],
                held.GetValueOrDefault(p.Mac))).ToArray();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(rows, PhonesJson.Default.PhoneViewArray));
                return 0;
            }

            if (hold is not null)
            {
                await output.WriteLineAsync($"HELD: {RemovalHoldView.Summary(hold, RemovalHoldView.HoldOf(store.Configuration))}");
            }

            // RESYNC last: a stale phone's reason may be long, and nothing after it needs aligning.
            var width = Math.Max("ENDPOINTS".Length, rows.Select(r => string.Join(",", r.Endpoints).Length).DefaultIfEmpty(0).Max());
            var loadWidth = Math.Max("LOAD".Length, rows.Select(r => r.LoadPlan.Length).DefaultIfEmpty(0).Max());
            var keysWidth = Math.Max("KEYS".Length, rows.Select(r => KeysText(r.Keys).Length).DefaultIfEmpty(0).Max());
            await output.WriteLineAsync($"{"MAC",-12}  {"MODEL",-5}  {"SYNC",4}  {"VERSION",-36}  {"RENDERED",-20}  {"LOAD".PadRight(loadWidth)}  {"ENDPOINTS".PadRight(width)}  {"KEYS".PadRight(keysWidth)}  RESYNC");
            foreach (var row in rows)
            {
                await output.WriteLineAsync($"{row.Mac,-12}  {row.Model,-5}  {row.SyncCounter,4}  {row.VersionStamp ?? row.SyncValue ?? "-",-36}  {row.RenderedAt ?? "-",-20}  {row.LoadPlan.PadRight(loadWidth)}  {string.Join(",", row.Endpoints).PadRight(width)}  {KeysText(row.Keys).PadRight(keysWidth)}  {row.Resync ?? "-"}");
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
            Utc(p.FirstSeen),
            Utc(p.LastSeen),
            p.RequestCount)).ToArray();
        var output = parse.InvocationConfiguration.Output;
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(rows, PhonesJson.Default.UnboundViewArray));
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

    private sealed record UnboundView(string Mac, string Address, string? ModelGuess, string[] Models, string[] Files, string FirstSeen, string LastSeen, long Requests);

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
    [JsonSerializable(typeof(PhoneView[]))]
    [JsonSerializable(typeof(UnboundView[]))]
    private sealed partial class PhonesJson : JsonSerializerContext;

    /// <summary>
    /// The queue state in a few words: pending, deferred (in call), waiting for contact, awaiting fetch since … attempt N,
    /// fetched at …, awaiting registration until …, retry at …: reason, stale: reason.
    /// </summary>
    internal static string QueueText(ResyncQueueRow row) => row.State switch
    {
        ResyncState.Deferred => row.Deadline is { } until ? $"deferred (in call) until {Utc(until)}" : "deferred (in call)",
        ResyncState.WaitingContact => "waiting for contact",
        ResyncState.Sending => "sending",
        ResyncState.AwaitingFetch => $"awaiting fetch since {(row.SentAt is { } sent ? Utc(sent) : "?")} attempt {row.Attempt}",
        ResyncState.AwaitingRegistration => $"fetched at {(row.FetchedAt is { } fetched ? Utc(fetched) : "?")}, awaiting registration until {(row.Deadline is { } due ? Utc(due) : "?")}",
        ResyncState.Retry => $"retry at {(row.Deadline is { } retry ? Utc(retry) : "?")}: {row.Reason}",
        ResyncState.Stale => $"stale: {row.Reason}",
        _ => "pending",
    };

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record PhoneView(string Mac, string Model, string[] Endpoints, string? Load, long SyncCounter, string? SyncValue, string? VersionStamp, string? RenderedAt, string? Resync, QueueView? Queue,
        string? LoadSource, string? PinnedLoad, string? TargetLoad, string? NextHop, string[] LoadPath, string LoadPlan, string? LoadReason,
        string ModelSource, LineView[] Lines, string[] Conflicts, KeyView[] Keys, string[]? HeldRemoval);

    /// <summary>One feature key after the lines: its index, <c>speeddial</c> or <c>blf</c>, the number, the label and where it is set.</summary>
    private sealed record KeyView(int Index, string Kind, string Number, string Label, string Origin);

    // 6001,blf:6002 — the numbers in key order, a BLF key marked.
    private static string KeysText(KeyView[] keys) =>
        keys.Length == 0 ? "-" : string.Join(",", keys.Select(k => k.Kind == "blf" ? "blf:" + k.Number : k.Number));

    /// <summary>One line: its endpoint, where it is declared (<c>phoneprov</c>, <c>set_var</c>, <c>bind</c>), whether it is served, and why not.</summary>
    private sealed record LineView(string Endpoint, string Source, string Origin, bool Served, string? Problem);

    private static string SourceText(LineSource source) => source switch
    {
        LineSource.Phoneprov => "phoneprov",
        LineSource.SetVar => "set_var",
        LineSource.AutoAssign => "auto-assign",
        _ => "bind",
    };

    private sealed record QueueView(string State, string Reason, int Attempt, string? SentAt, string? Deadline);
}
