using System.Globalization;

namespace AsteriskCiscoBridge.Provisioning.Resync;

/// <summary>Where a phone stands in proving that it acted on its changed files.</summary>
public enum ResyncProofState
{
    /// <summary>It has not fetched its changed files yet.</summary>
    AwaitingFetch = 0,

    /// <summary>It fetched them; its registration with the new configuration has not been seen yet.</summary>
    AwaitingRegistration = 1,

    /// <summary>It fetched them and registered again: the resync is proven.</summary>
    Proven = 2,

    /// <summary>It fetched them and did not register by the deadline (a wrong password, a bad proxy address).</summary>
    Stale = 3,
}

/// <summary>The decision and the words for the notify log and <c>acb phones</c>.</summary>
public sealed record ResyncProof(ResyncProofState State, string Detail);

/// <summary>What is known of one queued phone when its proof is decided.</summary>
public sealed record ResyncProofFacts
{
    /// <summary>The last fetch of its own files at or after its change, or null.</summary>
    public DateTimeOffset? FetchedAt { get; init; }

    /// <summary>
    /// Its registrations when its NOTIFY was sent (or, for a phone that fetched unasked, when it fetched):
    /// Call-ID, contact URI and expiration. A phone that registers again shows a Call-ID or a contact URI
    /// not among them, or, registering from the same URI, the same contact with a moved expiration:
    /// Asterisk then only refreshes the stored contact, keeping its Call-ID (res_pjsip_registrar.c).
    /// </summary>
    public required IReadOnlyCollection<ResyncRegistration> RegistrationsBefore { get; init; }

    /// <summary>The contacts of its lines now.</summary>
    public required IReadOnlyList<ResyncContact> ContactsNow { get; init; }

    /// <summary>False when it has no line left (every endpoint removed): there is nothing to register.</summary>
    public bool HasLines { get; init; } = true;

    /// <summary>When, after its fetch, a missing registration makes it stale.</summary>
    public DateTimeOffset? RegisterDeadline { get; init; }
}

/// <summary>
/// The proof rule of a resync (reliability catalogue §5.5 case 30): a phone has acted on its changed
/// files when it fetched them <em>and</em> registered again afterwards. A fetch alone says it read the
/// files, not that they work: with a wrong password or an unreachable proxy it fetches and never comes
/// back. Pure: time is a parameter.
/// </summary>
public static class ResyncProofRule
{
    /// <summary>The words a stale phone's reason starts with.</summary>
    public const string FetchedButNotRegistered = "fetched but did not register";

    /// <summary>
    /// A live registered contact now is a registration after the fetch when its Call-ID was not among
    /// <see cref="ResyncProofFacts.RegistrationsBefore"/> (a new registration), its URI was not (a new
    /// contact), or it is a contact recorded before whose expiration has moved since (a REGISTER from the
    /// same URI: Asterisk keeps the old Call-ID and only sets a new expiration, which moves earlier too
    /// when the new files ask for a shorter expiry; nothing else changes it).
    /// </summary>
    public static ResyncProof Decide(ResyncProofFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.FetchedAt is null)
        {
            return new ResyncProof(ResyncProofState.AwaitingFetch, "waiting for its fetch");
        }

        if (!facts.HasLines)
        {
            return new ResyncProof(ResyncProofState.Proven, "fetched; it has no line left to register");
        }

        foreach (var contact in facts.ContactsNow.Where(c => c.IsLive && c.IsRegistered))
        {
            if (RegisteredAgain(contact, facts.RegistrationsBefore) is { } how)
            {
                return new ResyncProof(ResyncProofState.Proven, $"fetched and registered again ({how})");
            }
        }

        // A static contact= never registers: the fetch is all the proof there can be.
        if (facts.ContactsNow.Count > 0 && facts.ContactsNow.All(c => !c.IsRegistered && c.Status is null))
        {
            return new ResyncProof(ResyncProofState.Proven, "fetched; its contact is static, there is no registration to wait for");
        }

        return facts.RegisterDeadline is { } deadline && now >= deadline
            ? new ResyncProof(ResyncProofState.Stale, FetchedButNotRegistered)
            : new ResyncProof(ResyncProofState.AwaitingRegistration, "fetched; waiting for it to register again");
    }

    /// <summary>A proven resync in the notify log's words: the proof and how long after the fetch it came.</summary>
    public static string ProvenDetail(ResyncProof proof, DateTimeOffset fetchedAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return $"{proof.Detail}, {Seconds(now - fetchedAt)} s after its fetch";
    }

    /// <summary>Why a phone that fetched and did not register by <paramref name="registerDeadline"/> after its last fetch is stale.</summary>
    public static string StaleReason(TimeSpan registerDeadline) =>
        $"{FetchedButNotRegistered} within {Readable(registerDeadline)} of its last fetch (check its SIP password and proxy address)";

    /// <summary>A fetch after a NOTIFY in the notify log's words: which file, how long after the NOTIFY went at <paramref name="notifiedAt"/>.</summary>
    public static string FetchDetail(string fileName, DateTimeOffset at, DateTimeOffset notifiedAt) =>
        $"{fileName} fetched {Seconds(at - notifiedAt)} s after the NOTIFY";

    /// <summary>
    /// Whether a proof goes to the notify log: after a NOTIFY, or to clear a stale mark; a phone that fetched
    /// unasked (it booted) just leaves the queue.
    /// </summary>
    public static bool IsLogged(bool notified, ResyncState state) => notified || state == ResyncState.Stale;

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Readable(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0 ? $"{span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min" : $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";

    // How a registered contact shows a registration not among those before, or null when it is one of them, unchanged.
    private static string? RegisteredAgain(ResyncContact contact, IReadOnlyCollection<ResyncRegistration> before)
    {
        if (!before.Any(r => r.CallId == contact.CallId))
        {
            return $"Call-ID {contact.CallId}";
        }

        // Registrations recorded by Call-ID alone (before the URI was kept) cannot tell a new contact.
        if (contact.Uri is { Length: > 0 } uri && before.All(r => r.Uri is not null) && !before.Any(r => r.Uri == uri))
        {
            return $"new contact {uri}";
        }

        var recorded = before.FirstOrDefault(r => contact.Uri is not null && r.Uri == contact.Uri)
            ?? before.FirstOrDefault(r => r.Uri is null && r.CallId == contact.CallId);
        return recorded?.ExpiresAt is { } was && contact.ExpiresAt is { } expires && expires != was
            ? $"contact {contact.Uri} refreshed, expires {expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC"
            : null;
    }
}
