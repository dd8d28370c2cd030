using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Phonebook;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Services.Phonebook;

/// <summary>
/// The directory of the current snapshot: each provisioning round publishes the snapshot it applied
/// (<see cref="Publish"/>), and the HTTP service reads the last one. Until the first round, the snapshot the service
/// stored last is read once, so a restart while Asterisk is away still answers.
/// </summary>
internal sealed class DirectorySource(SnapshotStore? snapshots = null)
{
    private PhoneDirectory? _current;
    private readonly SemaphoreSlim _loading = new(1, 1);

    /// <summary>Builds the directory of <paramref name="snapshot"/> and serves it from now on.</summary>
    public void Publish(PjsipSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Volatile.Write(ref _current, PhoneDirectory.Build(snapshot.Endpoints.Select(e => new DirectoryListing(
            e.Name,
            e.CallerIdName,
            e.CallerIdNumber,
            Listed(e.SetVars)))));
    }

    /// <summary>The directory now: the last published, else the stored snapshot's, else empty.</summary>
    public async ValueTask<PhoneDirectory> CurrentAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { } current)
        {
            return current;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _current) is { } published)
            {
                return published;
            }

            var stored = snapshots is null ? null : await snapshots.LoadAsync(cancellationToken);
            var built = PhoneDirectory.Build((stored?.Endpoints ?? []).Select(Listing));
            Interlocked.CompareExchange(ref _current, built, null);
            return Volatile.Read(ref _current)!;
        }
        finally
        {
            _loading.Release();
        }
    }

    // A stored endpoint carries its caller id only with its line (an endpoint without a plain password has none stored).
    private static DirectoryListing Listing(InventoryEndpoint endpoint) =>
        new(endpoint.Name, endpoint.Line?.DisplayName, endpoint.Line?.CallerIdNumber, endpoint.Variable(PhoneDirectory.Variable));

    private static string? Listed(IEnumerable<KeyValuePair<string, string>> variables) =>
        variables.LastOrDefault(v => v.Key.Equals(PhoneDirectory.Variable, StringComparison.OrdinalIgnoreCase)).Value;
}
