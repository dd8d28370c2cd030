using System.Collections.Immutable;

namespace AsteriskCiscoBridge.Ami.Pjsip;

/// <summary>The inbound credential of an endpoint (its first <c>auth=</c>).</summary>
/// <param name="Name">Auth section name.</param>
/// <param name="Username">SIP digest user name.</param>
/// <param name="Password">Plain password for <c>userpass</c>; null for <c>md5</c> and other types.</param>
/// <param name="AuthType"><c>userpass</c>, <c>md5</c>, …</param>
/// <param name="Realm">Realm, may be empty.</param>
public sealed record PjsipAuth(string Name, string Username, string? Password, string AuthType, string Realm)
{
    /// <inheritdoc />
    public override string ToString() => $"PjsipAuth {{ Name = {Name}, Username = {Username}, Password = ***, AuthType = {AuthType} }}";
}

/// <summary>A contact of one of the endpoint's AORs (registered, or static <c>contact=</c>).</summary>
/// <param name="Aor">AOR the contact belongs to.</param>
/// <param name="Uri">Contact URI.</param>
/// <param name="UserAgent">User-Agent of the REGISTER (e.g. <c>Cisco-CP7945G/9.4.2</c>), null for a static contact.</param>
/// <param name="CallId">Call-ID of the REGISTER, null for a static contact.</param>
/// <param name="Status"><c>Reachable</c>, <c>Unreachable</c>, <c>NonQualified</c>, …; null when Asterisk did not report one.</param>
/// <param name="ExpiresAt">
/// When the registration expires (<c>ExpirationTime</c>, epoch seconds); null for a static contact or when
/// Asterisk did not report one. A REGISTER from the same contact URI only moves this: Asterisk refreshes the
/// stored contact without changing its Call-ID and raises no <c>ContactStatus</c> (res_pjsip_registrar.c).
/// </param>
public sealed record PjsipContact(string Aor, string Uri, string? UserAgent, string? CallId, string? Status, DateTimeOffset? ExpiresAt = null)
{
    /// <summary>True for a static <c>contact=</c> of an AOR: no REGISTER made it, so it has no User-Agent, Call-ID or status.</summary>
    public bool IsStatic => UserAgent is null && CallId is null && Status is null;
}

/// <summary>One PJSIP endpoint and what the bridge derives from it.</summary>
public sealed record PjsipEndpoint
{
    /// <summary>Endpoint name (<c>[6001]</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Line identity: the first AOR (what a phone registers as), or empty when the endpoint has none.</summary>
    public required string Aor { get; init; }

    /// <summary>Every AOR of the endpoint.</summary>
    public required ImmutableArray<string> Aors { get; init; }

    /// <summary>Transport name, may be empty.</summary>
    public required string Transport { get; init; }

    /// <summary>
    /// Where the endpoint's SIP is listened for: its own transport, or the one Asterisk uses when it names none
    /// (<see cref="TransportChoice"/>); null when no transport is known.
    /// </summary>
    public PjsipTransport? SipTransport { get; init; }

    /// <summary>How <see cref="SipTransport"/> was found.</summary>
    public PjsipTransportChoice TransportChoice { get; init; }

    /// <summary>Caller-id display name (non-ASCII kept).</summary>
    public required string CallerIdName { get; init; }

    /// <summary>Caller-id number.</summary>
    public required string CallerIdNumber { get; init; }

    /// <summary>The inbound credential, or null when the endpoint has no <c>auth=</c>.</summary>
    public required PjsipAuth? Auth { get; init; }

    /// <summary>Contacts of the endpoint's AORs.</summary>
    public required ImmutableArray<PjsipContact> Contacts { get; init; }

    /// <summary><c>set_var</c> entries in order (name, value).</summary>
    public required ImmutableArray<KeyValuePair<string, string>> SetVars { get; init; }

    /// <summary>Why no phone line can be made from this endpoint, or null when it can.</summary>
    public required string? NotProvisionableReason { get; init; }

    /// <summary>Configuration problems that do not stop provisioning (a transport nobody describes, for instance).</summary>
    public required ImmutableArray<string> Problems { get; init; }

    /// <summary>Device state as Asterisk reports it.</summary>
    public required string DeviceState { get; init; }

