using System.Collections.Immutable;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Services.Resync;

/// <summary>
/// The Call-ID of each line's current registration where Asterisk lists an older one (<see cref="RegistrationCallIds"/>):
/// learned from <c>SuccessfulAuth</c> after the phone's boot, kept in the store, and put in place of Asterisk's in every
/// contact the resync reads, so a service-control NOTIFY names the registration the phone has.
/// </summary>
internal sealed partial class ResyncService
{
    // Authenticated requests kept per line, to be read against a boot seen before or after them (the request log
    // reports a fetch a little after it happened): the last few, for the lines of bound phones only.
    private const int RequestsKeptPerLine = 8;

    private readonly SemaphoreSlim _registrationsGate = new(1, 1);
    private readonly Lock _sightings = new();
    private readonly Dictionary<MacAddress, PhoneBoot> _boots = [];
    private readonly Dictionary<string, List<AuthenticatedRequest>> _requests = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, LearnedRegistration>? _registrations;
    private int _registrationsLearned;

    /// <summary>Registrations learned from Asterisk's security events since start.</summary>
    public int RegistrationsLearned => Volatile.Read(ref _registrationsLearned);

    /// <summary>
    /// A request Asterisk authenticated on <see cref="PjsipAuthentication.Endpoint"/>, a line of a bound phone: if it is
    /// the first on that line since the phone booted from the same address, it is the phone's REGISTER, and its Call-ID
    /// is the one a service-control NOTIFY must name (<see cref="RegistrationCallIds"/>).
    /// </summary>
    public async Task OnAuthenticatedAsync(PjsipAuthentication authentication, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authentication);
        PhoneInventory? inventory;
        lock (_gate)
        {
            inventory = _inventory;
        }

        if (inventory?.Phones.FirstOrDefault(p => p.ServedEndpoints.Contains(authentication.Endpoint)) is not { } phone)
        {
            return;
        }

        lock (_sightings)
        {
            if (!_requests.TryGetValue(authentication.Endpoint, out var kept))
            {
                _requests[authentication.Endpoint] = kept = [];
            }

            kept.Add(new AuthenticatedRequest(authentication.Endpoint, authentication.CallId, authentication.RemoteHost, time.GetUtcNow()));
            if (kept.Count > RequestsKeptPerLine)
            {
                kept.RemoveAt(0);
            }
        }

        await LearnAsync(phone.Mac, phone.ServedEndpoints, cancellationToken);
    }

    // The phone fetched its own file from this address: the first request it authenticates on each line from now on is a REGISTER.
    private async Task BootedAsync(MacAddress mac, string host, DateTimeOffset at, PhoneInventory? inventory, CancellationToken cancellationToken)
    {
        lock (_sightings)
        {
            _boots[mac] = new PhoneBoot(host, at);
        }

        if (inventory?.Find(mac) is { } phone)
        {
            await LearnAsync(mac, phone.ServedEndpoints, cancellationToken);
        }
    }

    // Learns each line's registration since the phone's boot, keeps those that changed, and decides the phone's proof.
    private async Task LearnAsync(MacAddress mac, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        var registrations = await RegistrationsAsync(cancellationToken);
        PjsipSnapshot? snapshot;
        PhoneInventory? inventory;
        lock (_gate)
        {
            snapshot = _lastSnapshot;
            inventory = _inventory;
        }

        snapshot = snapshot is null ? null : WithNewestContacts(snapshot);
        var learned = new List<(LearnedRegistration Registration, string? Listed)>();
        lock (_sightings)
        {
            var boot = _boots.GetValueOrDefault(mac);
            foreach (var line in lines)
            {
                var listed = snapshot?.Find(line)?.Contacts.FirstOrDefault(c => !string.IsNullOrEmpty(c.CallId))?.CallId;
                if (RegistrationCallIds.Learn(boot, _requests.GetValueOrDefault(line) ?? [], listed) is { } registration
                    && CurrentCallId(line, listed) != registration.CallId)
                {
                    learned.Add((registration, listed));
                }
            }
        }

        if (learned.Count == 0)
        {
            return;
        }

        await _registrationsGate.WaitAsync(cancellationToken);
        try
        {
            // The phone's fetch and Asterisk's SuccessfulAuth of its REGISTER both learn, often at once: what the
            // other learned meanwhile is current, neither saved, logged nor counted twice.
            registrations = Volatile.Read(ref _registrations) ?? registrations;
            foreach (var (registration, listed) in learned)
            {
                if (RegistrationCallIds.Current(listed, registrations.GetValueOrDefault(registration.Endpoint)) == registration.CallId)
                {
                    continue;
                }

                await queue.Registrations.SaveAsync(registration, cancellationToken);

                // One that supersedes nothing is what Asterisk lists: the line's row goes, in the store as here.
                registrations = registration.Supersedes is null ? registrations.Remove(registration.Endpoint) : registrations.SetItem(registration.Endpoint, registration);
                Interlocked.Increment(ref _registrationsLearned);
                Log.RegistrationLearned(logger, mac, registration.Endpoint, registration.CallId, registration.Supersedes ?? "the same");
            }

            Volatile.Write(ref _registrations, registrations);
        }
        finally
        {
            _registrationsGate.Release();
        }

        if (snapshot is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var row in (await queue.FetchedRowsAsync(cancellationToken)).Where(r => r.Mac == mac))
        {
            await DecideAsync(row, snapshot, inventory, now, cancellationToken, staleAllowed: false);
        }
    }

    // The Call-ID of the line's current registration: the one learned after a boot while Asterisk still lists the one it replaced.
    private string? CurrentCallId(string endpoint, string? listed) =>
        RegistrationCallIds.Current(listed, Volatile.Read(ref _registrations)?.GetValueOrDefault(endpoint));

    // Loaded from the store once, before the first contacts are read; replaced whole on each change.
    private async Task<ImmutableDictionary<string, LearnedRegistration>> RegistrationsAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _registrations) is { } loaded)
        {
            return loaded;
        }

        await _registrationsGate.WaitAsync(cancellationToken);
        try
        {
            return _registrations ??= (await queue.Registrations.ListAsync(cancellationToken)).ToImmutableDictionary(r => r.Endpoint, StringComparer.Ordinal);
        }
        finally
        {
            _registrationsGate.Release();
        }
    }
}
