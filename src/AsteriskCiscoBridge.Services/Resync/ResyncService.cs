using System.Threading.Channels;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Resync;

/// <summary>
/// Makes exactly the phones whose files changed re-read them, from the persisted queue
/// (<see cref="ResyncQueue"/>, written in the round that stores the change): after each snapshot it
/// plans one NOTIFY per queued phone, and a sender sends them through AMI <c>PJSIPNotify</c>,
/// staggered. Each row moves to <c>sending</c> (committed) before its NOTIFY goes out, and to
/// <c>awaiting-fetch</c> with Asterisk's answer (an Error is tried again with backoff, a lost session
/// after the reconnect, each up to a cap). The phone's fetch moves it to <c>awaiting-registration</c>,
/// and its registration afterwards (a new Call-ID, a new contact, or a refreshed expiration, which only a
/// read of the contacts shows: <see cref="PollForProofAsync"/>) proves the resync (<see cref="ResyncProofRule"/>); a missed
/// fetch deadline escalates it, the last rung or a missed registration leaves it stale. Phones without
/// a live contact, or in a call, wait for a later snapshot or contacts refresh; a phone whose endpoints
/// are all gone is told at its last known contact. The in-memory sets here are a cache for tests and the dashboard.
/// </summary>
internal sealed partial class ResyncService(PhoneStore phones, ResyncQueue queue, ResyncOptions options, TimeProvider time, ILogger<ResyncService> logger)
{
    // Answers are recorded in batches (one transaction each); the 'sending' mark before each
    // NOTIFY is what makes a crash safe, so a batch only refines it.
    private const int CompletionBatch = 256;

    private readonly Channel<ResyncPlan> _plans = Channel.CreateUnbounded<ResyncPlan>(new UnboundedChannelOptions { SingleReader = true });

    // Wakes the sender to look at its deadlines again: a fetch sets a registration deadline that may
    // come before the one the sender waits for.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly NotifySender _sender = new(options, time, logger);
    private readonly HashSet<MacAddress> _planned = [];
    private readonly HashSet<MacAddress> _waiting = [];
    private readonly HashSet<MacAddress> _deferred = [];
    private readonly HashSet<MacAddress> _stale = [];
    private readonly Lock _gate = new();
    private PjsipSnapshot? _lastSnapshot;
    private PjsipContactsUpdate? _contacts;
    private PhoneInventory? _inventory;
    private int _generation;

    /// <summary>Phones whose resync needs a person: no fetch after every NOTIFY, fetched but never registered, or refused by Asterisk.</summary>
    public IReadOnlyList<MacAddress> Stale => Copy(_stale);

    /// <summary>Phones waiting for a live contact.</summary>
    public IReadOnlyList<MacAddress> Waiting => Copy(_waiting);

    /// <summary>Phones whose resync waits for their call to end.</summary>
    public IReadOnlyList<MacAddress> Deferred => Copy(_deferred);

    /// <summary>How often endpoints are re-read while a phone is deferred by a call.</summary>
    public TimeSpan CallRecheckInterval => options.CallRecheckInterval;

    /// <summary>NOTIFYs sent (answered Success) since start.</summary>
    public int Sent => SentCount.Value;

    /// <summary><see cref="Sent"/>, to be awaited.</summary>
    public Diagnostics.EventCount SentCount { get; } = new();

    /// <summary>Phones that fetched their configuration after a NOTIFY, since start.</summary>
    public int Fetched => FetchedCount.Value;

    /// <summary><see cref="Fetched"/>, to be awaited.</summary>
    public Diagnostics.EventCount FetchedCount { get; } = new();

    /// <summary>Resyncs proven since start: the phone fetched its files and registered again.</summary>
    public int Proven => ProvenCount.Value;

    /// <summary><see cref="Proven"/>, to be awaited.</summary>
    public Diagnostics.EventCount ProvenCount { get; } = new();

    /// <summary>
    /// Queues <paramref name="changed"/> (the service's rounds queue their changes themselves, in
    /// the transaction that stores them), plans every queued phone not already in a plan from
    /// <paramref name="snapshot"/> (with the newest contacts seen), records where each stands, and hands
    /// the orders to the sender; then checks whether phones that fetched have registered again.
    /// </summary>
    public Task<ResyncPlan> PlanAndQueueAsync(PjsipSnapshot snapshot, IReadOnlyList<MacAddress> changed, CancellationToken cancellationToken) =>
        PlanAndQueueAsync(snapshot, changed, null, cancellationToken);

    /// <summary>
    /// What a resync of <paramref name="macs"/> would send now (<c>acb resync</c>, the dashboard): planned from
    /// <paramref name="snapshot"/> as they are bound, not deferred by a call; writes nothing and hands nothing to the sender.
    /// </summary>
    public async Task<ResyncPlan> PreviewAsync(PjsipSnapshot snapshot, IReadOnlyList<MacAddress> macs, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return new ResyncPlan([], []);
        }

