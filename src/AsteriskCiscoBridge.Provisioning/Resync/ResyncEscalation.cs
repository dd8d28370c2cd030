namespace AsteriskCiscoBridge.Provisioning.Resync;

/// <summary>What follows a NOTIFY whose fetch deadline passed without a fetch.</summary>
public enum EscalationAction
{
    /// <summary>The next rung goes out (<see cref="ResyncEscalation.Next"/>, to <see cref="ResyncEscalation.Contact"/>).</summary>
    Send = 0,

    /// <summary>The phone is in a call: look again at <see cref="ResyncEscalation.Until"/>.</summary>
    Postpone = 1,

    /// <summary>No rung is left, or no contact to send it to: the phone is stale with <see cref="ResyncEscalation.Reason"/>.</summary>
    Stale = 2,
}

/// <summary>The decision for a missed fetch.</summary>
public sealed record ResyncEscalation(EscalationAction Action, ResyncKind? Next = null, ResyncContact? Contact = null, DateTimeOffset? Until = null, string? Reason = null);

/// <summary>
/// The escalation ladder when a phone does not fetch after its NOTIFY (spec §4): the next rung
/// (<see cref="ResyncPlanner.NextStep"/>), held back while the phone is in a call (<see cref="CallDeferral.Postpone"/>),
/// sent to a live contact that can take it, or the phone is stale. Pure: time is a parameter.
/// </summary>
public static class ResyncEscalationRule
{
    /// <summary>
    /// <paramref name="failed"/> is the rung that brought no fetch (null: unknown, taken as a restart),
    /// <paramref name="attempt"/> how many NOTIFYs this change has had, <paramref name="missed"/> the deadline
    /// that passed; <paramref name="deviceState"/> and <paramref name="contacts"/> describe the endpoint the
    /// last NOTIFY went through (null contacts: that endpoint is gone).
    /// </summary>
    public static ResyncEscalation Decide(
        ResyncKind? failed,
        int attempt,
        DateTimeOffset? missed,
        string? deviceState,
        IReadOnlyList<ResyncContact>? contacts,
        DateTimeOffset now,
        TimeSpan callDeferDeadline,
        TimeSpan fetchDeadline)
    {
        var rung = failed ?? ResyncKind.Restart;
        var next = ResyncPlanner.NextStep(rung, attempt);

        // A stronger rung restarts the phone: not while it is in a call, up to the call-defer deadline.
        if (next is not null && CallState.IsInCall(deviceState) && missed is { } was
            && CallDeferral.Postpone(was, now, callDeferDeadline, fetchDeadline) is { } until)
        {
            return new ResyncEscalation(EscalationAction.Postpone, Until: until);
        }

        if (next is null)
        {
            var reason = $"no fetch after {attempt} NOTIFY{(attempt == 1 ? string.Empty : "s")}, the last {ResyncNotify.EventPackage(failed)}{(rung == ResyncKind.Reset ? " reset" : string.Empty)}";
            return new ResyncEscalation(EscalationAction.Stale, Reason: reason);
        }

        return contacts is not null && ResyncPlanner.ReachableContact(next.Value, contacts) is { } contact
            ? new ResyncEscalation(EscalationAction.Send, next, contact)
            : new ResyncEscalation(EscalationAction.Stale, next, Reason: "no fetch, and its contact is gone");
    }
}
