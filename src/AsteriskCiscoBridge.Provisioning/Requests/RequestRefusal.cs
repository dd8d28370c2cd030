namespace AsteriskCiscoBridge.Provisioning.Requests;

/// <summary>How a request the request log only counts was turned away.</summary>
public enum RefusalKind
{
    /// <summary>Unreadable, or a TFTP option out of range.</summary>
    Malformed = 0,

    /// <summary>Outside the allowed networks, a write request, a refused name.</summary>
    Denied = 1,

    /// <summary>Throttled by the scan guard or the rate limit.</summary>
    Guarded = 2,

    /// <summary>A transfer limit was reached.</summary>
    Busy = 3,
}

/// <summary>
/// Which requests the request log keeps one by one and which it only counts per address and minute
/// (catalogue cases 17 and 18 under load). A request that reached the file tree from an allowed
/// address (served, not found, failed, refused for another address than the phone's: a bound phone's
/// own file, with its explanation) keeps its row. What an attacker can send without limit (malformed
/// datagrams, requests from outside the allowed networks, a MAC scan the guard or the rate limit
/// throttles, requests turned away busy) is counted: a flood adds a row per address and minute, not
/// one per datagram. Pure.
/// </summary>
public static class RequestRefusal
{
    /// <summary>The kind of refusal a request that ended in <paramref name="outcome"/>, answered by <paramref name="source"/>, is counted as; null when it keeps its own row.</summary>
    public static RefusalKind? KindOf(RequestOutcome outcome, string? source) => outcome.Kind switch
    {
        RequestOutcomeKind.Malformed or RequestOutcomeKind.OptionRefused => RefusalKind.Malformed,
        RequestOutcomeKind.Busy => RefusalKind.Busy,
        RequestOutcomeKind.Denied => source switch
        {
            RequestSources.AddressDenied => null,
            RequestSources.Guard or RequestSources.RateLimit => RefusalKind.Guarded,
            _ => RefusalKind.Denied,
        },
        _ => null,
    };
}
