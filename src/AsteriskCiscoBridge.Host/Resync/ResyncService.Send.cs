using System.Globalization;
using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host.Resync;

/// <summary>The sender: staggered NOTIFYs, Asterisk's answers, escalation, retries and deadlines.</summary>
internal sealed partial class ResyncService
{
    /// <summary>
    /// Sends planned NOTIFYs, each at its due time after its plan began, escalates those that brought
    /// no fetch by their deadline, sends again those Asterisk refused when their retry is due, decides
    /// those that fetched and did not register by theirs, and plans again phones whose call outlasted
    /// the call-defer deadline, until stopped. First, NOTIFYs a crash left half-sent are taken as sent.
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
                        await PlanAndQueueAsync(newer, [], cancellationToken);
                    }
                }

                await DueAsync(ami, cancellationToken);
                if (Snapshot() is { } snapshot && await queue.NextDeadlineAsync(cancellationToken) is { } next && next <= time.GetUtcNow())
                {
                    await PlanAndQueueAsync(snapshot, [], cancellationToken);
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

    /// <summary>
    /// The <c>PJSIPNotify</c> action of an order (spec §4.4): <c>Endpoint:</c>, which Asterisk sends to
    /// every contact of the endpoint; or, when the endpoint is gone, <c>URI:</c> with the phone's last
    /// contact (sent from <c>default_outbound_endpoint</c>; registration-and-notify/11 records that form).
    /// </summary>
    internal static AmiAction NotifyAction(NotifyOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var action = order.Uri is { } uri
            ? new AmiAction("PJSIPNotify").Add("URI", uri)
            : new AmiAction("PJSIPNotify").Add("Endpoint", order.Endpoint);
        foreach (var variable in order.Variables)
        {
            action.Add("Variable", variable);
        }

        return action;
    }

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
                accepted += answer.Outcome is ResyncSendOutcome.Accepted or ResyncSendOutcome.Told ? 1 : 0;
                if (answer.Outcome is ResyncSendOutcome.Failed or ResyncSendOutcome.GaveUp)
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
            TakenAsSent(logger, row.Mac, row.Kind is { } kind ? ResyncNotify.KindName(kind) : "?");
        }

        var rows = await queue.ListAsync(cancellationToken);
        lock (_gate)
        {
            _stale.UnionWith(rows.Where(r => r.State == ResyncState.Stale).Select(r => r.Mac));
            _waiting.UnionWith(rows.Where(r => r.State == ResyncState.WaitingContact).Select(r => r.Mac));
            _deferred.UnionWith(rows.Where(r => r.State == ResyncState.Deferred).Select(r => r.Mac));
        }
    }

    // Until a plan arrives or the earliest deadline (fetch, registration, retry or call-defer) passes.
    // Deadlines wait for a first snapshot: without one, no contact is known to act on.
    private async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        var next = Snapshot() is null ? null : await queue.NextDeadlineAsync(cancellationToken);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var plan = _plans.Reader.WaitToReadAsync(either.Token).AsTask();
        var wake = _wake.Reader.WaitToReadAsync(either.Token).AsTask();
        var deadline = next is { } due
            ? Task.Delay(due - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, either.Token)
            : Task.Delay(Timeout.Infinite, either.Token);
        await Task.WhenAny(plan, wake, deadline);
        await either.CancelAsync();
        _wake.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }

    // Marks the row 'sending' (committed), then sends; null when the row was no longer where
    // this send expected it (fetched meanwhile, or another sender took it): nothing is sent then.
    // An Error answer is tried again later (NotifyTries in all, the wait doubling); a lost session
    // leaves the phone queued for the snapshot after the reconnect (SendFailureCap times at most).
    private async Task<ResyncSendResult?> SendAsync(ResyncSendSession session, IAmiActionSender ami, NotifyOrder order, int attempt, CancellationToken cancellationToken)
    {
        var ticket = await session.TakeAsync(new ResyncSend(order.Mac, order.Endpoint, order.Kind, attempt) { Registrations = order.Registrations }, time.GetUtcNow(), cancellationToken);
        if (ticket is null)
        {
            NotSent(logger, order.Mac);
            return null;
        }

        ResyncSendOutcome outcome;
        string? detail;
        try
        {
            var response = await ami.SendAsync(NotifyAction(order), cancellationToken);
            outcome = !response.IsSuccess ? ResyncSendOutcome.Refused
                : order.Uri is null ? ResyncSendOutcome.Accepted
                : ResyncSendOutcome.Told;
            detail = response.Message?.Trim();
        }
        catch (Exception e) when (e is AmiException or IOException or TimeoutException)
        {
            // Asterisk went away: the phone is queued again, and the snapshot after reconnecting plans it.
            outcome = ResyncSendOutcome.Failed;
            detail = e.Message;
        }

        var now = time.GetUtcNow();
        DateTimeOffset? deadline = null;
        string? reason = null;
        switch (outcome)
        {
            case ResyncSendOutcome.Accepted:
                deadline = now + options.FetchDeadline;
                break;
            case ResyncSendOutcome.Told:
                detail = $"{detail} (to its last contact {order.Uri}: endpoint {order.Endpoint} is gone from Asterisk)";
                break;
            case ResyncSendOutcome.Refused:
                var refusals = (int)ticket.Refused + 1;
                if (ResyncPlanner.RetryAfterRefusal(refusals, options.NotifyTries, options.NotifyRetryDelay) is { } wait)
                {
                    outcome = ResyncSendOutcome.Retry;
                    deadline = now + wait;
                    reason = $"Asterisk refused the {order.Event} NOTIFY: {detail} (try {refusals} of {options.NotifyTries}; again at {Utc(now + wait)})";
                    RetryLater(logger, order.Mac, detail ?? string.Empty, refusals, options.NotifyTries, wait);
                }
                else
                {
                    reason = $"Asterisk refused the {order.Event} NOTIFY {refusals} time{(refusals == 1 ? string.Empty : "s")}: {detail}";
                }

                break;
            default:
                var failures = (int)ticket.Failed + 1;
                if (failures >= options.SendFailureCap)
                {
                    outcome = ResyncSendOutcome.GaveUp;
                    reason = $"its NOTIFY was lost with the AMI session {failures} times (last: {detail})";
                }

                break;
        }

        var text = outcome switch
        {
            ResyncSendOutcome.Accepted or ResyncSendOutcome.Told => "sent",
            ResyncSendOutcome.Refused or ResyncSendOutcome.Retry => "refused",
            _ => "failed",
        };
        if (outcome is ResyncSendOutcome.Accepted or ResyncSendOutcome.Told)
        {
            Interlocked.Increment(ref _sent);
        }
        else if (outcome is ResyncSendOutcome.Refused or ResyncSendOutcome.GaveUp)
        {
            lock (_gate)
            {
                _stale.Add(order.Mac);
            }

            PhoneStale(logger, order.Mac, reason!);
        }

        NotifySent(logger, order.Event, order.Mac, order.Endpoint, text, detail ?? string.Empty);
        return new ResyncSendResult(order.Mac, outcome, deadline, new NotifyRecord
        {
            At = now,
            Mac = order.Mac,
            Endpoint = order.Endpoint,
            Event = order.Event,
            Outcome = text,
            Detail = detail,
        }, reason);
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [LoggerMessage(5000, LogLevel.Information, "{Event} to {Mac} via endpoint {Endpoint}: {Outcome} {Detail}")]
    private static partial void NotifySent(ILogger logger, string @event, MacAddress mac, string endpoint, string outcome, string detail);

    [LoggerMessage(5003, LogLevel.Warning, "{Mac} is stale: {Reason}")]
    private static partial void PhoneStale(ILogger logger, MacAddress mac, string reason);

    [LoggerMessage(5010, LogLevel.Warning, "{Mac}: a NOTIFY was going out when the service stopped; taken as sent ({Kind}), never sent twice: its fetch or the escalation decides")]
    private static partial void TakenAsSent(ILogger logger, MacAddress mac, string kind);

    [LoggerMessage(5013, LogLevel.Debug, "{Mac}: not sent, it fetched its files meanwhile or another sender took it")]
    private static partial void NotSent(ILogger logger, MacAddress mac);

    [LoggerMessage(5015, LogLevel.Warning, "{Mac}: Asterisk refused the NOTIFY ({Detail}); try {Try} of {Tries}, sent again in {Wait}")]
    private static partial void RetryLater(ILogger logger, MacAddress mac, string detail, int @try, int tries, TimeSpan wait);
}
