using System.Net;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Requests;
using AsteriskCiscoBridge.Tftp.Files;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Security;

/// <summary>
/// Puts the guards in front of the file tree, for TFTP and HTTP alike, in this order: the
/// per-address rate limit (known phones at their known address are exempt, so a boot storm never
/// starves them), the MAC-scan guard, then the check of a bound phone's own files against its known
/// address (<c>Security:AddressPinning</c>). Known addresses are learned here too: a bound phone's own
/// file served from the store makes the address its MAC's, unless its contact already gave one.
/// </summary>
internal sealed class GuardedFileSource(
    ITftpFileSource inner,
    EnumerationGuard guard,
    TimeProvider time,
    ILogger<GuardedFileSource> logger,
    RequestRateLimiter? limiter = null,
    KnownAddresses? addresses = null,
    AddressMismatchMode mismatch = AddressMismatchMode.Off) : ITftpFileSource
{
    /// <summary>The request log's source for a request refused by the rate limit.</summary>
    public const string RateLimitSource = RequestSources.RateLimit;

    /// <summary>The request log's source for a request refused for its address (<see cref="AddressMismatchMode.Deny"/>; stored text keeps its first name).</summary>
    public const string AddressDeniedSource = RequestSources.AddressDenied;

    /// <summary>The request log's source for a request served from another address than the phone's (<see cref="AddressMismatchMode.Alert"/>; stored text keeps its first name).</summary>
    public const string AddressAlertSource = RequestSources.AddressAlert;

    /// <summary>The layer of the tree that holds the bridge's generated files.</summary>
    public const string StoreLayer = RequestSources.Store;

    public string Name => inner.Name;

    public ValueTask<TftpLookup> LookupAsync(TftpFileRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var client = request.Client.Address.IsIPv4MappedToIPv6 ? request.Client.Address.MapToIPv4() : request.Client.Address;
        if (limiter is not null && !(addresses?.IsKnownAddress(client) ?? false))
        {
            var rate = limiter.Decide(client, now);
            if (rate.Alarm)
            {
                Log.RateLimited(logger, client, rate.Reason!);
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
                    Log.NetworkScanDetected(logger, decision.Prefix!.Value, client, decision.Reason!);
                    break;
                case GuardScope.Global:
                    Log.SpreadScanDetected(logger, client, decision.Reason!);
                    break;
                default:
                    Log.ScanDetected(logger, client, decision.Reason!);
                    break;
            }
        }

        if (!decision.Allowed)
        {
            return ValueTask.FromResult(TftpLookup.Denied(decision.Reason!) with { Source = RequestSources.Guard });
        }

        if (addresses is null || PhoneFileName.MacIn(request.Path) is not { } mac)
        {
            return inner.LookupAsync(request, cancellationToken);
        }

        var check = addresses.Check(mac, client);
        if (check.Mismatch && mismatch == AddressMismatchMode.Deny)
        {
            Log.AddressDenied(logger, request.Path, client, check.KnownAt!);
            return ValueTask.FromResult(TftpLookup.Denied($"{mac} is pinned to {check.KnownAt}, asked from {client}") with { Source = AddressDeniedSource });
        }

        var pending = inner.LookupAsync(request, cancellationToken);
        return pending.IsCompletedSuccessfully
            ? ValueTask.FromResult(AfterLookup(pending.Result, request.Path, mac, client, check))
            : AfterLookupAsync(pending, request.Path, mac, client, check);
    }

    private async ValueTask<TftpLookup> AfterLookupAsync(ValueTask<TftpLookup> pending, string path, MacAddress mac, IPAddress client, AddressCheck check) =>
        AfterLookup(await pending, path, mac, client, check);

    private TftpLookup AfterLookup(TftpLookup lookup, string path, MacAddress mac, IPAddress client, AddressCheck check)
    {
        if (lookup.Status != TftpLookupStatus.Found)
        {
            return lookup;
        }

        if (check.Mismatch && mismatch == AddressMismatchMode.Alert)
        {
            Log.AddressAlert(logger, path, client, check.KnownAt!);
            return lookup with { Source = AddressAlertSource };
        }

        // Only the bridge's own files of a bound phone teach its address; an unbound phone's answer teaches nothing.
        if (lookup.Source == StoreLayer && addresses!.LearnIfNew(mac, client))
        {
            Log.AddressLearned(logger, mac.Value, client);
        }

        return lookup;
    }
}
