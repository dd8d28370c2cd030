namespace AsteriskCiscoBridge.Ami;

/// <summary>Base of the errors this library raises: the connection or session is finished, or an action failed.</summary>
public class AmiException : Exception
{
    public AmiException()
    {
    }

    public AmiException(string message)
        : base(message)
    {
    }

    public AmiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The connection is gone (closed by the peer, dead peer, malformed bytes, disposed) or there is none.
/// Every action in flight fails with this at once.
/// </summary>
public class AmiConnectionLostException : AmiException
{
    public AmiConnectionLostException()
    {
    }

    public AmiConnectionLostException(string message)
        : base(message)
    {
    }

    public AmiConnectionLostException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Asterisk refused the login (<c>Message: Authentication failed</c>); retrying at once would only repeat it.</summary>
public sealed class AmiAuthenticationException : AmiException
{
    public AmiAuthenticationException()
    {
    }

    public AmiAuthenticationException(string message)
        : base(message)
    {
    }

    public AmiAuthenticationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An action was answered with <c>Response: Error</c>.</summary>
public sealed class AmiActionException : AmiException
{
    public AmiActionException()
    {
    }

    public AmiActionException(string message)
        : base(message)
    {
    }

    public AmiActionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public AmiActionException(string action, AmiResponse response)
        : base($"AMI action {action} failed: {response.Message ?? "(no message)"}")
    {
        ArgumentNullException.ThrowIfNull(response);
        Action = action;
        IsPermissionDenied = response.IsPermissionDenied;
    }

    /// <summary>The action name.</summary>
    public string? Action { get; }

    /// <summary>True for <c>Message: Permission denied</c> (missing manager.conf class, or not logged in).</summary>
    public bool IsPermissionDenied { get; }
}
