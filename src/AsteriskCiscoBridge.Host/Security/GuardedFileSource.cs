using System.Net;
using AsteriskCiscoBridge.Tftp.Files;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host.Security;

/// <summary>
/// Puts the guards in front of the file tree, for TFTP and HTTP alike, in this order: the
/// per-address rate limit (known phones at their known address are exempt, so a boot storm never
/// starves them), the MAC-scan guard, then address pinning of a bound phone's own files. Pins are
/// learned here too: a bound phone's own file served from the store pins its MAC to the address,
/// unless its contact already did.
/// </summary>
internal sealed partial class GuardedFileSource(
    ITftpFileSource inner,
    EnumerationGuard guard,
    TimeProvider time,
    ILogger<GuardedFileSource> logger,
    RequestRateLimiter? limiter = null,
    AddressPins? pins = null,
    AddressPinningMode pinning = AddressPinningMode.Off) : ITftpFileSource
{
    /// <summary>The request log's source for a request refused by the rate limit.</summary>
    public const string RateLimitSource = "rate-limit";

    /// <summary>The request log's source for a request refused by address pinning.</summary>
    public const string PinningSource = "pinning";

    /// <summary>The request log's source for a request served despite a pin mismatch (<see cref="AddressPinningMode.Alert"/>).</summary>
    public const string PinAlertSource = "pin-alert";

    /// <summary>The layer of the tree that holds the bridge's generated files.</summary>
    public const string StoreLayer = "store";

    public string Name => inner.Name;

    public ValueTask<TftpLookup> LookupAsync(TftpFileRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var client = request.Client.Address.IsIPv4MappedToIPv6 ? request.Client.Address.MapToIPv4() : request.Client.Address;
        if (limiter is not null && !(pins?.IsKnownAddress(client) ?? false))
        {
            var rate = limiter.Decide(client, now);
            if (rate.Alarm)
            {
                RateLimited(logger, client, rate.Reason!);
            }

            if (!rate.Allowed)
            {
                return ValueTask.FromResult(TftpLookup.Denied(rate.Reason!) with { Source = RateLimitSource });
            }
        }

        var decision = guard.Decide(client, request.Path, now);
        if (decision.Alarm)
        {
            switch (decision.Scope)
            {
                case GuardScope.Prefix:
                    NetworkScanDetected(logger, decision.Prefix!.Value, client, decision.Reason!);
                    break;
                case GuardScope.Global:
                    SpreadScanDetected(logger, client, decision.Reason!);
                    break;
                default:
                    ScanDetected(logger, client, decision.Reason!);
                    break;
            }
        }

        if (!decision.Allowed)
        {
            return ValueTask.FromResult(TftpLookup.Denied(decision.Reason!) with { Source = "guard" });
        }

        var mac = pins is null ? null : EnumerationGuard.MacIn(request.Path);
        if (mac is null)
        {
            return inner.LookupAsync(request, cancellationToken);
        }

        var check = pins!.Check(mac, client);
        if (check.Mismatch && pinning == AddressPinningMode.Deny)
        {
            PinDenied(logger, request.Path, client, check.PinnedTo!);
            return ValueTask.FromResult(TftpLookup.Denied($"{mac} is pinned to {check.PinnedTo}, asked from {client}") with { Source = PinningSource });
        }

        var pending = inner.LookupAsync(request, cancellationToken);
        return pending.IsCompletedSuccessfully
            ? ValueTask.FromResult(AfterLookup(pending.Result, request.Path, mac, client, check))
            : AfterLookupAsync(pending, request.Path, mac, client, check);
    }

    private async ValueTask<TftpLookup> AfterLookupAsync(ValueTask<TftpLookup> pending, string path, string mac, IPAddress client, PinCheck check) =>
        AfterLookup(await pending, path, mac, client, check);

    private TftpLookup AfterLookup(TftpLookup lookup, string path, string mac, IPAddress client, PinCheck check)
    {
        if (lookup.Status != TftpLookupStatus.Found)
        {
            return lookup;
        }

        if (check.Mismatch && pinning == AddressPinningMode.Alert)
        {
            PinAlert(logger, path, client, check.PinnedTo!);
            return lookup with { Source = PinAlertSource };
        }

        // Only the bridge's own files of a bound phone pin it; an unbound phone's answer pins nothing.
        if (lookup.Source == StoreLayer && pins!.PinIfNew(mac, client))
        {
            PinLearned(logger, mac, client);
        }

        return lookup;
    }

    [LoggerMessage(6100, LogLevel.Warning, "MAC scan from {Client}: {Reason}; its per-phone requests are refused for a while")]
    private static partial void ScanDetected(ILogger logger, IPAddress client, string reason);

    [LoggerMessage(6142, LogLevel.Warning, "MAC scan from network {Prefix} (last from {Client}): {Reason}; its per-phone requests are refused for a while, bound phones at their own addresses excepted")]
    private static partial void NetworkScanDetected(ILogger logger, IPNetwork prefix, IPAddress client, string reason);

    [LoggerMessage(6143, LogLevel.Warning, "MAC scan across networks (last from {Client}): {Reason}; files of MACs bound to no phone are refused to everyone for a while, bound phones are still served")]
    private static partial void SpreadScanDetected(ILogger logger, IPAddress client, string reason);

    [LoggerMessage(6070, LogLevel.Warning, "Rate limit: {Client} made {Reason}; its requests are refused until it slows down")]
    private static partial void RateLimited(ILogger logger, IPAddress client, string reason);

    [LoggerMessage(6071, LogLevel.Warning, "Refused {FileName} to {Client}: the phone is pinned to {PinnedTo} (Security:AddressPinning=deny)")]
    private static partial void PinDenied(ILogger logger, string fileName, IPAddress client, IPAddress pinnedTo);

    [LoggerMessage(6072, LogLevel.Warning, "Served {FileName} to {Client}, but the phone is pinned to {PinnedTo} (Security:AddressPinning=alert)")]
    private static partial void PinAlert(ILogger logger, string fileName, IPAddress client, IPAddress pinnedTo);

    [LoggerMessage(6073, LogLevel.Debug, "Pinned {Mac} to {Client}, where it fetched its own file")]
    private static partial void PinLearned(ILogger logger, string mac, IPAddress client);
}
