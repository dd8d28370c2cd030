using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Resync;

/// <summary>A queued phone as planning finds it.</summary>
/// <param name="DeferredSince">When a plan first found it in a call, or null.</param>
/// <param name="Deadline">Its row's deadline (deferred: when it goes out even in a call), or null.</param>
public sealed record QueuedResync(MacAddress Mac, ResyncState State, DateTimeOffset? DeferredSince = null, DateTimeOffset? Deadline = null);

/// <summary>Where planning put a queued phone (<see cref="ResyncState.Pending"/> when it is about to be sent).</summary>
public sealed record ResyncPlacement(MacAddress Mac, ResyncState State, DateTimeOffset? DeferredSince, DateTimeOffset? Deadline);

/// <summary>A planned phone found in a call: kept back until <see cref="Until"/>, or (<see cref="SentAnyway"/>) sent because that passed.</summary>
/// <param name="DeviceState">Its endpoint's DeviceState (<see cref="CallState"/>).</param>
public sealed record CallHeld(MacAddress Mac, string DeviceState, DateTimeOffset Until, bool SentAnyway);

/// <summary>What planning decided: the NOTIFYs to send (staggered), the rows to move, the calls that held phones back, the phones waiting for a contact.</summary>
public sealed record ResyncPlacing(IReadOnlyList<NotifyOrder> Orders, IReadOnlyList<ResyncPlacement> Placements, IReadOnlyList<CallHeld> Calls, IReadOnlyList<MacAddress> Waiting)
{
    /// <summary>The phones kept back by a call.</summary>
    public IEnumerable<MacAddress> Deferred => Calls.Where(c => !c.SentAnyway).Select(c => c.Mac);

    /// <summary>The orders and the waiting phones, as the sender and <c>acb resync</c> take them.</summary>
    public ResyncPlan Plan => new(Orders, Waiting);
}

/// <summary>
/// Where each queued phone goes when a snapshot is planned (pure: contacts, call states and time are inputs):
/// a NOTIFY now, <c>interval</c> after the one before it (a reload never makes a boot storm), kept back by a
/// call (<see cref="CallDeferral"/>), waiting for a live contact, or back to pending when it cannot be planned
/// (not bound, and no last contact to tell). A row already where it goes is not moved.
/// </summary>
public static class ResyncPlacementRule
{
    /// <summary>
    /// Places <paramref name="rows"/>: <paramref name="targets"/> are those resyncable now (planned with
    /// <see cref="ResyncPlanner.Plan"/>), <paramref name="toLastContact"/> those told at their last contact
    /// (sent after the others); the rest go back to pending. <paramref name="deviceStateOf"/> gives an
    /// endpoint's DeviceState; a zero <paramref name="callDeferDeadline"/> sends to phones in a call at once.
    /// </summary>
    public static ResyncPlacing Place(
        IReadOnlyList<QueuedResync> rows,
        IReadOnlyList<ResyncTarget> targets,
        Func<string, IReadOnlyList<ResyncContact>> contactsOf,
        Func<string, string?> deviceStateOf,
        IReadOnlyList<NotifyOrder> toLastContact,
        DateTimeOffset now,
        TimeSpan interval,
        TimeSpan callDeferDeadline)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(toLastContact);
        var rowOf = rows.ToDictionary(r => r.Mac);
        var targetOf = targets.ToDictionary(t => t.Mac);
        var told = toLastContact.Select(o => o.Mac).ToHashSet();
        var placements = new List<ResyncPlacement>();
        foreach (var row in rows.Where(r => !targetOf.ContainsKey(r.Mac) && !told.Contains(r.Mac) && r.State != ResyncState.Pending))
        {
            // Not resyncable as bound now; pending until a round binds it right (never a timer left running).
            placements.Add(new ResyncPlacement(row.Mac, ResyncState.Pending, null, null));
        }

        var plan = ResyncPlanner.Plan(targets, contactsOf, interval);
        var orders = new List<NotifyOrder>();
        var calls = new List<CallHeld>();
        foreach (var order in plan.Orders)
        {
            var row = rowOf[order.Mac];
            if (callDeferDeadline > TimeSpan.Zero && CallState.InCall(targetOf[order.Mac].Endpoints, deviceStateOf) is { } state)
            {
                var since = row.DeferredSince ?? now;
                if (CallDeferral.Until(since, now, callDeferDeadline) is { } until)
                {
                    calls.Add(new CallHeld(order.Mac, state, until, SentAnyway: false));
                    placements.Add(new ResyncPlacement(order.Mac, ResyncState.Deferred, since, until));
                    continue;
                }

                calls.Add(new CallHeld(order.Mac, state, since + callDeferDeadline, SentAnyway: true));
            }

            orders.Add(order with { Due = interval * orders.Count });
            if (row.State != ResyncState.Pending || row.Deadline is not null)
            {
                placements.Add(new ResyncPlacement(order.Mac, ResyncState.Pending, row.DeferredSince, null));
            }
        }

        foreach (var order in toLastContact)
        {
            orders.Add(order with { Due = interval * orders.Count });
        }

        foreach (var mac in plan.Waiting)
        {
            var row = rowOf[mac];
            if (row.State != ResyncState.WaitingContact)
            {
                placements.Add(new ResyncPlacement(mac, ResyncState.WaitingContact, row.DeferredSince, null));
            }
        }

        return new ResyncPlacing(orders, placements, calls, plan.Waiting);
    }
}
