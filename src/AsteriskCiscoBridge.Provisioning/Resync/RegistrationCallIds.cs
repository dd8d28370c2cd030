namespace AsteriskCiscoBridge.Provisioning.Resync;

/// <summary>A phone fetched its own file (SEP&lt;MAC&gt;.cnf.xml, SIP&lt;MAC&gt;.cnf…) from <paramref name="Host"/>: it booted or restarted.</summary>
public sealed record PhoneBoot(string Host, DateTimeOffset At);

/// <summary>A SIP request Asterisk authenticated on a line (its <c>SuccessfulAuth</c> security event), seen at <paramref name="At"/>.</summary>
public sealed record AuthenticatedRequest(string Endpoint, string CallId, string Host, DateTimeOffset At);

/// <summary>
/// The Call-ID of a line's current registration, learned from the request Asterisk authenticated for it, and the
/// Call-ID Asterisk listed for the line's contact at that moment, which it replaces while Asterisk still lists it.
/// </summary>
public sealed record LearnedRegistration(string Endpoint, string CallId, string? Supersedes, DateTimeOffset At);

/// <summary>
/// The Call-ID a 79x1 or later-series <c>service-control</c> NOTIFY must name (its <c>RegisterCallId</c>): the one of
/// the phone's current REGISTER. Asterisk lists the Call-ID a contact was <i>created</i> with: a phone that comes back
/// from the same address and port with a new Call-ID (after a power cut, or a restart whose unregister was refused
/// because its password had just changed) only refreshes that contact (res_pjsip_registrar.c; seen on Asterisk
/// 22.10.1), and a NOTIFY naming the old Call-ID is passed over. Asterisk's <c>SuccessfulAuth</c> security event carries
/// every authenticated request's Call-ID but not its method; after a boot, the first request a phone authenticates on a
/// line is its REGISTER (a line cannot call before it is registered), so that one is taken.
/// </summary>
public static class RegistrationCallIds
{
    /// <summary>
    /// The registration of a line of a phone that booted (<paramref name="boot"/>), from the requests Asterisk
    /// authenticated on it (<paramref name="requests"/>, in any order): the first one from the address the phone booted
    /// from, at or after its boot, is its REGISTER; later ones are calls. Null when there is none yet, or no boot seen.
    /// <paramref name="asteriskCallId"/> is what Asterisk lists for the line's contact now.
    /// </summary>
    public static LearnedRegistration? Learn(PhoneBoot? boot, IEnumerable<AuthenticatedRequest> requests, string? asteriskCallId)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (boot is null)
        {
            return null;
        }

        var register = requests
            .Where(r => r.At >= boot.At && string.Equals(r.Host, boot.Host, StringComparison.OrdinalIgnoreCase) && r.CallId.Length > 0)
            .OrderBy(r => r.At)
            .FirstOrDefault();
        return register is null ? null : new LearnedRegistration(register.Endpoint, register.CallId, asteriskCallId == register.CallId ? null : asteriskCallId, register.At);
    }

    /// <summary>
    /// The Call-ID of the line's current registration: the learned one while Asterisk still lists the Call-ID it
    /// replaced; otherwise Asterisk's (a contact created since, or none learned). A registration learned when Asterisk
    /// listed nothing, or the same, supersedes nothing: the contact its REGISTER creates holds it anyway.
    /// </summary>
    public static string? Current(string? asteriskCallId, LearnedRegistration? learned) =>
        learned?.Supersedes is { } replaced && asteriskCallId == replaced ? learned.CallId : asteriskCallId;
}
