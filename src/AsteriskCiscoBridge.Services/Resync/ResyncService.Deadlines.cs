using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Services.Resync;

/// <summary>Rows whose deadline passed: escalation of a missed fetch, the retry of a refused NOTIFY, a missed registration.</summary>
internal sealed partial class ResyncService
{
    // Every row whose deadline passed: a missed fetch escalates, a due retry goes out again, a missed
    // registration is decided on contacts read now.
    private async Task DueAsync(IAmiActionSender ami, CancellationToken cancellationToken)
    {
        if (Snapshot() is null)
        {
            return;
        }

        await RegistrationsAsync(cancellationToken);
        var registrations = new List<ResyncQueueRow>();
        foreach (var due in await queue.OverdueAsync(time.GetUtcNow(), cancellationToken))
        {
            switch (due.State)
            {
                case ResyncState.AwaitingRegistration:
                    registrations.Add(due);
                    break;
                case ResyncState.Retry:
                    await RetryAsync(ami, due, cancellationToken);
                    break;
                default:
                    await EscalateAsync(ami, due, cancellationToken);
                    break;
            }
        }

        if (registrations.Count > 0)
        {
            await RegistrationsDueAsync(ami, registrations, cancellationToken);
        }
    }

    private async Task EscalateAsync(IAmiActionSender ami, ResyncQueueRow missed, CancellationToken cancellationToken)
    {
        var snapshot = Snapshot()!;
        var now = time.GetUtcNow();
        var endpoint = missed.Endpoint ?? string.Empty;
        var found = snapshot.Find(endpoint);
        var step = ResyncEscalationRule.Decide(
            missed.Kind, (int)missed.Attempt, missed.Deadline, found?.DeviceState, found is null ? null : ContactsOf(found), now, options.CallDeferDeadline, options.FetchDeadline);
        switch (step.Action)
        {
            case EscalationAction.Postpone:
                await queue.PostponeAsync(missed.Mac, step.Until!.Value, now, cancellationToken);
                Log.DeferredInCall(logger, missed.Mac, found!.DeviceState, step.Until.Value);
                break;
            case EscalationAction.Stale:
                await MarkStaleAsync(missed, ResyncNotify.EventPackage(missed.Kind), step.Reason!, now, cancellationToken);
                break;
            default:
                var next = step.Next!.Value;
                var escalated = new NotifyOrder(missed.Mac, endpoint, next, ResyncNotify.Variables(next, step.Contact!.CallId, await StampsOfAsync(missed.Mac, cancellationToken)), TimeSpan.Zero)
                {
                    Registrations = RegistrationsOf(missed.Mac, endpoint, snapshot),
                };
                await SendOneAsync(ami, escalated, (int)missed.Attempt + 1, cancellationToken);
                break;
        }
    }

    // The same NOTIFY again (same rung, same attempt), to the contact the phone has now.
    private async Task RetryAsync(IAmiActionSender ami, ResyncQueueRow row, CancellationToken cancellationToken)
    {
        var snapshot = Snapshot()!;
        var kind = row.Kind ?? ResyncKind.Restart;
        var endpoint = row.Endpoint ?? string.Empty;
        NotifyOrder? order = null;
        if (snapshot.Find(endpoint) is { } found)
        {
            if (ResyncPlanner.ReachableContact(kind, ContactsOf(found)) is { } contact)
            {
                order = new NotifyOrder(row.Mac, endpoint, kind, ResyncNotify.Variables(kind, contact.CallId, await StampsOfAsync(row.Mac, cancellationToken)), TimeSpan.Zero)
                {
                    Registrations = RegistrationsOf(row.Mac, endpoint, snapshot),
                };
            }
        }
        else
        {
            var endpoints = snapshot.Endpoints.ToDictionary(e => e.Name, StringComparer.Ordinal);
            order = await LastContactOrderAsync(row.Mac, kind == ResyncKind.CheckSync ? PhoneFamily.Sip79x0 : PhoneFamily.Sip79x1, endpoints, cancellationToken);
        }

        if (order is null)
        {
            await queue.WaitForContactAsync(row.Mac, time.GetUtcNow(), cancellationToken);
            lock (_gate)
            {
                _waiting.Add(row.Mac);
            }

            Log.WaitingForContact(logger, row.Mac);
            return;
        }

        await SendOneAsync(ami, order, Math.Max(1, (int)row.Attempt), cancellationToken);
    }

    private async Task SendOneAsync(IAmiActionSender ami, NotifyOrder order, int attempt, CancellationToken cancellationToken)
    {
        await using var session = await queue.OpenSendSessionAsync(cancellationToken);
        if (await SendAsync(session, ami, order, attempt, cancellationToken) is { } answer)
        {
            await queue.CompleteSendsAsync([answer], time.GetUtcNow(), CancellationToken.None);
        }
    }

    private async Task<bool> MarkStaleAsync(ResyncQueueRow row, string @event, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = new NotifyRecord { At = now, Mac = row.Mac, Endpoint = row.Endpoint ?? string.Empty, Event = @event, Outcome = "stale", Detail = reason };
        if (!await queue.MarkStaleAsync(row.Mac, record, cancellationToken))
        {
            return false;
        }

        lock (_gate)
        {
            _stale.Add(row.Mac);
        }

        Log.PhoneStale(logger, row.Mac, reason);
        return true;
    }
}
