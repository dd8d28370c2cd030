namespace AsteriskCiscoBridge.Ami.Pjsip;

/// <summary>
/// A SIP request Asterisk authenticated for an endpoint: the <c>SuccessfulAuth</c> security event res_pjsip raises
/// (needs <c>read = security</c> on the manager user). Its <c>SessionID</c> is the request's Call-ID, which for a
/// REGISTER is the registration's, even when Asterisk only refreshes a contact it already had and keeps the Call-ID it
/// was created with (res_pjsip_registrar.c; seen on Asterisk 22.10.1). The event does not name the method: a REGISTER
/// and an INVITE look alike.
/// </summary>
/// <param name="Endpoint">The endpoint (<c>AccountID</c>).</param>
/// <param name="CallId">The request's Call-ID (<c>SessionID</c>).</param>
/// <param name="RemoteHost">The address it came from, without transport or port (<c>RemoteAddress</c> <c>IPV4/UDP/10.0.0.5/5060</c>).</param>
public sealed record PjsipAuthentication(string Endpoint, string CallId, string RemoteHost)
{
    /// <summary>
    /// Reads a <c>SuccessfulAuth</c> of <c>Service: PJSIP</c> (recorded in registration-and-notify-auditor); null for any
    /// other event, another service (the AMI's own logins raise the same event), or one missing a field.
    /// </summary>
    public static PjsipAuthentication? TryParse(AmiMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.EventName != "SuccessfulAuth" || message["Service"] != "PJSIP"
            || message["AccountID"] is not { Length: > 0 } endpoint
            || message["SessionID"] is not { Length: > 0 } callId
            || Host(message["RemoteAddress"]) is not { } host)
        {
            return null;
        }

        return new PjsipAuthentication(endpoint, callId, host);
    }

    // IPV4/UDP/127.0.0.1/5070 or IPV6/UDP/[::1]/5060 (ast_sockaddr_stringify_addr brackets IPv6): the part
    // between the second slash and the last one.
    private static string? Host(string? remote)
    {
        if (remote is null)
        {
            return null;
        }

        var parts = remote.Split('/');
        if (parts.Length < 4 || !parts[0].StartsWith("IPV", StringComparison.Ordinal))
        {
            return null;
        }

        var host = string.Join('/', parts[2..^1]).Trim('[', ']');
        return host.Length == 0 ? null : host;
    }
}