        await RegistrationsAsync(cancellationToken);
        var now = time.GetUtcNow();
        var rows = Unplanned([.. macs.Distinct().Select(mac => new QueuedResync(mac, ResyncState.Pending))]);
        var inventory = await phones.InventoryAsync(InventoryReading.EndpointsOf(snapshot), cancellationToken);
        var endpoints = ByName(snapshot);
        return Place(rows, inventory, endpoints, [], now, TimeSpan.Zero).Plan;
    }

    private async Task<ResyncPlan> PlanAndQueueAsync(PjsipSnapshot snapshot, IReadOnlyList<MacAddress> changed, PhoneInventory? known, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return new ResyncPlan([], []);
        }

        await RegistrationsAsync(cancellationToken);
        var now = time.GetUtcNow();
        snapshot = WithNewestContacts(snapshot);
        if (changed.Count > 0)
        {
            await queue.EnqueueAsync(changed, "changed", now, cancellationToken);
        }

        var rows = Unplanned([.. (await queue.QueuedAsync(cancellationToken)).Select(r => new QueuedResync(r.Mac, r.State, r.DeferredSince, r.Deadline))]);

        // The phones' lines and families as the inventory has them: Asterisk's declarations and the
        // bridge's bindings alike.
        var inventory = known ?? await phones.InventoryAsync(InventoryReading.EndpointsOf(snapshot), cancellationToken);
        var endpoints = ByName(snapshot);

        // Every endpoint of the phone is gone from Asterisk: it is told at its last contact, so it drops its lines now.
        var toLastContact = new List<NotifyOrder>();
        foreach (var row in rows.Where(r => !IsResyncable(inventory, r.Mac)))
        {
            if (await LastContactOrderAsync(row.Mac, inventory.Find(row.Mac)?.Family, endpoints, cancellationToken) is { } told)
            {
                toLastContact.Add(told);
            }
        }

        var placing = Place(rows, inventory, endpoints, toLastContact, now, options.CallDeferDeadline);
        foreach (var call in placing.Calls)
        {
            if (call.SentAnyway)
            {
                Log.SentDespiteCall(logger, call.Mac, call.DeviceState, options.CallDeferDeadline);
            }
            else
            {
                Log.DeferredInCall(logger, call.Mac, call.DeviceState, call.Until);
            }
        }

        foreach (var mac in placing.Waiting)
        {
            Log.WaitingForContact(logger, mac);
        }

        await queue.PlaceAsync(placing.Placements, now, cancellationToken);
        bool first;
        lock (_gate)
        {
            first = _lastSnapshot is null;
            _lastSnapshot = snapshot;
            _inventory = inventory;
            _generation++;
            foreach (var row in rows)
            {
                _stale.Remove(row.Mac);
                _waiting.Remove(row.Mac);
                _deferred.Remove(row.Mac);
            }

            _waiting.UnionWith(placing.Waiting);
            _deferred.UnionWith(placing.Deferred);
            _planned.UnionWith(placing.Orders.Select(o => o.Mac));
        }

        // The first snapshot also wakes the sender: deadlines recovered from the store wait for one.
        var result = placing.Plan;
        if (result.Orders.Count > 0 || first)
        {
            _plans.Writer.TryWrite(result);
        }

        await RememberContactsAsync(inventory, endpoints, now, cancellationToken);
        await ProveRegistrationsAsync(snapshot, inventory, cancellationToken);
        return result;
    }

    // A phone whose family is still unknown gets check-sync, the NOTIFY that asks for nothing but a re-read.
    private ResyncPlacing Place(IReadOnlyList<QueuedResync> rows, PhoneInventory inventory, Dictionary<string, PjsipEndpoint> endpoints, IReadOnlyList<NotifyOrder> toLastContact, DateTimeOffset now, TimeSpan callDeferDeadline)
    {
        var targets = new List<ResyncTarget>();
        foreach (var row in rows)
        {
            if (inventory.Find(row.Mac) is { ServedEndpoints.Count: > 0 } phone)
            {
                targets.Add(new ResyncTarget(row.Mac, phone.Family ?? PhoneFamily.Sip79x0, phone.ServedEndpoints, ServiceControlStamps.For(phone.Model, options.VersionStamps)));
            }
        }

        return ResyncPlacementRule.Place(rows, targets, endpoint => ContactsOf(endpoints, endpoint), e => endpoints.GetValueOrDefault(e)?.DeviceState, toLastContact, now, options.Interval, callDeferDeadline);
    }

    private static bool IsResyncable(PhoneInventory inventory, MacAddress mac) => inventory.Find(mac) is { ServedEndpoints.Count: > 0 };

    private static Dictionary<string, PjsipEndpoint> ByName(PjsipSnapshot snapshot)
    {
        var endpoints = new Dictionary<string, PjsipEndpoint>(StringComparer.Ordinal);
        foreach (var e in snapshot.Endpoints)
        {
            endpoints.TryAdd(e.Name, e);
        }

        return endpoints;
    }

    // Phones already in a plan the sender has not finished are left to it.
    private List<QueuedResync> Unplanned(IReadOnlyList<QueuedResync> rows)
    {
        lock (_gate)
        {
            return [.. rows.Where(r => !_planned.Contains(r.Mac))];
        }
    }

    // The version-stamp lines of a phone's service-control body, by the model the store has for it (unknown: the 79x1's four).
    private async Task<int> StampsOfAsync(MacAddress mac, CancellationToken cancellationToken) =>
        ServiceControlStamps.For(PhoneFamilies.Find((await phones.GetAsync(mac, cancellationToken))?.Model), options.VersionStamps);

    private PjsipSnapshot? Snapshot()
    {
        lock (_gate)
        {
            return _lastSnapshot;
        }
    }

    private IReadOnlyList<MacAddress> Copy(HashSet<MacAddress> set)
    {
        lock (_gate)
        {
            return [.. set];
        }
    }

    private IReadOnlyList<ResyncContact> ContactsOf(Dictionary<string, PjsipEndpoint> endpoints, string endpoint) =>
        endpoints.TryGetValue(endpoint, out var e) ? ContactsOf(e) : [];

    // Each contact with the Call-ID of the line's current registration (Asterisk's, or the one learned after a boot).
    private IReadOnlyList<ResyncContact> ContactsOf(PjsipEndpoint e) =>
        [.. e.Contacts.Select(c => new ResyncContact(e.Name, CurrentCallId(e.Name, c.CallId), c.Status, c.Uri, c.ExpiresAt))];
}
