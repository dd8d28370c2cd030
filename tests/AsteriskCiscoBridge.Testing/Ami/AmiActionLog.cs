using AsteriskCiscoBridge.Ami;

namespace AsteriskCiscoBridge.Testing.Ami;

/// <summary>The actions an <see cref="AmiTestServer"/> receives from the moment this is made (what came before is passed over).</summary>
public sealed class AmiActionLog
{
    private readonly AmiTestServer _server;
    private readonly List<AmiMessage> _seen = [];

    public AmiActionLog(AmiTestServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _server = server;
        while (server.Received.TryRead(out _))
        {
        }
    }

    /// <summary>Every action received since this was made, oldest first.</summary>
    public IReadOnlyList<AmiMessage> SinceStart()
    {
        while (_server.Received.TryRead(out var received))
        {
            _seen.Add(received.Action);
        }

        return [.. _seen];
    }

    // PJSIPShowContacts is left out: while a told phone awaits its registration proof, the contacts are
    // looked at (a phone registering again from the same contact raises no event); that reads no endpoint.

    /// <summary>An action of a snapshot read that reads endpoints (PjsipSnapshotReader: PJSIPShowEndpoints/Auths/Endpoint, GetConfig).</summary>
    public static bool ReadsEndpoints(AmiMessage action) =>
        action?["Action"] is { } name
        && ((name.StartsWith("PJSIPShow", StringComparison.OrdinalIgnoreCase) && !name.Equals("PJSIPShowContacts", StringComparison.OrdinalIgnoreCase))
            || name.Equals("GetConfig", StringComparison.OrdinalIgnoreCase));
}
