namespace AsteriskCiscoBridge.Provisioning.Resync;

/// <summary>
/// How long a phone in a call (<see cref="CallState"/>) keeps its NOTIFY back: a NOTIFY that makes it
/// restart would cut the call, so it waits until the phone is idle, but never past the call-defer
/// deadline (a phone left off-hook must still get its files). Pure: time is a parameter.
/// </summary>
public static class CallDeferral
{
    /// <summary>
    /// A queued phone found in a call at <paramref name="now"/>, first seen in one at <paramref name="deferredSince"/>
    /// (null: now): when it is sent at the latest, or null when that time has come (it is sent despite the call).
    /// A zero <paramref name="deadline"/> turns deferral off.
    /// </summary>
    public static DateTimeOffset? Until(DateTimeOffset? deferredSince, DateTimeOffset now, TimeSpan deadline)
    {
        if (deadline <= TimeSpan.Zero)
        {
            return null;
        }

        var until = (deferredSince ?? now) + deadline;
        return now < until ? until : null;
    }

    /// <summary>
    /// A stronger rung is due (its fetch deadline <paramref name="missed"/> passed) while the phone is in a call: the
    /// new deadline to look again (within a fetch deadline, at most until the call-defer deadline after the miss), or
    /// null when the call-defer deadline has passed (the rung goes out despite the call).
    /// </summary>
    public static DateTimeOffset? Postpone(DateTimeOffset missed, DateTimeOffset now, TimeSpan deadline, TimeSpan fetchDeadline)
    {
        if (deadline <= TimeSpan.Zero || now >= missed + deadline)
        {
            return null;
        }

        var until = missed + deadline;
        var next = now + fetchDeadline;
        return until < next ? until : next;
    }
}
