namespace AsteriskCiscoBridge.Provisioning.Resync;

/// <summary>
/// Whether a phone is in a call, from its endpoints' DeviceState as PJSIPShowEndpoints reports it
/// (ast_devstate_str: "Not in use", "In use", "Busy", "Invalid", "Unavailable", "Ringing",
/// "Ring+Inuse", "On Hold", "Unknown"). A NOTIFY that makes it reboot would cut the call.
/// </summary>
public static class CallState
{
    /// <summary>True for the states of a phone with a call up, ringing or on hold.</summary>
    public static bool IsInCall(string? deviceState) => deviceState is "In use" or "Busy" or "Ringing" or "Ring+Inuse" or "On Hold";

    /// <summary>The first in-call state among <paramref name="endpoints"/>, or null when all are idle (or unknown).</summary>
    public static string? InCall(IEnumerable<string> endpoints, Func<string, string?> deviceStateOf)
    {
        foreach (var endpoint in endpoints)
        {
            if (deviceStateOf(endpoint) is { } state && IsInCall(state))
            {
                return state;
            }
        }

        return null;
    }
}
