using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Provisioning;

/// <summary>What <see cref="RemovalHoldGate.AdmitAsync"/> decided for one answer.</summary>
/// <param name="Apply">True: provision from the answer. False: it is held; phones keep what they are served.</param>
/// <param name="Hold">The hold as stored, when held.</param>
/// <param name="DueAt">When a held answer, read again unchanged, is applied.</param>
internal sealed record RemovalAdmission(bool Apply, RemovalHoldRow? Hold = null, DateTimeOffset? DueAt = null)
{
    public static RemovalAdmission Applied { get; } = new(true);
}

/// <summary>
/// Stands between Asterisk's answers and the provisioning round: an answer that would strip many phones at once
/// (<see cref="RemovalGuard"/>) is held, not applied. The hold is recorded in the store (<see cref="RemovalHoldStore"/>)
/// so that the CLI and the dashboard show it and an admin can accept it from another process; it is applied once
/// the same answer has come for <see cref="SyncOptions.RemovalHold"/>, or once accepted, and forgotten, with nothing
/// sent, when Asterisk answers as before. One Warning per distinct held answer, not one per read.
/// </summary>
/// <remarks>
/// The comparison is with the answer last admitted: read from the store at the first call (what the service applied
/// before a restart), then kept in memory. Both inventories are built over the bridge's bindings as they are now,
/// so a phone an admin unbinds is never counted as withdrawn by Asterisk.
/// </remarks>
internal sealed class RemovalHoldGate(
    PhoneStore phones,
    SnapshotStore snapshots,
    RemovalHoldStore holds,
    SyncOptions options,
    TimeProvider time,
    ILogger<RemovalHoldGate> logger,
    SipServerContext? servers = null)
{
    private IReadOnlyList<InventoryEndpoint>? _applied;
    private bool _appliedLoaded;
    private string? _announced;

    /// <summary>Decides whether <paramref name="snapshot"/> is applied; records, keeps or clears the hold accordingly.</summary>
    public async Task<RemovalAdmission> AdmitAsync(PjsipSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var candidate = InventoryReading.EndpointsOf(snapshot, servers);
        if (options.RemovalHold <= TimeSpan.Zero)
        {
            return Admitted(candidate);
        }

        if (!_appliedLoaded)
        {
            _applied = (await snapshots.LoadAsync(cancellationToken))?.Endpoints;
            _appliedLoaded = true;
        }

        var verdict = RemovalGuard.Check(
            await phones.InventoryAsync(_applied, cancellationToken), _applied?.Count ?? 0,
            await phones.InventoryAsync(candidate, cancellationToken), candidate.Count);
        var stored = await holds.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (!verdict.Hold)
        {
            if (stored is not null && await holds.ClearAsync(cancellationToken))
            {
                Log.HoldCleared(logger, stored.Describe());
            }

            _announced = null;
            return Admitted(candidate);
        }

        var key = RemovalGuard.AnswerKey(candidate);
        if (stored is not null && stored.Answer == key)
        {
            if (stored.AcceptedAt is not null)
            {
                await holds.ClearAsync(cancellationToken);
                Log.AppliedAccepted(logger, stored.Describe(), stored.AcceptedBy ?? "?", stored.AcceptedAt.Value);
                return Admitted(candidate);
            }

            if (now - stored.FirstSeen >= options.RemovalHold)
            {
                await holds.ClearAsync(cancellationToken);
                Log.AppliedAfterHold(logger, stored.Describe(), stored.FirstSeen, options.RemovalHold);
                return Admitted(candidate);
            }
        }

        var hold = await holds.HoldAsync(new RemovalHoldRow(key, verdict.Reason, now, now, candidate.Count, verdict.BoundPhones, verdict.Phones), cancellationToken);
        var due = hold.FirstSeen + options.RemovalHold;
        if (_announced != key)
        {
            // The one loud line an admin must see: what is held, why, until when, and how to let it through.
            _announced = key;
            Log.RemovalsHeld(logger, hold.Describe(), string.Join(", ", verdict.Phones.Take(10).Select(p => $"{p.Mac} ({string.Join(",", p.Endpoints)})")) + (verdict.Phones.Length > 10 ? $" and {verdict.Phones.Length - 10} more" : string.Empty), due, options.RemovalHold);
        }

        return new RemovalAdmission(false, hold, due);
    }

    private RemovalAdmission Admitted(IReadOnlyList<InventoryEndpoint> candidate)
    {
        _applied = candidate;
        _appliedLoaded = true;
        return RemovalAdmission.Applied;
    }
}
