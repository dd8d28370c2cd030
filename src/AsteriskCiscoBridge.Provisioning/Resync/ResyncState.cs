namespace AsteriskCiscoBridge.Provisioning.Resync;

/// <summary>Where a queued phone's resync stands (a <c>resync_queue</c> row; migrations 003 and 009 say what each means).</summary>
public enum ResyncState
{
    /// <summary>Queued: its files changed, its NOTIFY is about to be planned.</summary>
    Pending = 0,

    /// <summary>Queued: no live contact to send to; a later snapshot or contacts read plans it.</summary>
    WaitingContact = 1,

    /// <summary>Queued: in a call; sent when it is idle, or at the call-defer deadline.</summary>
    Deferred = 2,

    /// <summary>Its NOTIFY is going out (committed before the send, so a crash never sends it twice).</summary>
    Sending = 3,

    /// <summary>Asterisk took the NOTIFY: the phone's fetch is due by the deadline.</summary>
    AwaitingFetch = 4,

    /// <summary>It fetched its files: its registration is due by the deadline.</summary>
    AwaitingRegistration = 5,

    /// <summary>Asterisk refused the NOTIFY: the same one goes out again at the deadline.</summary>
    Retry = 6,

    /// <summary>Needs a person: no fetch after every NOTIFY, no registration after the fetch, or refused.</summary>
    Stale = 7,
}

/// <summary>The words of each <see cref="ResyncState"/>: those stored in <c>resync_queue.state</c> and shown by <c>acb phones --json</c>.</summary>
public static class ResyncStateNames
{
    /// <summary>The state's word (<c>pending</c>, <c>waiting-contact</c>, …).</summary>
    public static string Name(ResyncState state) => state switch
    {
        ResyncState.Pending => "pending",
        ResyncState.WaitingContact => "waiting-contact",
        ResyncState.Deferred => "deferred",
        ResyncState.Sending => "sending",
        ResyncState.AwaitingFetch => "awaiting-fetch",
        ResyncState.AwaitingRegistration => "awaiting-registration",
        ResyncState.Retry => "retry",
        ResyncState.Stale => "stale",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>The state a word names, or null for a word that names none.</summary>
    public static ResyncState? Parse(string? name) => name switch
    {
        "pending" => ResyncState.Pending,
        "waiting-contact" => ResyncState.WaitingContact,
        "deferred" => ResyncState.Deferred,
        "sending" => ResyncState.Sending,
        "awaiting-fetch" => ResyncState.AwaitingFetch,
        "awaiting-registration" => ResyncState.AwaitingRegistration,
        "retry" => ResyncState.Retry,
        "stale" => ResyncState.Stale,
        _ => null,
    };

    /// <summary>States a NOTIFY of the current change has gone out from (the fetch that follows answers it).</summary>
    public static bool WasSent(ResyncState state) => state is ResyncState.Sending or ResyncState.AwaitingFetch or ResyncState.Stale;
}
