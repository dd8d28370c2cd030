using System.Threading.Channels;
using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Ami.Pjsip;
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

    /// <summary>Send NOTIFYs at all (false: files change, phones pick them up on their next boot). Default true.</summary>
    public bool Enabled { get; init; } = true;
}

/// <summary>
/// Makes exactly the phones whose files changed re-read them: after each provisioning round it
/// plans one NOTIFY per changed phone (plus phones still waiting for a contact) from the round's
/// snapshot, and a sender sends them through AMI <c>PJSIPNotify</c>, staggered, recording each in
/// the notify log. Phones without a live contact wait; a later snapshot (Asterisk re-reads on
/// every ContactStatus event) finds them back.
/// </summary>
internal sealed partial class ResyncService(PhoneStore phones, NotifyLog log, ResyncOptions options, TimeProvider time, ILogger<ResyncService> logger)
{
    private readonly Channel<ResyncPlan> _plans = Channel.CreateUnbounded<ResyncPlan>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<MacAddress> _waiting = [];
    private readonly Dictionary<MacAddress, Outstanding> _awaitingFetch = [];
    private readonly HashSet<MacAddress> _stale = [];
    private readonly Lock _gate = new();
    private PjsipSnapshot? _lastSnapshot;

    /// <summary>Phones that never fetched their configuration, whatever they were sent: they need a person.</summary>
    public IReadOnlyList<MacAddress> Stale
    {
        get
        {
            lock (_gate)
            {
                return [.. _stale];
            }
        }
    }

    /// <summary>Phones waiting for a live contact.</summary>
    public IReadOnlyList<MacAddress> Waiting
    {
        get
        {
            lock (_gate)
            {
                return [.. _waiting];
            }
        }
    }

    /// <summary>NOTIFYs sent (answered Success) since start.</summary>
    public int Sent { get; private set; }

    /// <summary>Phones that fetched their configuration after a NOTIFY, since start.</summary>
    public int Fetched { get; private set; }

    /// <summary>
    /// A phone fetched one of its own files (SEP&lt;MAC&gt;.cnf.xml, SIP&lt;MAC&gt;.cnf…): if a NOTIFY
    /// to it is outstanding, that is the proof it acted on it, recorded in the notify log.
    /// </summary>
    public async Task OnFetchedAsync(MacAddress mac, string fileName, DateTimeOffset at, CancellationToken cancellationToken)
    {
        Outstanding? outstanding;
        lock (_gate)
        {
            _stale.Remove(mac);
            if (!_awaitingFetch.Remove(mac, out outstanding))
            {
                return;
            }
        }

        Fetched++;
        var detail = $"{fileName} fetched {(at - outstanding.SentAt).TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} s after the NOTIFY";
        PhoneFetched(logger, mac, detail);
        await log.AppendAsync(new NotifyRecord { At = at, Mac = mac, Endpoint = outstanding.Order.Endpoint, Event = outstanding.Order.Event, Outcome = "fetched", Detail = detail }, cancellationToken);
    }

    /// <summary>Plans the resync of <paramref name="changed"/> and of the phones still waiting, and hands the plan to the sender.</summary>
    public async Task<ResyncPlan> PlanAsync(PjsipSnapshot snapshot, IReadOnlyList<MacAddress> changed, CancellationToken cancellationToken, bool enqueue = true)
    {
        if (!options.Enabled)
        {
            return new ResyncPlan([], []);
        }

        HashSet<MacAddress> wanted;
        lock (_gate)
        {
            wanted = [.. _waiting, .. changed];
        }

        var bindings = await phones.AllBindingsAsync(cancellationToken);
        var targets = new List<ResyncTarget>();
        foreach (var mac in wanted)
        {
            var phone = await phones.GetAsync(mac, cancellationToken);
            if (phone is null || PhoneModels.Find(phone.Model) is not { } model || !bindings.TryGetValue(mac, out var rows))
            {
                continue;
            }

            targets.Add(new ResyncTarget(mac, model.Family, [.. rows.OrderBy(r => r.Position).Select(r => r.Endpoint)]));
        }

        var plan = ResyncPlanner.Plan(targets, endpoint => ContactsOf(snapshot, endpoint), options.Interval);
        lock (_gate)
        {
            _lastSnapshot = snapshot;
            _waiting.Clear();
            _waiting.UnionWith(plan.Waiting);
        }

        foreach (var mac in plan.Waiting)
        {
            WaitingForContact(logger, mac);
        }

        if (enqueue && plan.Orders.Count > 0)
        {
            _plans.Writer.TryWrite(plan);
        }

        return plan;
    }

