using System.Collections.Concurrent;

namespace AsteriskCiscoBridge.Ami;

/// <summary>What <see cref="AmiActionCorrelator.Accept"/> did with a message.</summary>
internal enum AmiCorrelation
{
    /// <summary>No ActionID: an unsolicited message (an event goes to the event channel).</summary>
    Unsolicited = 0,

    /// <summary>Part of the answer to an action in flight (its response, a list event, or the list's end).</summary>
    Answer = 1,

    /// <summary>An ActionID no action in flight has (its caller gave up): dropped, not an event.</summary>
    UnknownActionId = 2,
}

/// <summary>
/// Matches answers to actions by their ActionID string (never its hash, as AsterNET does): a plain
/// action completes with its <c>Response:</c>; a list action (<c>EventList: start</c>, successful)
/// collects every event with its ActionID until <c>EventList: Complete</c>. Registration and answers
/// may come from different threads (senders and the reader loop); one action's answer comes from
/// the reader loop alone.
/// </summary>
internal sealed class AmiActionCorrelator
{
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    /// <summary>Actions in flight.</summary>
    public int Count => _pending.Count;

    /// <summary>
    /// Registers action <paramref name="actionId"/> before it is written; the task completes with its
    /// answer or faults through <see cref="FailAll"/>. Throws when the id is already in flight.
    /// </summary>
    public Task<AmiResponse> Register(string actionId)
    {
        var pending = new Pending();
        if (!_pending.TryAdd(actionId, pending))
        {
            throw new InvalidOperationException($"ActionID '{actionId}' is already in flight on this connection.");
        }

        return pending.Completion.Task;
    }

    /// <summary>Forgets <paramref name="actionId"/> (answered, cancelled or failed); later answers to it are unknown.</summary>
    public void Remove(string actionId) => _pending.TryRemove(actionId, out _);

    /// <summary>Takes one message from the reader loop.</summary>
    public AmiCorrelation Accept(AmiMessage message)
    {
        var id = message.ActionId;
        if (id is null)
        {
            return AmiCorrelation.Unsolicited;
        }

        if (!_pending.TryGetValue(id, out var pending))
        {
            return AmiCorrelation.UnknownActionId;
        }

        if (message.Kind == AmiMessageKind.Response && pending.Response is null)
        {
            pending.Response = message;
            var list = message["EventList"];
            if (list is null || !list.Equals("start", StringComparison.OrdinalIgnoreCase) || !IsSuccess(message))
            {
                pending.Completion.TrySetResult(new AmiResponse(message, [], null));
            }

            return AmiCorrelation.Answer;
        }

        if (message["EventList"] is { } state && state.Equals("Complete", StringComparison.OrdinalIgnoreCase))
        {
            pending.Completion.TrySetResult(new AmiResponse(pending.Response ?? message, pending.Events, message));
            return AmiCorrelation.Answer;
        }

        pending.Events.Add(message);
        return AmiCorrelation.Answer;
    }

    /// <summary>Fails every action in flight (the connection ended), each with its own exception made by <paramref name="error"/>.</summary>
    public void FailAll(Func<Exception> error)
    {
        foreach (var pending in _pending.Values)
        {
            pending.Completion.TrySetException(error());
        }
    }

    private static bool IsSuccess(AmiMessage message) =>
        message.ResponseStatus is { } s && s.Equals("Success", StringComparison.OrdinalIgnoreCase);

    private sealed class Pending
    {
        public TaskCompletionSource<AmiResponse> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public AmiMessage? Response { get; set; }

        public List<AmiMessage> Events { get; } = [];
    }
}
