using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Services.Resync;

/// <summary>
/// The proof (reliability catalogue §5.5 case 30): a fetch of the changed files, then a registration
/// (a new Call-ID, a new contact, or a refreshed expiration), decided by <see cref="ResyncProofRule"/>;
/// and the contacts it is read from.
/// </summary>
internal sealed partial class ResyncService
{
    private readonly SemaphoreSlim _lastContactsGate = new(1, 1);
    private Dictionary<MacAddress, LastContactRow>? _lastContacts;

    /// <summary>
    /// A phone fetched one of its own files (SEP&lt;MAC&gt;.cnf.xml, SIP&lt;MAC&gt;.cnf…) over TFTP or
    /// HTTP: if it is queued and the fetch is newer than its change, it has its files, and must now
    /// register again by <see cref="ResyncOptions.RegisterDeadline"/> after its last fetch. After a NOTIFY
    /// the fetch is recorded in the notify log.
    /// </summary>
    public async Task OnFetchedAsync(MacAddress mac, string fileName, DateTimeOffset at, CancellationToken cancellationToken, string? host = null)
    {
        await RegistrationsAsync(cancellationToken);
        PjsipSnapshot? snapshot;
        PhoneInventory? inventory;
        lock (_gate)
        {
            snapshot = _lastSnapshot;
            inventory = _inventory;
        }

        var lines = LinesOf(mac, null, inventory);
        var registrations = snapshot is null ? [] : ResyncPlanner.Registrations(ContactsOfLines(lines, snapshot));
        var deadline = at + options.RegisterDeadline;
        var before = await queue.FetchedAsync(mac, at, deadline, registrations, row => IsFirstFetch(row) && WasSent(row) ? new NotifyRecord
        {
            At = at,
            Mac = mac,
            Endpoint = row.Endpoint ?? string.Empty,
            Event = ResyncNotify.EventPackage(row.Kind),
            Outcome = "fetched",
            Detail = FetchDetail(fileName, at, row),
        } : null, cancellationToken);

        // After the row took the registrations it had before: one learned from requests already seen is then new.
        if (host is not null)
        {
            await BootedAsync(mac, host, at, inventory, cancellationToken);
        }

        if (before is null)
        {
            return;
        }

        lock (_gate)
        {
            _stale.Remove(mac);
            _waiting.Remove(mac);
            _deferred.Remove(mac);
        }

        _wake.Writer.TryWrite(true);
        _proofWake.Writer.TryWrite(true);
        if (IsFirstFetch(before) && WasSent(before))
        {
            FetchedCount.Increment();
            Log.PhoneFetched(logger, mac, FetchDetail(fileName, at, before));
        }

        // A phone with nothing to register (no line left, a static contact) is proven by its fetch.
        var row = before with
        {
            State = ResyncState.AwaitingRegistration,
            FetchedAt = at,
            Deadline = deadline,
            Registrations = before.Registrations ?? ResyncQueue.JoinRegistrations(registrations),
        };
        if (snapshot is not null)
        {
            await DecideAsync(row, snapshot, inventory, time.GetUtcNow(), cancellationToken);
        }
    }

    /// <summary>
    /// Contacts read alone after phones registered (a <c>ContactStatus</c>): phones waiting for a
    /// contact are planned with them, phones that fetched are checked for their new registration, and the
    /// last contacts are kept. No provisioning round, no snapshot: the endpoints are those last read.
    /// </summary>
    public async Task OnContactsAsync(PjsipContactsUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        PjsipSnapshot? snapshot;
        PhoneInventory? inventory;
        lock (_gate)
        {
            if (_contacts is null || update.TakenAt > _contacts.TakenAt)
            {
                _contacts = update;
            }

            snapshot = _lastSnapshot;
            inventory = _inventory;
        }

        if (snapshot is null)
        {
            return;
        }

        await PlanAndQueueAsync(snapshot.WithContacts(update), [], inventory, cancellationToken);
    }

    private PjsipSnapshot WithNewestContacts(PjsipSnapshot snapshot)
    {
        PjsipContactsUpdate? contacts;
        lock (_gate)
        {
            contacts = _contacts;
        }

        return contacts is null ? snapshot : snapshot.WithContacts(contacts);
    }

