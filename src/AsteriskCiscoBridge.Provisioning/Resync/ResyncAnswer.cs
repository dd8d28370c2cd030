using System.Globalization;

namespace AsteriskCiscoBridge.Provisioning.Resync;

/// <summary>What came back when a NOTIFY was handed to Asterisk.</summary>
public enum NotifyReply
{
    /// <summary><c>Response: Success</c>.</summary>
    Success = 0,

    /// <summary><c>Response: Error</c> (an unknown endpoint, a contact Asterisk cannot reach…).</summary>
    Error = 1,

    /// <summary>No answer: the AMI session was lost with the NOTIFY.</summary>
    Lost = 2,
}

/// <summary>How a sent NOTIFY ends for the queue.</summary>
public enum ResyncSendOutcome
{
    /// <summary>Success: expect the fetch by the deadline.</summary>
    Accepted = 0,

    /// <summary>The AMI session failed: the phone is queued again for the next snapshot.</summary>
    Failed = 1,

    /// <summary>Asterisk answered Error, the last try: the phone is stale with that reason.</summary>
    Refused = 2,

    /// <summary>Asterisk answered Error: the same NOTIFY goes out again at the deadline.</summary>
    Retry = 3,

    /// <summary>Success for a NOTIFY to a removed endpoint's last contact: nothing more can be watched, the row goes.</summary>
    Told = 4,

    /// <summary>The AMI session failed, once too often for this change: the phone is stale with that reason.</summary>
    GaveUp = 5,
}

/// <summary>The decision for one reply: the queue's outcome, its deadline, the reason a retry or a stale row keeps, and the notify log's words.</summary>
/// <param name="Detail">Asterisk's message (or the failure), as the notify log keeps it.</param>
/// <param name="LogOutcome"><c>sent</c>, <c>refused</c> or <c>failed</c>.</param>
public sealed record ResyncAnswer(ResyncSendOutcome Outcome, DateTimeOffset? Deadline, string? Reason, string? Detail, string LogOutcome)
{
    /// <summary>The phone now needs a person.</summary>
    public bool IsStale => Outcome is ResyncSendOutcome.Refused or ResyncSendOutcome.GaveUp;

    /// <summary>Asterisk took the NOTIFY.</summary>
    public bool IsSent => Outcome is ResyncSendOutcome.Accepted or ResyncSendOutcome.Told;
}

/// <summary>How often and how long a refused or lost NOTIFY is tried again, and how long a fetch may take.</summary>
/// <param name="NotifyTries">NOTIFYs of one change Asterisk may refuse before the phone is stale.</param>
/// <param name="NotifyRetryDelay">The wait after the first refusal; it doubles after each.</param>
/// <param name="SendFailureCap">NOTIFYs of one change that may be lost with the AMI session before the phone is stale.</param>
public sealed record ResyncAnswerLimits(TimeSpan FetchDeadline, int NotifyTries, TimeSpan NotifyRetryDelay, int SendFailureCap);

/// <summary>
/// What a reply to a NOTIFY means for the queue (pure: time is a parameter): a Success awaits the fetch (or, to a
/// removed endpoint's last contact, ends the row); an Error is tried again with a doubling wait
/// (<see cref="ResyncPlanner.RetryAfterRefusal"/>) until the last try makes the phone stale; a lost session queues
/// the phone again for the snapshot after the reconnect, until the cap makes it stale.
/// </summary>
public static class ResyncAnswerRule
{
    /// <summary>
    /// Decides <paramref name="reply"/> to <paramref name="order"/>; <paramref name="refusedBefore"/> and
    /// <paramref name="failedBefore"/> count this change's earlier refused and lost NOTIFYs.
    /// </summary>
    public static ResyncAnswer Decide(NotifyOrder order, NotifyReply reply, string? detail, long refusedBefore, long failedBefore, ResyncAnswerLimits limits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(limits);
        switch (reply)
        {
            case NotifyReply.Success when order.Uri is null:
                return new ResyncAnswer(ResyncSendOutcome.Accepted, now + limits.FetchDeadline, null, detail, "sent");
            case NotifyReply.Success:
                return new ResyncAnswer(ResyncSendOutcome.Told, null, null, $"{detail} (to its last contact {order.Uri}: endpoint {order.Endpoint} is gone from Asterisk)", "sent");
            case NotifyReply.Error:
                var refusals = (int)refusedBefore + 1;
                if (ResyncPlanner.RetryAfterRefusal(refusals, limits.NotifyTries, limits.NotifyRetryDelay) is { } wait)
                {
                    return new ResyncAnswer(
                        ResyncSendOutcome.Retry,
                        now + wait,
                        $"Asterisk refused the {order.Event} NOTIFY: {detail} (try {refusals} of {limits.NotifyTries}; again at {Utc(now + wait)})",
                        detail,
                        "refused");
                }

                return new ResyncAnswer(ResyncSendOutcome.Refused, null, $"Asterisk refused the {order.Event} NOTIFY {refusals} time{(refusals == 1 ? string.Empty : "s")}: {detail}", detail, "refused");
            default:
                var failures = (int)failedBefore + 1;
                return failures >= limits.SendFailureCap
                    ? new ResyncAnswer(ResyncSendOutcome.GaveUp, null, $"its NOTIFY was lost with the AMI session {failures} times (last: {detail})", detail, "failed")
                    : new ResyncAnswer(ResyncSendOutcome.Failed, null, null, detail, "failed");
        }
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
