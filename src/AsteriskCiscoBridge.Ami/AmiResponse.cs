namespace AsteriskCiscoBridge.Ami;

/// <summary>
/// The answer to one action: its <c>Response:</c> message and, for a list action
/// (<c>EventList: start</c>), every event that carried its ActionID up to the <c>EventList: Complete</c>
/// event, which is kept apart in <see cref="Completion"/>.
/// </summary>
public sealed record AmiResponse(AmiMessage Response, IReadOnlyList<AmiMessage> Events, AmiMessage? Completion)
{
    /// <summary><c>Response: Success</c>, <c>Goodbye</c> or <c>Follows</c>.</summary>
    public bool IsSuccess => Response.ResponseStatus is { } s
        && (s.Equals("Success", StringComparison.OrdinalIgnoreCase) || s.Equals("Goodbye", StringComparison.OrdinalIgnoreCase) || s.Equals("Follows", StringComparison.OrdinalIgnoreCase));

    /// <summary>The <c>Message:</c> value, if any.</summary>
    public string? Message => Response["Message"];

    /// <summary><c>Message: Permission denied</c>: the manager.conf user lacks the class, or the session is not logged in.</summary>
    public bool IsPermissionDenied => !IsSuccess && string.Equals(Message, "Permission denied", StringComparison.OrdinalIgnoreCase);

    /// <summary>Command output: every <c>Output:</c> field, in order.</summary>
    public IReadOnlyList<string> Output => Response.GetAll("Output");

    /// <summary>Throws <see cref="AmiActionException"/> unless the action succeeded.</summary>
    public AmiResponse EnsureSuccess(string action) => IsSuccess ? this : throw new AmiActionException(action, this);
}

/// <summary>Something that sends actions and returns their answers: a single connection or the reconnecting client.</summary>
public interface IAmiActionSender
{
    /// <summary>Sends <paramref name="action"/> and returns its answer (a list action's events included).</summary>
    Task<AmiResponse> SendAsync(AmiAction action, CancellationToken cancellationToken);
}