    // Phones that fetched and have not been seen registering: proven now if they have.
    private async Task ProveRegistrationsAsync(PjsipSnapshot snapshot, PhoneInventory inventory, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var row in await queue.FetchedRowsAsync(cancellationToken))
        {
            await DecideAsync(row, snapshot, inventory, now, cancellationToken, staleAllowed: false);
        }
    }

    // The registration deadline of these rows passed: decided on contacts read now, so a phone
    // whose re-registration raised no event (a refresh of the same contact) is not called stale.
    private async Task RegistrationsDueAsync(IAmiActionSender ami, IReadOnlyList<ResyncQueueRow> rows, CancellationToken cancellationToken)
    {
        var read = await new PjsipSnapshotReader(ami, time, logger).ReadContactsAsync(cancellationToken);
        PjsipSnapshot snapshot;
        PhoneInventory? inventory;
        lock (_gate)
        {
            if (read.Update is { } update && (_contacts is null || update.TakenAt > _contacts.TakenAt))
            {
                _contacts = update;
            }

            snapshot = _contacts is { } newest ? _lastSnapshot!.WithContacts(newest) : _lastSnapshot!;
            inventory = _inventory;
        }

        var now = time.GetUtcNow();
        foreach (var row in rows)
        {
            await DecideAsync(row, snapshot, inventory, now, cancellationToken);
        }
    }

    private async Task DecideAsync(ResyncQueueRow row, PjsipSnapshot snapshot, PhoneInventory? inventory, DateTimeOffset now, CancellationToken cancellationToken, bool staleAllowed = true)
    {
        var lines = LinesOf(row.Mac, row.Endpoint, inventory);
        var proof = ResyncProofRule.Decide(new ResyncProofFacts
        {
            FetchedAt = row.FetchedAt,
            RegistrationsBefore = row.RegistrationList,
            ContactsNow = ContactsOfLines(lines, snapshot),
            HasLines = lines.Count > 0,
            RegisterDeadline = row.Deadline,
        }, now);
        if (proof.State == ResyncProofState.Proven)
        {
            var detail = ResyncProofRule.ProvenDetail(proof, row.FetchedAt!.Value, now);
            var sent = row.SentAt is not null;
            var record = ResyncProofRule.IsLogged(sent, row.State)
                ? new NotifyRecord { At = now, Mac = row.Mac, Endpoint = row.Endpoint ?? string.Empty, Event = ResyncNotify.EventPackage(row.Kind), Outcome = "proven", Detail = detail }
                : null;
            if (await queue.ProveAsync(row.Mac, record, cancellationToken))
            {
                lock (_gate)
                {
                    _stale.Remove(row.Mac);
                }

                if (sent)
                {
                    ProvenCount.Increment();
                }

                Log.PhoneProven(logger, row.Mac, detail);
            }
        }
        else if (proof.State == ResyncProofState.Stale && staleAllowed && row.State == ResyncState.AwaitingRegistration)
        {
            await MarkStaleAsync(
                row,
                ResyncNotify.EventPackage(row.Kind),
                ResyncProofRule.StaleReason(options.RegisterDeadline),
                now,
                cancellationToken);
        }
    }

    // A phone none of whose endpoints Asterisk has any more, but whose last contact is known: a NOTIFY
    // to that URI makes it read its files (now without those lines) at once.
    private async Task<NotifyOrder?> LastContactOrderAsync(MacAddress mac, PhoneFamily? family, IReadOnlyDictionary<string, PjsipEndpoint> endpoints, CancellationToken cancellationToken)
    {
        var known = await LastContactsAsync(cancellationToken);
        if (!known.TryGetValue(mac, out var last) || endpoints.ContainsKey(last.Endpoint))
        {
            return null;
        }

        return ResyncPlanner.ToLastContact(mac, family, last.Endpoint, last.Uri, last.CallId, await StampsOfAsync(mac, cancellationToken));
    }

    // Keeps each phone's first live contact (by its lines in button order) when it differs from the one stored.
    private async Task RememberContactsAsync(PhoneInventory inventory, IReadOnlyDictionary<string, PjsipEndpoint> endpoints, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var known = await LastContactsAsync(cancellationToken);
        var changed = new List<LastContactRow>();
        await _lastContactsGate.WaitAsync(cancellationToken);
        try
        {
            foreach (var phone in inventory.Phones)
            {
                foreach (var endpoint in phone.ServedEndpoints)
                {
                    if (!endpoints.TryGetValue(endpoint, out var e)
                        || ContactsOf(e).FirstOrDefault(c => c.Uri is { Length: > 0 } && c.IsLive) is not { } contact)
                    {
                        continue;
                    }

                    if (!known.TryGetValue(phone.Mac, out var last) || last.Endpoint != endpoint || last.Uri != contact.Uri || last.CallId != contact.CallId)
                    {
                        changed.Add(new LastContactRow { Mac = phone.Mac, Endpoint = endpoint, Uri = contact.Uri!, CallId = contact.CallId, SeenAt = now });
                    }

                    break;
                }
            }

            await queue.LastContacts.SaveAsync(changed, cancellationToken);
            foreach (var row in changed)
            {
                known[row.Mac] = row;
            }
        }
        finally
        {
            _lastContactsGate.Release();
        }
    }

    private async Task<Dictionary<MacAddress, LastContactRow>> LastContactsAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _lastContacts) is { } loaded)
        {
            return loaded;
        }

        await _lastContactsGate.WaitAsync(cancellationToken);
        try
        {
            return _lastContacts ??= (await queue.LastContacts.ListAsync(cancellationToken)).ToDictionary(r => r.Mac);
        }
        finally
        {
            _lastContactsGate.Release();
        }
    }

    // The phone's lines as the inventory has them; without them, the endpoint its last NOTIFY went through.
    private static IReadOnlyList<string> LinesOf(MacAddress mac, string? endpoint, PhoneInventory? inventory) =>
        inventory?.Find(mac) is { } phone ? phone.ServedEndpoints
        : inventory is null && !string.IsNullOrEmpty(endpoint) ? [endpoint]
        : [];

    private List<ResyncContact> ContactsOfLines(IReadOnlyList<string> lines, PjsipSnapshot snapshot) =>
        [.. lines.SelectMany(l => snapshot.Find(l) is { } e ? ContactsOf(e) : [])];

    private IReadOnlyList<ResyncRegistration> RegistrationsOf(MacAddress mac, string endpoint, PjsipSnapshot snapshot)
    {
        PhoneInventory? inventory;
        lock (_gate)
        {
            inventory = _inventory;
        }

        var lines = LinesOf(mac, endpoint, inventory);
        return ResyncPlanner.Registrations(ContactsOfLines(lines.Count > 0 ? lines : [endpoint], snapshot));
    }

    private static bool WasSent(ResyncQueueRow row) => ResyncStateNames.WasSent(row.State);

    private static bool IsFirstFetch(ResyncQueueRow row) => row.FetchedAt is null;

    private static string FetchDetail(string fileName, DateTimeOffset at, ResyncQueueRow row) =>
        ResyncProofRule.FetchDetail(fileName, at, row.SentAt ?? row.UpdatedAt);
}
