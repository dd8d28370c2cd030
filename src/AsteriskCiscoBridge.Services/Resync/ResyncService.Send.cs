using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Services.Resync;

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

    // Stops at the first send the AMI session failed: the rest would fail the same way, and they
    // stay queued for the snapshot that follows the reconnect.
    private async Task<(int Accepted, bool Failed)> SendPlanCoreAsync(IAmiActionSender ami, ResyncPlan plan, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var answers = new List<ResyncSendResult>();
        var accepted = 0;
        var failed = false;
        var reached = 0;
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

                reached++;

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
            // Only the orders not reached are released here: each one reached was released after its send,
            // and once its answer is recorded a newer plan may hold it (a lost send is queued again, and the
            // reconnect's snapshot plans it at once). Released again, that claim would be lost, and the phone
            // planned and sent twice.
            await CompleteAsync(answers, CancellationToken.None);
            lock (_gate)
            {
                _planned.ExceptWith(plan.Orders.Skip(reached).Select(o => o.Mac));
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
            Log.TakenAsSent(logger, row.Mac, row.Kind is { } kind ? ResyncNotify.KindName(kind) : "?");
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

    // An Error answer is tried again later (NotifyTries in all, the wait doubling); a lost session
    // leaves the phone queued for the snapshot after the reconnect (SendFailureCap times at most).
    private async Task<ResyncSendResult?> SendAsync(ResyncSendSession session, IAmiActionSender ami, NotifyOrder order, int attempt, CancellationToken cancellationToken)
    {
        if (await _sender.SendAsync(session, ami, order, attempt, cancellationToken) is not { } sent)
        {
            return null;
        }

        if (sent.Answer.IsSent)
        {
            SentCount.Increment();
        }
        else if (sent.Answer.IsStale)
        {
            lock (_gate)
            {
                _stale.Add(order.Mac);
            }
        }

        return sent.Result;
    }
}
