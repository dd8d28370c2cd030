using System.Globalization;
using System.Threading.Channels;
using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Host.Provisioning;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host.Resync;

/// <summary>The <c>Resync</c> configuration section.</summary>
internal sealed class ResyncOptions
{
    /// <summary>Time between two NOTIFYs, so a reload that changes many phones never makes a boot storm. Default 1 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long after a NOTIFY the phone must fetch its file before the next rung is tried
    /// (a 7940 waits until it has been idle 20 s, then reboots). Default 3 min.
    /// </summary>
    public TimeSpan FetchDeadline { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How long a phone in a call (an endpoint In use, Busy, Ringing, Ring+Inuse or On Hold) is left
    /// alone before it is sent its NOTIFY anyway; 0 sends at once, calls or not. Default 30 min.
    /// </summary>
    public TimeSpan CallDeferDeadline { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// While phones wait for a call to end, how often endpoints are re-read to see it end (the
    /// poll of <c>Ami:Sync</c> may be minutes apart, and DeviceStateChange needs the <c>call</c>
    /// read class the bridge does not ask for). Default 1 min.
    /// </summary>
    public TimeSpan CallRecheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Send NOTIFYs at all (false: files change, phones pick them up on their next boot). Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Version-stamp lines of the service-control body, 0–4, by series (<c>Resync:VersionStamps:88xx = 4</c>; series
    /// 79x1, 78xx, 88xx, 89xx, 99xx, 69xx). Default 3 for the 78xx and 88xx (a CP-8861 on 14.1.1 answered the fourth
    /// with 400 Bad Request), 4 for the others (the usecallmanager patch's body).
    /// </summary>
    public Dictionary<string, int> VersionStamps { get; init; } = [];
}

/// <summary>
/// Makes exactly the phones whose files changed re-read them, from the persisted queue
/// (<see cref="ResyncQueue"/>, written in the round that stores the change): after each snapshot it
/// plans one NOTIFY per queued phone, and a sender sends them through AMI <c>PJSIPNotify</c>,
/// staggered. Each row moves to <c>sending</c> (committed) before its NOTIFY goes out, and to
/// <c>awaiting-fetch</c> with Asterisk's answer; the phone's fetch removes it, a missed deadline
/// escalates it, and the last rung leaves it stale. Phones without a live contact, or in a call,
/// wait for a later snapshot. The in-memory sets here are a cache for tests and the dashboard.
/// </summary>
internal sealed partial class ResyncService(PhoneStore phones, ResyncQueue queue, ResyncOptions options, TimeProvider time, ILogger<ResyncService> logger)
{
    // Answers are recorded in batches (one transaction each); the 'sending' mark before each
    // NOTIFY is what makes a crash safe, so a batch only refines it.
    private const int CompletionBatch = 256;

    private readonly Channel<ResyncPlan> _plans = Channel.CreateUnbounded<ResyncPlan>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<MacAddress> _planned = [];
    private readonly HashSet<MacAddress> _waiting = [];
    private readonly HashSet<MacAddress> _deferred = [];
    private readonly HashSet<MacAddress> _stale = [];
    private readonly Lock _gate = new();
    private PjsipSnapshot? _lastSnapshot;
    private int _sent;
    private int _generation;
    private int _fetched;

    /// <summary>Phones that never fetched their configuration, whatever they were sent: they need a person.</summary>
    public IReadOnlyList<MacAddress> Stale => Copy(_stale);

    /// <summary>Phones waiting for a live contact.</summary>
    public IReadOnlyList<MacAddress> Waiting => Copy(_waiting);

    /// <summary>Phones whose resync waits for their call to end.</summary>
    public IReadOnlyList<MacAddress> Deferred => Copy(_deferred);

    /// <summary>How often endpoints are re-read while a phone is deferred by a call.</summary>
    public TimeSpan CallRecheckInterval => options.CallRecheckInterval;

    /// <summary>NOTIFYs sent (answered Success) since start.</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>Phones that fetched their configuration after a NOTIFY, since start.</summary>
    public int Fetched => Volatile.Read(ref _fetched);

    /// <summary>
    /// A phone fetched one of its own files (SEP&lt;MAC&gt;.cnf.xml, SIP&lt;MAC&gt;.cnf…) over TFTP or
    /// HTTP: if it is queued and the fetch is newer than its change, it has its files; after a
    /// NOTIFY that is the proof it acted on it, recorded in the notify log.
    /// </summary>
    public async Task OnFetchedAsync(MacAddress mac, string fileName, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var proved = await queue.ProveAsync(mac, at, row => WasSent(row) ? new NotifyRecord
        {
            At = at,
            Mac = mac,
            Endpoint = row.Endpoint ?? string.Empty,
            Event = EventOf(row.Kind),
            Outcome = "fetched",
            Detail = FetchDetail(fileName, at, row),
        } : null, cancellationToken);
        if (proved is null)
        {
            return;
        }

        lock (_gate)
        {
            _stale.Remove(mac);
            _waiting.Remove(mac);
            _deferred.Remove(mac);
        }

        if (WasSent(proved))
        {
            Interlocked.Increment(ref _fetched);
            PhoneFetched(logger, mac, FetchDetail(fileName, at, proved));
        }
    }

    /// <summary>
    /// Queues <paramref name="changed"/> (the service's rounds queue their changes themselves, in
    /// the transaction that stores them), plans every queued phone not already in a plan from
    /// <paramref name="snapshot"/>, records where each stands, and hands the orders to the sender.
    /// With <paramref name="enqueue"/> false (<c>acb resync</c>) it only plans <paramref name="changed"/>
    /// and writes nothing.
    /// </summary>
    public async Task<ResyncPlan> PlanAsync(PjsipSnapshot snapshot, IReadOnlyList<MacAddress> changed, CancellationToken cancellationToken, bool enqueue = true)
    {
        if (!options.Enabled)
        {
            return new ResyncPlan([], []);
        }

        var now = time.GetUtcNow();
        IReadOnlyList<ResyncQueueRow> rows;
        if (enqueue)
        {
            if (changed.Count > 0)
            {
                await queue.EnqueueAsync(changed, "changed", now, cancellationToken);
            }

            rows = await queue.QueuedAsync(cancellationToken);
        }
        else
        {
            rows = [.. changed.Distinct().Select(mac => new ResyncQueueRow { Mac = mac, State = ResyncState.Pending, Reason = "admin resync", ChangedAt = now, UpdatedAt = now })];
        }

        lock (_gate)
        {
            rows = [.. rows.Where(r => !_planned.Contains(r.Mac))];
        }

        // The phones' lines and families as the inventory has them: Asterisk's declarations and the
        // bridge's bindings alike. A phone whose family is still unknown gets check-sync, the NOTIFY
        // that asks for nothing but a re-read.
        var inventory = await phones.InventoryAsync(InventoryReading.EndpointsOf(snapshot), cancellationToken);
        var targets = new List<ResyncTarget>();
        var placements = new List<ResyncPlacement>();
        foreach (var row in rows)
        {
            if (inventory.Find(row.Mac) is not { } phone || phone.ServedEndpoints.Count == 0)
            {
                // Not resyncable as bound now; pending until a round binds it right (never a timer left running).
                if (row.State != ResyncState.Pending)
                {
                    placements.Add(new ResyncPlacement(row.Mac, ResyncState.Pending, null, null));
                }

                continue;
            }

            targets.Add(new ResyncTarget(row.Mac, phone.Family ?? PhoneFamily.Sip79x0, phone.ServedEndpoints, ServiceControlStamps.For(phone.Model, options.VersionStamps)));
        }

        var endpoints = new Dictionary<string, PjsipEndpoint>(StringComparer.Ordinal);
        foreach (var e in snapshot.Endpoints)
        {
            endpoints.TryAdd(e.Name, e);
        }

        var plan = ResyncPlanner.Plan(targets, endpoint => ContactsOf(endpoints, endpoint), options.Interval);
        var rowOf = rows.ToDictionary(r => r.Mac);
        var targetOf = targets.ToDictionary(t => t.Mac);
        var orders = new List<NotifyOrder>();
        var deferred = new List<MacAddress>();
        foreach (var order in plan.Orders)
        {
            var row = rowOf[order.Mac];
            if (enqueue && options.CallDeferDeadline > TimeSpan.Zero
                && CallState.InCall(targetOf[order.Mac].Endpoints, e => endpoints.GetValueOrDefault(e)?.DeviceState) is { } state)
            {
                var since = row.DeferredSince ?? now;
                var until = since + options.CallDeferDeadline;
                if (now < until)
                {
                    deferred.Add(order.Mac);
                    placements.Add(new ResyncPlacement(order.Mac, ResyncState.Deferred, since, until));
                    DeferredInCall(logger, order.Mac, state, until);
                    continue;
                }

                SentDespiteCall(logger, order.Mac, state, options.CallDeferDeadline);
            }

            orders.Add(order with { Due = options.Interval * orders.Count });
            if (row.State != ResyncState.Pending || row.Deadline is not null)
            {
                placements.Add(new ResyncPlacement(order.Mac, ResyncState.Pending, row.DeferredSince, null));
            }
        }

        foreach (var mac in plan.Waiting)
        {
            var row = rowOf[mac];
            if (row.State != ResyncState.WaitingContact)
            {
                placements.Add(new ResyncPlacement(mac, ResyncState.WaitingContact, row.DeferredSince, null));
            }

            WaitingForContact(logger, mac);
        }

        if (!enqueue)
        {
            return new ResyncPlan(orders, plan.Waiting);
        }

        await queue.PlaceAsync(placements, now, cancellationToken);
        bool first;
        lock (_gate)
        {
            first = _lastSnapshot is null;
            _lastSnapshot = snapshot;
            _generation++;
            foreach (var row in rows)
            {
                _stale.Remove(row.Mac);
                _waiting.Remove(row.Mac);
                _deferred.Remove(row.Mac);
            }

            _waiting.UnionWith(plan.Waiting);
            _deferred.UnionWith(deferred);
            _planned.UnionWith(orders.Select(o => o.Mac));
        }

        // The first snapshot also wakes the sender: deadlines recovered from the store wait for one.
        var result = new ResyncPlan(orders, plan.Waiting);
        if (orders.Count > 0 || first)
        {
            _plans.Writer.TryWrite(result);
        }

        return result;
    }

    /// <summary>
    /// Sends planned NOTIFYs, each at its due time after its plan began, escalates those that
    /// brought no fetch by their deadline, and plans again phones whose call outlasted the
    /// call-defer deadline, until stopped. First, NOTIFYs a crash left half-sent are taken as sent.
    /// </summary>
    public async Task SendLoopAsync(IAmiActionSender ami, CancellationToken cancellationToken)
    {
        try
        {
            await RecoverAsync(cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                await WaitForWorkAsync(cancellationToken);
                while (_plans.Reader.TryRead(out var plan))
                {
                    var generation = Volatile.Read(ref _generation);
                    var (_, failed) = await SendPlanCoreAsync(ami, plan, cancellationToken);

                    // The phones of a plan cut short by a lost session are queued again; a snapshot
                    // taken meanwhile (the reconnect's) skipped them while they were in the plan.
                    if (failed && Volatile.Read(ref _generation) != generation && Snapshot() is { } newer)
                    {
                        await PlanAsync(newer, [], cancellationToken);
                    }
                }

                await EscalateDueAsync(ami, cancellationToken);
                if (Snapshot() is { } snapshot && await queue.NextDeadlineAsync(cancellationToken) is { } next && next <= time.GetUtcNow())
                {
                    await PlanAsync(snapshot, [], cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Sends one plan's NOTIFYs, each at its due time after the start; returns how many Asterisk accepted.</summary>
    public async Task<int> SendPlanAsync(IAmiActionSender ami, ResyncPlan plan, CancellationToken cancellationToken) =>
        (await SendPlanCoreAsync(ami, plan, cancellationToken)).Accepted;

    // Stops at the first send the AMI session failed: the rest would fail the same way, and they
    // stay queued for the snapshot that follows the reconnect.
    private async Task<(int Accepted, bool Failed)> SendPlanCoreAsync(IAmiActionSender ami, ResyncPlan plan, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var answers = new List<ResyncSendResult>();
        var accepted = 0;
        var failed = false;
        await using var session = await queue.OpenSendSessionAsync(cancellationToken);
        try
        {
            foreach (var order in plan.Orders)
            {
                var wait = order.Due - time.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                {
                    await CompleteAsync(answers, cancellationToken);
                    await Task.Delay(wait, time, cancellationToken);
                }

                var answer = await SendAsync(session, ami, order, 1, cancellationToken);
                lock (_gate)
                {
                    _planned.Remove(order.Mac);
                }

                if (answer is null)
                {
                    continue;
                }

                answers.Add(answer);
                accepted += answer.Outcome == ResyncSendOutcome.Accepted ? 1 : 0;
                if (answer.Outcome == ResyncSendOutcome.Failed)
                {
                    failed = true;
                    break;
                }

                if (answers.Count >= CompletionBatch)
                {
                    await CompleteAsync(answers, cancellationToken);
                }
            }
        }
        finally
        {
            // Stopping: the answers already received are kept; orders not sent stay queued.
            await CompleteAsync(answers, CancellationToken.None);
            lock (_gate)
            {
                _planned.ExceptWith(plan.Orders.Select(o => o.Mac));
            }
        }

        return (accepted, failed);
    }

    private async Task CompleteAsync(List<ResyncSendResult> answers, CancellationToken cancellationToken)
    {
        if (answers.Count == 0)
        {
            return;
        }

        await queue.CompleteSendsAsync(answers, time.GetUtcNow(), cancellationToken);
        answers.Clear();
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var row in await queue.RecoverAsync(now, now + options.FetchDeadline, cancellationToken))
        {
            TakenAsSent(logger, row.Mac, row.Kind ?? "?");
        }

        var rows = await queue.ListAsync(cancellationToken);
        lock (_gate)
        {
            _stale.UnionWith(rows.Where(r => r.State == ResyncState.Stale).Select(r => r.Mac));
            _waiting.UnionWith(rows.Where(r => r.State == ResyncState.WaitingContact).Select(r => r.Mac));
            _deferred.UnionWith(rows.Where(r => r.State == ResyncState.Deferred).Select(r => r.Mac));
        }
    }

    // Until a plan arrives or the earliest deadline (fetch or call-defer) passes. Deadlines wait
    // for a first snapshot: without one, no contact is known to escalate through.
    private async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        var next = Snapshot() is null ? null : await queue.NextDeadlineAsync(cancellationToken);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var plan = _plans.Reader.WaitToReadAsync(either.Token).AsTask();
        var deadline = next is { } due
            ? Task.Delay(due - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, either.Token)
            : Task.Delay(Timeout.Infinite, either.Token);
        await Task.WhenAny(plan, deadline);
        await either.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task EscalateDueAsync(IAmiActionSender ami, CancellationToken cancellationToken)
    {
        if (Snapshot() is not { } snapshot)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var missed in await queue.OverdueAsync(now, cancellationToken))
        {
            var endpoint = missed.Endpoint ?? string.Empty;
            var failed = KindOf(missed.Kind);
            var attempt = (int)missed.Attempt;
            var next = ResyncPlanner.NextStep(failed, attempt);
            var found = snapshot.Find(endpoint);

            // A stronger rung restarts the phone: not while it is in a call, up to the call-defer deadline.
            if (next is not null && options.CallDeferDeadline > TimeSpan.Zero && CallState.IsInCall(found?.DeviceState)
                && missed.Deadline is { } was && now < was + options.CallDeferDeadline)
            {
                var until = Min(was + options.CallDeferDeadline, now + options.FetchDeadline);
                await queue.PostponeAsync(missed.Mac, until, now, cancellationToken);
                DeferredInCall(logger, missed.Mac, found!.DeviceState, until);
                continue;
            }

            var contact = found is null ? null : ContactsOf(found).FirstOrDefault(c => c.IsLive && (next == ResyncKind.CheckSync || !string.IsNullOrEmpty(c.CallId)));
            if (next is null || contact is null)
            {
                var reason = next is null
                    ? $"no fetch after {attempt} NOTIFY{(attempt == 1 ? string.Empty : "s")}, the last {EventOf(missed.Kind)}{(failed == ResyncKind.Reset ? " reset" : string.Empty)}"
                    : "no fetch, and its contact is gone";
                var record = new NotifyRecord { At = now, Mac = missed.Mac, Endpoint = endpoint, Event = EventOf(missed.Kind), Outcome = "stale", Detail = reason };
                if (await queue.MarkStaleAsync(missed.Mac, record, cancellationToken))
                {
                    lock (_gate)
                    {
                        _stale.Add(missed.Mac);
                    }

                    PhoneStale(logger, missed.Mac, reason);
                }

                continue;
            }

            var stamps = ServiceControlStamps.For(PhoneFamilies.Find((await phones.GetAsync(missed.Mac, cancellationToken))?.Model), options.VersionStamps);
            var escalated = new NotifyOrder(missed.Mac, endpoint, next.Value, ResyncPlanner.NotifyVariables(next.Value, contact.CallId, stamps), TimeSpan.Zero);
            await using var session = await queue.OpenSendSessionAsync(cancellationToken);
            if (await SendAsync(session, ami, escalated, attempt + 1, cancellationToken) is { } answer)
            {
                await queue.CompleteSendsAsync([answer], time.GetUtcNow(), CancellationToken.None);
            }
        }
    }

    // Marks the row 'sending' (committed), then sends; null when the row was no longer where
    // this send expected it (fetched meanwhile, or another sender took it): nothing is sent then.
    private async Task<ResyncSendResult?> SendAsync(ResyncSendSession session, IAmiActionSender ami, NotifyOrder order, int attempt, CancellationToken cancellationToken)
    {
        if (!await session.BeginSendAsync(new ResyncSend(order.Mac, order.Endpoint, KindText(order.Kind), attempt), time.GetUtcNow(), cancellationToken))
        {
            NotSent(logger, order.Mac);
            return null;
        }

        var action = new AmiAction("PJSIPNotify").Add("Endpoint", order.Endpoint);
        foreach (var variable in order.Variables)
        {
            action.Add("Variable", variable);
        }

        ResyncSendOutcome outcome;
        string? detail;
        try
        {
            var response = await ami.SendAsync(action, cancellationToken);
            outcome = response.IsSuccess ? ResyncSendOutcome.Accepted : ResyncSendOutcome.Refused;
            detail = response.Message;
        }
        catch (Exception e) when (e is AmiException or IOException or TimeoutException)
        {
            // Asterisk went away: the phone is queued again, and the snapshot after reconnecting plans it.
            outcome = ResyncSendOutcome.Failed;
            detail = e.Message;
        }

        var text = outcome switch
        {
            ResyncSendOutcome.Accepted => "sent",
            ResyncSendOutcome.Refused => "refused",
            _ => "failed",
        };
        if (outcome == ResyncSendOutcome.Accepted)
        {
            Interlocked.Increment(ref _sent);
        }
        else if (outcome == ResyncSendOutcome.Refused)
        {
            lock (_gate)
            {
                _stale.Add(order.Mac);
            }
        }

        NotifySent(logger, order.Event, order.Mac, order.Endpoint, text, detail ?? string.Empty);
        var now = time.GetUtcNow();
        return new ResyncSendResult(order.Mac, outcome, now + options.FetchDeadline, new NotifyRecord
        {
            At = now,
            Mac = order.Mac,
            Endpoint = order.Endpoint,
            Event = order.Event,
            Outcome = text,
            Detail = detail,
        });
    }

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

    private static bool WasSent(ResyncQueueRow row) => row.State is ResyncState.Sending or ResyncState.AwaitingFetch or ResyncState.Stale;

    private static string FetchDetail(string fileName, DateTimeOffset at, ResyncQueueRow row) =>
        $"{fileName} fetched {(at - (row.SentAt ?? row.UpdatedAt)).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s after the NOTIFY";

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    internal static string KindText(ResyncKind kind) => kind switch
    {
        ResyncKind.CheckSync => "check-sync",
        ResyncKind.Reset => "reset",
        _ => "restart",
    };

    private static ResyncKind KindOf(string? text) => text switch
    {
        "check-sync" => ResyncKind.CheckSync,
        "reset" => ResyncKind.Reset,
        _ => ResyncKind.Restart,
    };

    private static string EventOf(string? kind) => kind == "check-sync" ? "check-sync" : "service-control";

    private static IReadOnlyList<ResyncContact> ContactsOf(Dictionary<string, PjsipEndpoint> endpoints, string endpoint) =>
        endpoints.TryGetValue(endpoint, out var e) ? ContactsOf(e) : [];

    private static IReadOnlyList<ResyncContact> ContactsOf(PjsipEndpoint e) =>
        [.. e.Contacts.Select(c => new ResyncContact(e.Name, c.CallId, c.Status))];

    [LoggerMessage(5000, LogLevel.Information, "{Event} to {Mac} via endpoint {Endpoint}: {Outcome} {Detail}")]
    private static partial void NotifySent(ILogger logger, string @event, MacAddress mac, string endpoint, string outcome, string detail);

    [LoggerMessage(5003, LogLevel.Warning, "{Mac} is stale: {Reason}")]
    private static partial void PhoneStale(ILogger logger, MacAddress mac, string reason);

    [LoggerMessage(5002, LogLevel.Information, "{Mac} acted on its NOTIFY: {Detail}")]
    private static partial void PhoneFetched(ILogger logger, MacAddress mac, string detail);

    [LoggerMessage(5001, LogLevel.Information, "{Mac} changed but has no live contact: its resync waits for it to register")]
    private static partial void WaitingForContact(ILogger logger, MacAddress mac);

    [LoggerMessage(5010, LogLevel.Warning, "{Mac}: a NOTIFY was going out when the service stopped; taken as sent ({Kind}), never sent twice: its fetch or the escalation decides")]
    private static partial void TakenAsSent(ILogger logger, MacAddress mac, string kind);

    [LoggerMessage(5011, LogLevel.Information, "{Mac} is in a call ({DeviceState}): its resync waits until it is idle, at most until {Until}")]
    private static partial void DeferredInCall(ILogger logger, MacAddress mac, string deviceState, DateTimeOffset until);

    [LoggerMessage(5012, LogLevel.Warning, "{Mac} is still in a call ({DeviceState}) after {Deadline}: its NOTIFY goes out anyway")]
    private static partial void SentDespiteCall(ILogger logger, MacAddress mac, string deviceState, TimeSpan deadline);

    [LoggerMessage(5013, LogLevel.Debug, "{Mac}: not sent, it fetched its files meanwhile or another sender took it")]
    private static partial void NotSent(ILogger logger, MacAddress mac);
}
