using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Resync;

/// <summary>One NOTIFY that went out: the queue's record of it and the decision on Asterisk's reply.</summary>
internal sealed record NotifySent(ResyncSendResult Result, ResyncAnswer Answer);

/// <summary>
/// The sender: one NOTIFY through AMI <c>PJSIPNotify</c>. Its row moves to <c>sending</c> (committed) before
/// it goes out, so a crash never sends it twice; Asterisk's reply is decided by <see cref="ResyncAnswerRule"/>.
/// </summary>
internal sealed class NotifySender(ResyncOptions options, TimeProvider time, ILogger logger)
{
    private readonly ResyncAnswerLimits _limits = new(options.FetchDeadline, options.NotifyTries, options.NotifyRetryDelay, options.SendFailureCap);

    /// <summary>
    /// The <c>PJSIPNotify</c> action of an order (spec §4.4): <c>Endpoint:</c>, which Asterisk sends to
    /// every contact of the endpoint; or, when the endpoint is gone, <c>URI:</c> with the phone's last
    /// contact (sent from <c>default_outbound_endpoint</c>; registration-and-notify/11 records that form).
    /// </summary>
    public static AmiAction NotifyAction(NotifyOrder order)
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

    /// <summary>
    /// Marks the row <c>sending</c>, then sends; null when the row was no longer where this send expected it
    /// (fetched meanwhile, or another sender took it): nothing is sent then.
    /// </summary>
    public async Task<NotifySent?> SendAsync(ResyncSendSession session, IAmiActionSender ami, NotifyOrder order, int attempt, CancellationToken cancellationToken)
    {
        var ticket = await session.TakeAsync(new ResyncSend(order.Mac, order.Endpoint, order.Kind, attempt) { Registrations = order.Registrations }, time.GetUtcNow(), cancellationToken);
        if (ticket is null)
        {
            Log.NotSent(logger, order.Mac);
            return null;
        }

        NotifyReply reply;
        string? detail;
        try
        {
            var response = await ami.SendAsync(NotifyAction(order), cancellationToken);
            reply = response.IsSuccess ? NotifyReply.Success : NotifyReply.Error;
            detail = response.Message?.Trim();
        }
        catch (Exception e) when (e is AmiException or IOException or TimeoutException)
        {
            // Asterisk went away: the phone is queued again, and the snapshot after reconnecting plans it.
            reply = NotifyReply.Lost;
            detail = e.Message;
        }

        var now = time.GetUtcNow();
        var answer = ResyncAnswerRule.Decide(order, reply, detail, ticket.Refused, ticket.Failed, _limits, now);
        if (answer.Outcome == ResyncSendOutcome.Retry)
        {
            Log.RetryLater(logger, order.Mac, detail ?? string.Empty, (int)ticket.Refused + 1, options.NotifyTries, answer.Deadline!.Value - now);
        }
        else if (answer.IsStale)
        {
            Log.PhoneStale(logger, order.Mac, answer.Reason!);
        }

        Log.NotifyOutcome(logger, order.Event, order.Mac, order.Endpoint, answer.LogOutcome, answer.Detail ?? string.Empty);
        var record = new NotifyRecord
        {
            At = now,
            Mac = order.Mac,
            Endpoint = order.Endpoint,
            Event = order.Event,
            Outcome = answer.LogOutcome,
            Detail = answer.Detail,
        };
        return new NotifySent(new ResyncSendResult(order.Mac, answer.Outcome, answer.Deadline, record, answer.Reason), answer);
    }
}
