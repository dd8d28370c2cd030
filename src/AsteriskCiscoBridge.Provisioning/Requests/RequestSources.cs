namespace AsteriskCiscoBridge.Provisioning.Requests;

/// <summary>
/// The layers of the file tree that answer a request, by the name the request log stores for each
/// (<c>source</c>). Stored text: a name never changes once written.
/// </summary>
public static class RequestSources
{
    /// <summary>The bridge's generated files.</summary>
    public const string Store = "store";

    /// <summary>A phone's own file when no binding is known (the unprovisioned policy).</summary>
    public const string Unbound = "unbound";

    /// <summary>The MAC-scan guard refused it.</summary>
    public const string Guard = "guard";

    /// <summary>The per-address rate limit refused it.</summary>
    public const string RateLimit = "rate-limit";

    /// <summary>Refused: asked from another address than the phone's known one (<c>Security:AddressPinning=deny</c>, hence the name).</summary>
    public const string AddressDenied = "pinning";

    /// <summary>Served, though asked from another address than the phone's known one (<c>Security:AddressPinning=alert</c>, hence the name).</summary>
    public const string AddressAlert = "pin-alert";

    /// <summary>The firmware folder; the source is this prefix and the folder.</summary>
    public const string DiskPrefix = "disk:";
}
