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
    /// The Call-IDs of its registrations when its NOTIFY was sent (or, for a phone that fetched unasked,
    /// when it fetched): a phone that reboots or restarts registers with a new Call-ID, while a
    /// refresh of the same registration keeps it (RFC 3261 §10.2.4).
    /// </summary>
    public required IReadOnlyCollection<string> RegistrationsBefore { get; init; }

    /// <summary>The contacts of its lines now.</summary>
    public required IReadOnlyList<ResyncContact> ContactsNow { get; init; }

    /// <summary>False when it has no line left (every endpoint removed): there is nothing to register.</summary>
    public bool HasLines { get; init; } = true;

    /// <summary>When, after its fetch, a missing registration makes it stale.</summary>
    public DateTimeOffset? RegisterDeadline { get; init; }
}

/// <summary>
/// The proof rule of a resync (reliability catalogue §5.5 case 30): a phone has acted on its changed
/// files when it fetched them <em>and</em> registered again afterwards, a new contact or a new Call-ID
/// in Asterisk's contacts. A fetch alone says it read the files, not that they work: with a wrong
/// password or an unreachable proxy it fetches and never comes back. Pure: time is a parameter.
/// </summary>
public static class ResyncProofRule
{
    /// <summary>The words a stale phone's reason starts with.</summary>
    public const string FetchedButNotRegistered = "fetched but did not register";

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

        var before = facts.RegistrationsBefore as IReadOnlySet<string> ?? new HashSet<string>(facts.RegistrationsBefore, StringComparer.Ordinal);
        if (facts.ContactsNow.FirstOrDefault(c => c.IsLive && c.IsRegistered && !before.Contains(c.CallId!)) is { } registered)
        {
            return new ResyncProof(ResyncProofState.Proven, $"fetched and registered again (Call-ID {registered.CallId})");
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
}
