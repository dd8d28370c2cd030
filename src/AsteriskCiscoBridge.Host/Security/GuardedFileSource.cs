using AsteriskCiscoBridge.Tftp.Files;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host.Security;

/// <summary>Puts the <see cref="EnumerationGuard"/> in front of the file tree, for TFTP and HTTP alike.</summary>
internal sealed partial class GuardedFileSource(ITftpFileSource inner, EnumerationGuard guard, TimeProvider time, ILogger<GuardedFileSource> logger) : ITftpFileSource
{
    public string Name => inner.Name;

    public ValueTask<TftpLookup> LookupAsync(TftpFileRequest request, CancellationToken cancellationToken)
    {
        var decision = guard.Decide(request.Client.Address, request.Path, time.GetUtcNow());
        if (decision.Alarm)
        {
            ScanDetected(logger, request.Client.Address, decision.Reason!);
        }

        return decision.Allowed
            ? inner.LookupAsync(request, cancellationToken)
            : ValueTask.FromResult(TftpLookup.Denied(decision.Reason!) with { Source = "guard" });
    }

    [LoggerMessage(6100, LogLevel.Warning, "MAC scan from {Client}: {Reason}; its per-phone requests are refused for a while")]
    private static partial void ScanDetected(ILogger logger, System.Net.IPAddress client, string reason);
}