    /// <summary>True when a phone line can be provisioned from this endpoint.</summary>
    public bool IsProvisionable => NotProvisionableReason is null;
}

/// <summary>
/// An immutable, complete view of the PJSIP endpoints at one moment. A snapshot only exists when
/// every read that makes it succeeded; a partial read yields a failure instead.
/// </summary>
public sealed record PjsipSnapshot
{
    /// <summary>When the reads started.</summary>
    public required DateTimeOffset TakenAt { get; init; }

    /// <summary>Endpoints in name order.</summary>
    public required ImmutableArray<PjsipEndpoint> Endpoints { get; init; }

    /// <summary>Problems not tied to one endpoint.</summary>
    public required ImmutableArray<string> Problems { get; init; }

    /// <summary>
    /// The <c>type=phoneprov</c> sections of pjsip.conf in file order, as key/values (empty when the
    /// configuration is not file based). What they mean is the reader's business, not AMI's.
    /// </summary>
    public ImmutableArray<ConfigCategory> PhoneprovSections { get; init; } = [];

    /// <summary>The transports known: pjsip.conf's in file order, then those only <c>TransportDetail</c> described, by name.</summary>
    public ImmutableArray<PjsipTransport> Transports { get; init; } = [];

    /// <summary>AMI actions the read took.</summary>
    public required int ActionCount { get; init; }

    /// <summary>When the contacts were read: <see cref="TakenAt"/>, or later once <see cref="WithContacts"/> refreshed them.</summary>
    public DateTimeOffset ContactsTakenAt
    {
        get => _contactsTakenAt ?? TakenAt;
        init => _contactsTakenAt = value;
    }

    private readonly DateTimeOffset? _contactsTakenAt;

    /// <summary>The endpoint named <paramref name="name"/>, or null.</summary>
    public PjsipEndpoint? Find(string name) => Endpoints.FirstOrDefault(e => e.Name.Equals(name, StringComparison.Ordinal));

    /// <summary>
    /// This snapshot with every endpoint's registered contacts replaced by those of <paramref name="update"/>
    /// (matched by AOR, as a full read matches them); static <c>contact=</c> entries, which PJSIPShowContacts
    /// does not list, are kept. Endpoints, credentials and device states stay as read. An update not newer
    /// than the contacts this snapshot holds changes nothing.
    /// </summary>
    public PjsipSnapshot WithContacts(PjsipContactsUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.TakenAt <= ContactsTakenAt)
        {
            return this;
        }

        var byAor = new Dictionary<string, List<PjsipContact>>(StringComparer.Ordinal);
        foreach (var c in update.Contacts)
        {
            if (!byAor.TryGetValue(c.Aor, out var list))
            {
                byAor[c.Aor] = list = [];
            }

            list.Add(c);
        }

        var endpoints = ImmutableArray.CreateBuilder<PjsipEndpoint>(Endpoints.Length);
        foreach (var e in Endpoints)
        {
            var contacts = ImmutableArray.CreateBuilder<PjsipContact>();
            foreach (var aor in e.Aors)
            {
                if (byAor.TryGetValue(aor, out var list))
                {
                    contacts.AddRange(list);
                }
            }

            foreach (var kept in e.Contacts.Where(c => c.IsStatic))
            {
                if (!contacts.Any(c => c.Aor == kept.Aor && c.Uri == kept.Uri))
                {
                    contacts.Add(kept);
                }
            }

            endpoints.Add(contacts.Count == 0 && e.Contacts.IsEmpty ? e : e with { Contacts = contacts.ToImmutable() });
        }

        return this with { Endpoints = endpoints.MoveToImmutable(), ContactsTakenAt = update.TakenAt };
    }
}

/// <summary>
/// The registered contacts of every AOR at one moment (one <c>PJSIPShowContacts</c>): what a
/// <c>ContactStatus</c> event makes the source read, instead of a whole snapshot.
/// </summary>
public sealed record PjsipContactsUpdate
{
    /// <summary>When the read started.</summary>
    public required DateTimeOffset TakenAt { get; init; }

    /// <summary>Every registered contact, in the order Asterisk listed them.</summary>
    public required ImmutableArray<PjsipContact> Contacts { get; init; }
}
