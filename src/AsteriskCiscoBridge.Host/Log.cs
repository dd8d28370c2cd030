using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host;

// The one Log class of the acb assembly (the host). Event ids 8000–8999 (8100–8199: acb run).
// Never reuse or repurpose an id; the next free one is 8142.
internal static partial class Log
{
    [LoggerMessage(8141, LogLevel.Critical, "{What}: the service stops with exit code 1 so that systemd restarts it")]
    public static partial void ServiceDied(ILogger logger, string what);
}
