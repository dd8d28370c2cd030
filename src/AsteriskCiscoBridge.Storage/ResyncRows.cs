using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Storage;

/// <summary>A phone that still owes the bridge a fetch of its changed files.</summary>
public sealed record ResyncQueueRow
{
    public required MacAddress Mac { get; init; }

    /// <summary>Where it stands (stored as the words of <see cref="ResyncStateNames"/>).</summary>
    public required ResyncState State { get; init; }

    /// <summary>Why it is queued (<c>changed</c>, <c>admin resync</c>), or why it is stale.</summary>
    public required string Reason { get; init; }

    /// <summary>When its files last changed: only a fetch at or after it proves the phone has them.</summary>
    public required DateTimeOffset ChangedAt { get; init; }

    /// <summary>The endpoint the last NOTIFY went through.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The last rung sent (stored as <c>check-sync</c>, <c>restart</c> or <c>reset</c>), or null before the first.</summary>
    public ResyncKind? Kind { get; init; }

    /// <summary>NOTIFYs sent for this change (1 for the first).</summary>
    public long Attempt { get; init; }

    public DateTimeOffset? SentAt { get; init; }

    /// <summary>Awaiting fetch: the fetch deadline; deferred: when it is sent even in a call.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>When a snapshot first showed it in a call.</summary>
    public DateTimeOffset? DeferredSince { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Its last fetch of its own files after its change (then it must register again), or null.</summary>
    public DateTimeOffset? FetchedAt { get; init; }

    /// <summary>Its registrations when its NOTIFY went (or when it fetched unasked), one per line (<see cref="ResyncQueue.JoinRegistrations"/>).</summary>
    public string? Registrations { get; init; }

    /// <summary>NOTIFYs of this change Asterisk answered with an Error.</summary>
    public long Refused { get; init; }

    /// <summary>NOTIFYs of this change lost with the AMI session.</summary>
    public long Failed { get; init; }

    /// <summary><see cref="Registrations"/> as a list.</summary>
    public IReadOnlyList<ResyncRegistration> RegistrationList => ResyncQueue.SplitRegistrations(Registrations);
}

/// <summary>A NOTIFY about to go out: attempt 1 leaves a queued state, a later attempt leaves awaiting-fetch; either may leave retry.</summary>
public sealed record ResyncSend(MacAddress Mac, string Endpoint, ResyncKind Kind, int Attempt)
{
    /// <summary>The phone's registrations now: one that is not among them later, or one refreshed since, is the phone coming back.</summary>
    public IReadOnlyList<ResyncRegistration> Registrations { get; init; } = [];
}

/// <summary>A send the queue let go out, with what this change's earlier sends met.</summary>
/// <param name="Refused">Earlier NOTIFYs Asterisk answered with an Error.</param>
/// <param name="Failed">Earlier NOTIFYs lost with the AMI session.</param>
public sealed record ResyncSendTicket(long Refused, long Failed);

/// <summary>The answer to one NOTIFY and its notify-log row; <paramref name="Reason"/> for the row's reason when it ends stale or waits for a retry.</summary>
public sealed record ResyncSendResult(MacAddress Mac, ResyncSendOutcome Outcome, DateTimeOffset? Deadline, NotifyRecord Record, string? Reason = null);
