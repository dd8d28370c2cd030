using System.Net;
using AsteriskCiscoBridge.Provisioning.Model;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Dashboard;

// The one Log class of the Dashboard assembly. Event ids 7000–7999 (7100–7199: the listener and the
// admin's actions through its API). Never reuse or repurpose an id; the next free one is 7106.
internal static partial class Log
{
    [LoggerMessage(7101, LogLevel.Information, "Dashboard on http://{EndPoint}/ (token configured: {TokenConfigured})")]
    public static partial void Listening(ILogger logger, IPEndPoint endPoint, bool tokenConfigured);

    [LoggerMessage(7102, LogLevel.Information, "Dashboard pin of {Mac}: {Load}; plan: {Reason}")]
    public static partial void PinChanged(ILogger logger, MacAddress mac, string load, string reason);

    [LoggerMessage(7103, LogLevel.Warning, "Dashboard accepted the held answer of Asterisk: {Held}")]
    public static partial void RemovalsAccepted(ILogger logger, string held);

    [LoggerMessage(7104, LogLevel.Information, "Dashboard resync of {Mac} via endpoint {Endpoint}: accepted {Accepted}")]
    public static partial void ResyncRequested(ILogger logger, MacAddress mac, string endpoint, bool accepted);

    [LoggerMessage(7105, LogLevel.Information, "Dashboard speed dials of {Mac}: {Count} set")]
    public static partial void KeysChanged(ILogger logger, MacAddress mac, int count);
}
