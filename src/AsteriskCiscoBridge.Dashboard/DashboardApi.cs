using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Services.Firmware;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Dashboard;

/// <summary>
/// What the dashboard shows and does, over the store and the running services. A resync from the
/// dashboard works like <c>acb resync MAC</c>: one AMI session, a fresh snapshot, the planner's
/// NOTIFY for the phone's family, recorded in the notify log.
/// </summary>
internal sealed class DashboardApi(
    PhoneStore phones,
    RequestLog requests,
    NotifyLog notifies,
    ResyncQueue queue,
    ResyncService resync,
    ResyncOptions resyncOptions,
    EndpointSyncService sync,
    AmiOptions? ami,
    StoredPhoneRenderer renderer,
    StoredFileTree tree,
    TimeProvider time,
    ILoggerFactory loggers,
    SnapshotStore? snapshots = null,
    RemovalHoldStore? holds = null,
    SyncOptions? syncOptions = null)
{
    private readonly ILogger _logger = loggers.CreateLogger<DashboardApi>();

    public async Task<DashboardState> StateAsync(CancellationToken cancellationToken)
    {
        // The inventory the service provisions from (its last snapshot of Asterisk and the bridge's
        // bindings), as acb phones reads it: the lines each phone is served, in button order.
        var rows = await phones.ListAsync(cancellationToken);
        var inventory = await phones.InventoryAsync(snapshots is null ? null : (await snapshots.LoadAsync(cancellationToken))?.Endpoints, cancellationToken);

        // Two bounded reads per refresh instead of two per phone: the latest entry of each phone
        // within the most recent history (a phone quiet for longer shows none).
        var catalog = renderer.Loads is { } loads ? (await loads.RefreshAsync(cancellationToken)).Catalog : FirmwareCatalog.Empty;
        var lastRequests = Latest(await requests.RecentAsync(null, HistoryWindow, cancellationToken), r => r.Mac);
        var lastNotifies = Latest(await notifies.RecentAsync(null, HistoryWindow, cancellationToken), n => n.Mac);
        var list = new List<DashboardPhone>(rows.Count);
        foreach (var row in rows)
        {
            var request = lastRequests.GetValueOrDefault(row.Mac);
            var notify = lastNotifies.GetValueOrDefault(row.Mac);
            var plan = renderer.PlanOf(row);
            var keys = await renderer.KeysAsync(row.Mac, inventory.Find(row.Mac)?.Keys ?? [], cancellationToken);
            list.Add(new DashboardPhone(
                row.Mac.Value,
                inventory.Find(row.Mac)?.Model?.Name ?? (row.Model.Length > 0 ? row.Model : "?"),
                inventory.Find(row.Mac) is { } phone ? [.. phone.Lines.Select(l => l.Endpoint)] : [],
                row.Load,
                plan is null ? "no load planning for this model" : $"{LoadPathText.Describe(row.Load, plan, row.PinnedLoad is not null)} ({plan.Reason})",
                row.PinnedLoad,
                PinChoices(row, catalog),
                row.SyncCounter,
                request is null ? null : ToView(request),
                notify is null ? null : new DashboardNotify(notify.At, notify.Event, notify.Outcome, notify.Detail),
                [.. keys.Select(k => new DashboardKey(k.Index, k.Value, k.Origin))]));
        }

        return new DashboardState(
            list,
            [.. resync.Waiting.Select(m => m.Value).Order(StringComparer.Ordinal)],
            [.. resync.Stale.Select(m => m.Value).Order(StringComparer.Ordinal)],
            [.. catalog.Loads.Select(l => new DashboardLoad(l.Name, l.IsComplete, l.Files.Length, l.Explain()))],
            sync.AmiConnected,
            sync.LastSnapshotAt is { } at ? Math.Round((time.GetUtcNow() - at).TotalSeconds, 1) : null,
            PinAvailable: renderer.Loads is not null,
            RemovalHold: holds is not null && await holds.GetAsync(cancellationToken) is { } hold ? ToView(hold) : null);
    }

    /// <summary>Accepts the held answer, as <c>acb sync --accept-removals</c> does, and asks the service for the round that applies it.</summary>
    public async Task<DashboardActionResult> AcceptRemovalsAsync(CancellationToken cancellationToken)
    {
        if (holds is null || await holds.AcceptAsync("dashboard", time.GetUtcNow(), cancellationToken) is not { } hold)
        {
            return new DashboardActionResult(false, "nothing is held: there is nothing to accept");
        }

        sync.RequestRound("held removals accepted on the dashboard");
        Log.RemovalsAccepted(_logger, hold.Describe());
        return new DashboardActionResult(true, $"accepted: {hold.Describe()}; the phones are deprovisioned and told now");
    }

    private DashboardRemovalHold ToView(RemovalHoldRow hold)
    {
        var holdFor = (syncOptions ?? new SyncOptions()).RemovalHold;
        return new DashboardRemovalHold(
            RemovalHoldView.Summary(hold, holdFor),
            RemovalHoldStore.ReasonText(hold.Reason),
            hold.FirstSeen,
            RemovalHoldView.AppliesAt(hold, holdFor),
            hold.Bound,
            [.. hold.Phones.Select(p => new DashboardHeldPhone(p.Mac.Value, [.. p.Endpoints], p.Kept))],
            hold.AcceptedAt,
            hold.AcceptedBy,
            RemovalHoldView.AcceptCommand);
    }

    public async Task<IReadOnlyList<DashboardRequest>> RequestsAsync(long after, CancellationToken cancellationToken) =>
        [.. (await requests.RecentAsync(null, 200, cancellationToken)).Where(r => r.Id > after).Select(ToView)];

    public async Task<DashboardActionResult> ResyncAsync(MacAddress mac, CancellationToken cancellationToken)
    {
        if (ami is null)
        {
            return new DashboardActionResult(false, "AMI is not configured: nothing can be sent");
        }

        if (await phones.GetAsync(mac, cancellationToken) is null)
        {
            return new DashboardActionResult(false, $"{mac} is not bound");
        }

        // The same use case as `acb resync`.
        try
        {
            await using var run = await new AdminResync(phones, queue, resyncOptions, time, loggers).PlanAsync(ami, [mac], cancellationToken);
            if (run.Plan is not { } plan)
            {
                return new DashboardActionResult(false, $"reading the endpoints failed: {run.Failure}");
            }

            if (plan.Orders.Count == 0)
            {
                return new DashboardActionResult(false, $"{mac} has no live contact: it reads its files when it registers or boots");
            }

            var sent = await run.SendAsync("dashboard resync", null, cancellationToken);
            await run.LogoffAsync(cancellationToken);
            var order = plan.Orders[0];
            Log.ResyncRequested(_logger, mac, order.Endpoint, sent == plan.Orders.Count);
            return sent == plan.Orders.Count
                ? new DashboardActionResult(true, $"{order.Event} sent to {mac} via endpoint {order.Endpoint}")
                : new DashboardActionResult(false, $"Asterisk refused the {order.Event} to {mac} (see the notify log)");
        }
        catch (AmiException e)
        {
            return new DashboardActionResult(false, $"AMI {ami.Host}:{ami.Port}: {e.Message}");
        }
    }

    /// <summary>How many of the latest requests and NOTIFYs one refresh reads to find each phone's last.</summary>
    internal const int HistoryWindow = 10_000;

    // Rows come newest first: the first per MAC is its latest.
    private static Dictionary<MacAddress, T> Latest<T>(IEnumerable<T> newestFirst, Func<T, MacAddress?> mac)
    {
        var latest = new Dictionary<MacAddress, T>();
        foreach (var row in newestFirst)
        {
            if (mac(row) is { } key)
            {
                latest.TryAdd(key, row);
            }
        }

        return latest;
    }

    /// <summary>
    /// Pins a phone (a null load unpins it) by the rule <c>acb pin</c> follows, then renders and serves its files
    /// at once. No NOTIFY: the phone takes the load at its next boot, and Resync reboots it now.
    /// </summary>
    public async Task<PinOutcome> PinAsync(MacAddress mac, string? load, CancellationToken cancellationToken)
    {
        if (renderer.Loads is not { } loads)
        {
            return new PinOutcome(PinVerdict.Refused, "load planning is off: nothing can be pinned");
        }

        var now = time.GetUtcNow();
        var outcome = await new LoadPins(phones, loads.Store).SetAsync(mac, load, "dashboard", now, cancellationToken);
        if (!outcome.Ok)
        {
            return outcome;
        }

        await loads.RefreshAsync(cancellationToken);
        var render = await renderer.RerenderAsync(mac, cancellationToken);
        if (render.Result is null)
        {
            return outcome with { Message = $"{outcome.Message}; files not rendered now ({render.Error}), the next round does it" };
        }

        var saved = await renderer.SaveAsync(mac, render, now, cancellationToken);
        if (saved.Outcome == SaveOutcome.Updated)
        {
            await tree.ReloadAsync(cancellationToken);
        }

        Log.PinChanged(_logger, mac, load ?? "none", render.Plan?.Reason ?? "-");
        var next = render.Plan?.NextHop is { Length: > 0 } hop ? $"next boot loads {hop}" : "no load change is offered";
        return outcome with { Message = $"{outcome.Message}; {next} (Resync reboots it now)" };
    }

    /// <summary>
    /// Replaces a phone's speed dials (its <c>key.N</c> settings; its other settings stay) by the rules of
    /// <c>acb bind --set</c>: each value read, no more keys than the buttons its lines leave. The store watcher's round
    /// renders its files and queues its resync, as for any admin change. Its set_var keys still fill the indexes left free.
    /// </summary>
    public async Task<DashboardActionResult> SetKeysAsync(MacAddress mac, IReadOnlyList<string> values, CancellationToken cancellationToken)
    {
        if (await phones.GetAsync(mac, cancellationToken) is not { } row)
        {
            return new DashboardActionResult(false, $"{mac} is not bound");
        }

        var keys = new List<FeatureKey>();
        for (var i = 0; i < values.Count; i++)
        {
            if (FeatureKeys.Parse(i + 1, values[i], "dashboard", out var error) is not { } key)
            {
                return new DashboardActionResult(false, error!);
            }

            keys.Add(key);
        }

        var inventory = await phones.InventoryAsync(snapshots is null ? null : (await snapshots.LoadAsync(cancellationToken))?.Endpoints, cancellationToken);
        var lines = inventory.Find(mac)?.ServedLines.Count ?? 0;
        if ((inventory.Find(mac)?.Model ?? PhoneFamilies.Find(row.Model)) is { } model && !PhoneFamilies.IsRepresentative(model) && FeatureKeys.Refusal(model, lines, keys) is { } refusal)
        {
            return new DashboardActionResult(false, refusal);
        }

        var settings = (await phones.SettingsAsync(mac, cancellationToken)).Where(s => FeatureKeys.IndexOf(s.Key) is null).ToList();
        settings.AddRange(keys.Select(k => new KeyValuePair<string, string>($"{FeatureKeys.SettingPrefix}{k.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)}", k.Value)));
        var now = time.GetUtcNow();
        await phones.SetSettingsAsync(mac, settings, "dashboard", now, cancellationToken);
        Log.KeysChanged(_logger, mac, keys.Count);
        return new DashboardActionResult(true, $"{mac}: {(keys.Count == 0 ? "speed dials cleared" : $"{keys.Count} speed dial{(keys.Count == 1 ? "" : "s")} set")}; the service renders its file within a second and restarts it");
    }

    // Loads a phone may be pinned to: complete loads of its family, newest first.
    private static string[] PinChoices(PhoneRow row, FirmwareCatalog catalog) =>
        LoadFamily.TryForModel(row.Model, out var family, out _)
            ? [.. catalog.Loads.Where(l => l.IsComplete && l.Load is { } n && n.Family.SameAs(family)).OrderByDescending(l => l.Load!.Version).Select(l => l.Name)]
            : [];

    private static DashboardRequest ToView(RequestRecord r) => new(r.Id, r.At, r.Client, r.FileName, r.Mac?.Value, r.Outcome.ToString(), r.Bytes);
}
