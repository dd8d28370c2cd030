using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Ami;

// The one Log class of the Ami assembly. Event ids 1000–1999 (1000–1099: connection and client;
// 1100–1199: PJSIP endpoint source). Never reuse or repurpose an id.
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Debug, "AMI connected to {Host}:{Port}, banner {Banner}")]
    public static partial void Connected(ILogger logger, string host, int port, string banner);

    [LoggerMessage(1001, LogLevel.Information, "AMI logged in to {Host}:{Port} as {Username}")]
    public static partial void LoggedIn(ILogger logger, string host, int port, string username);

    [LoggerMessage(1002, LogLevel.Warning, "AMI connection to {Host}:{Port} lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string host, int port, string reason);

    [LoggerMessage(1003, LogLevel.Error, "AMI received malformed data from {Host}:{Port}: {Reason}; closing the connection")]
    public static partial void Malformed(ILogger logger, string host, int port, string reason);

    [LoggerMessage(1004, LogLevel.Warning, "AMI peer {Host}:{Port} did not answer Ping within {Timeout}; presumed dead")]
    public static partial void DeadPeer(ILogger logger, string host, int port, TimeSpan timeout);

    [LoggerMessage(1005, LogLevel.Warning, "AMI event buffer full: dropped the oldest event ({Dropped} dropped so far); consumers must resnapshot")]
    public static partial void EventsDropped(ILogger logger, long dropped);

    [LoggerMessage(1006, LogLevel.Trace, "AMI answer with unknown ActionID {ActionId} ignored")]
    public static partial void UnknownActionId(ILogger logger, string actionId);

    [LoggerMessage(1010, LogLevel.Error, "AMI login to {Host}:{Port} as {Username} refused: {Reason}; retrying in {RetryIn}")]
    public static partial void LoginRefused(ILogger logger, string host, int port, string username, string reason, TimeSpan retryIn);

    [LoggerMessage(1011, LogLevel.Warning, "AMI cannot connect to {Host}:{Port}: {Reason}; retrying in {RetryIn}")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, string reason, TimeSpan retryIn, Exception? exception);

    [LoggerMessage(1012, LogLevel.Information, "AMI session {Generation} up (reconnect: {IsReconnect}); consumers take a full snapshot")]
    public static partial void SessionUp(ILogger logger, int generation, bool isReconnect);

    [LoggerMessage(1013, LogLevel.Warning, "AMI session {Generation} down: {Reason}; reconnecting in {RetryIn}")]
    public static partial void SessionDown(ILogger logger, int generation, string reason, TimeSpan retryIn);

    [LoggerMessage(1100, LogLevel.Information, "PJSIP snapshot read: {Endpoints} endpoints, {Provisionable} provisionable, {Actions} actions in {Elapsed}")]
    public static partial void SnapshotRead(ILogger logger, int endpoints, int provisionable, int actions, TimeSpan elapsed);

    [LoggerMessage(1101, LogLevel.Warning, "PJSIP snapshot not published, the last complete one stays: {Reason}")]
    public static partial void SnapshotFailed(ILogger logger, string reason, Exception? exception);

    [LoggerMessage(1102, LogLevel.Debug, "PJSIP snapshot requested: {Trigger}")]
    public static partial void SnapshotTriggered(ILogger logger, string trigger);

    [LoggerMessage(1103, LogLevel.Information, "Asterisk reported its reload as queued or in progress: endpoints are read again in {Delay}")]
    public static partial void ReadAgainLater(ILogger logger, TimeSpan delay);

    [LoggerMessage(1104, LogLevel.Debug, "PJSIP contacts read: {Contacts} registered contacts in {Elapsed}")]
    public static partial void ContactsRead(ILogger logger, int contacts, TimeSpan elapsed);

    [LoggerMessage(1105, LogLevel.Warning, "PJSIP contacts not refreshed, the next event or snapshot tries again: {Reason}")]
    public static partial void ContactsFailed(ILogger logger, string reason, Exception? exception);

    [LoggerMessage(1106, LogLevel.Debug, "PJSIP snapshot waits {Wait} (Ami:Sync:MinInterval since the last read)")]
    public static partial void SnapshotSpaced(ILogger logger, TimeSpan wait);
}