    /// <summary>
    /// Sends planned NOTIFYs, each at its due time after its plan began, and escalates those that
    /// brought no fetch by their deadline, until stopped.
    /// </summary>
    public async Task SendLoopAsync(IAmiActionSender ami, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await WaitForWorkAsync(cancellationToken);
                while (_plans.Reader.TryRead(out var plan))
                {
                    await SendPlanAsync(ami, plan, cancellationToken);
                }

                await EscalateDueAsync(ami, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Sends one plan's NOTIFYs, each at its due time after the start; returns how many Asterisk accepted.</summary>
    public async Task<int> SendPlanAsync(IAmiActionSender ami, ResyncPlan plan, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var accepted = 0;
        foreach (var order in plan.Orders)
        {
            var wait = order.Due - time.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }

            accepted += await SendAsync(ami, order, 1, cancellationToken) ? 1 : 0;
        }

        return accepted;
    }

    // Until a plan arrives or the earliest fetch deadline passes.
    private async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? next;
        lock (_gate)
        {
            next = _awaitingFetch.Count == 0 ? null : _awaitingFetch.Values.Min(o => o.Deadline);
        }

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
        var now = time.GetUtcNow();
        List<Outstanding> due;
        PjsipSnapshot? snapshot;
        lock (_gate)
        {
            due = [.. _awaitingFetch.Values.Where(o => o.Deadline <= now)];
            foreach (var o in due)
            {
                _awaitingFetch.Remove(o.Order.Mac);
            }

            snapshot = _lastSnapshot;
        }

        foreach (var missed in due)
        {
            var order = missed.Order;
            var next = ResyncPlanner.NextStep(order.Kind, missed.Attempt);
            var contact = snapshot is null ? null : ContactsOf(snapshot, order.Endpoint).FirstOrDefault(c => c.IsLive && (next == ResyncKind.CheckSync || !string.IsNullOrEmpty(c.CallId)));
            if (next is null || contact is null)
            {
                var reason = next is null
                    ? $"no fetch after {missed.Attempt} NOTIFY{(missed.Attempt == 1 ? string.Empty : "s")}, the last {order.Event}{(order.Kind == ResyncKind.Reset ? " reset" : string.Empty)}"
                    : "no fetch, and its contact is gone";
                lock (_gate)
                {
                    _stale.Add(order.Mac);
                }

                PhoneStale(logger, order.Mac, reason);
                await log.AppendAsync(new NotifyRecord { At = now, Mac = order.Mac, Endpoint = order.Endpoint, Event = order.Event, Outcome = "stale", Detail = reason }, cancellationToken);
                continue;
            }

            var escalated = order with { Kind = next.Value, Variables = ResyncPlanner.NotifyVariables(next.Value, contact.CallId), Due = TimeSpan.Zero };
            await SendAsync(ami, escalated, missed.Attempt + 1, cancellationToken);
        }
    }

    private async Task<bool> SendAsync(IAmiActionSender ami, NotifyOrder order, int attempt, CancellationToken cancellationToken)
    {
        var action = new AmiAction("PJSIPNotify").Add("Endpoint", order.Endpoint);
        foreach (var variable in order.Variables)
        {
            action.Add("Variable", variable);
        }

        // Expect the fetch from now on: a phone may act before Asterisk's answer reaches us.
        var sentAt = time.GetUtcNow();
        lock (_gate)
        {
            _awaitingFetch[order.Mac] = new Outstanding(order, attempt, sentAt, sentAt + options.FetchDeadline);
        }

        string outcome;
        string? detail = null;
        try
        {
            var response = await ami.SendAsync(action, cancellationToken);
            outcome = response.IsSuccess ? "sent" : "refused";
            detail = response.Message;
        }
        catch (Exception e) when (e is AmiException or IOException or TimeoutException)
        {
            // Asterisk went away: the phone waits, and the next snapshot after reconnecting plans it again.
            outcome = "failed";
            detail = e.Message;
            lock (_gate)
            {
                _waiting.Add(order.Mac);
            }
        }

        if (outcome == "sent")
        {
            Sent++;
        }
        else
        {
            lock (_gate)
            {
                _awaitingFetch.Remove(order.Mac);
            }
        }

        NotifySent(logger, order.Event, order.Mac, order.Endpoint, outcome, detail ?? string.Empty);
        await log.AppendAsync(new NotifyRecord { At = time.GetUtcNow(), Mac = order.Mac, Endpoint = order.Endpoint, Event = order.Event, Outcome = outcome, Detail = detail }, cancellationToken);
        return outcome == "sent";
    }

    private sealed record Outstanding(NotifyOrder Order, int Attempt, DateTimeOffset SentAt, DateTimeOffset Deadline);

    private static IReadOnlyList<ResyncContact> ContactsOf(PjsipSnapshot snapshot, string endpoint) =>
        snapshot.Find(endpoint) is { } e ? [.. e.Contacts.Select(c => new ResyncContact(endpoint, c.CallId, c.Status))] : [];

    [LoggerMessage(5000, LogLevel.Information, "{Event} to {Mac} via endpoint {Endpoint}: {Outcome} {Detail}")]
    private static partial void NotifySent(ILogger logger, string @event, MacAddress mac, string endpoint, string outcome, string detail);

    [LoggerMessage(5003, LogLevel.Warning, "{Mac} is stale: {Reason}")]
    private static partial void PhoneStale(ILogger logger, MacAddress mac, string reason);

    [LoggerMessage(5002, LogLevel.Information, "{Mac} acted on its NOTIFY: {Detail}")]
    private static partial void PhoneFetched(ILogger logger, MacAddress mac, string detail);

    [LoggerMessage(5001, LogLevel.Information, "{Mac} changed but has no live contact: its resync waits for it to register")]
    private static partial void WaitingForContact(ILogger logger, MacAddress mac);
}
