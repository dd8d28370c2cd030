using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Provisioning.Inventory;

/// <summary>Why an answer of Asterisk is held instead of applied.</summary>
public enum RemovalHoldReason
{
    /// <summary>Not held: the answer is applied.</summary>
    None = 0,

    /// <summary>Asterisk answered no endpoints at all (<c>No endpoints found</c>) after an answer that had some.</summary>
    EmptyAnswer = 1,

    /// <summary>The answer withdraws lines from more than half of the bound phones, and from at least <see cref="RemovalGuard.MinimumPhones"/>.</summary>
    MassWithdrawal = 2,
}

/// <summary>One phone an answer takes lines from.</summary>
/// <param name="Endpoints">The endpoints of the lines it would lose, in button order.</param>
/// <param name="Kept">How many of its lines it would keep.</param>
public sealed record WithdrawnLines(MacAddress Mac, ImmutableArray<string> Endpoints, int Kept);

/// <summary>What <see cref="RemovalGuard.Check"/> decided about one answer.</summary>
/// <param name="BoundPhones">Phones served at least one line by what is applied now.</param>
/// <param name="Phones">Every phone the answer takes lines from (held or not), by MAC.</param>
public sealed record RemovalVerdict(RemovalHoldReason Reason, int BoundPhones, ImmutableArray<WithdrawnLines> Phones)
{
    /// <summary>True when the answer must be held, not applied.</summary>
    public bool Hold => Reason != RemovalHoldReason.None;

    /// <summary>For people: what the answer would do (<c>withdraws lines from 7 of 10 bound phones</c>).</summary>
    public string Describe() => Describe(Reason, Phones.Length, BoundPhones);

    /// <summary>The text of <see cref="Describe()"/> from stored parts (the CLI reads a hold from the store).</summary>
    public static string Describe(RemovalHoldReason reason, int phones, int bound) => reason switch
    {
        RemovalHoldReason.EmptyAnswer => string.Create(CultureInfo.InvariantCulture, $"Asterisk answered no endpoints at all; applied, it would withdraw lines from {phones} of {bound} bound phones"),
        _ => string.Create(CultureInfo.InvariantCulture, $"Asterisk's answer would withdraw lines from {phones} of {bound} bound phones"),
    };
}

/// <summary>
/// Whether one answer of Asterisk may be applied or must be held because it would strip many phones at once
/// (a realtime backend down, a login before <c>FullyBooted</c>, a manager user that sees nothing: each looks
/// like "the endpoints are gone"). Pure: compares the inventory applied now with the one the answer gives,
/// both built over the same bridge bindings, so an admin's own unbinding is never mistaken for it.
/// </summary>
public static class RemovalGuard
{
    /// <summary>An answer that strips fewer phones than this applies at once, however few phones there are.</summary>
    public const int MinimumPhones = 3;

    /// <summary>Decides for <paramref name="candidate"/>.</summary>
    /// <param name="applied">The inventory over the answer applied now (or, before any, over the bindings' recorded line data).</param>
    /// <param name="appliedEndpoints">How many endpoints the applied answer had (0 when none was applied yet).</param>
    /// <param name="candidate">The inventory over the new answer, with the same bindings and stored models.</param>
    /// <param name="candidateEndpoints">How many endpoints the new answer has.</param>
    public static RemovalVerdict Check(PhoneInventory applied, int appliedEndpoints, PhoneInventory candidate, int candidateEndpoints)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(candidate);
        var bound = 0;
        var withdrawn = ImmutableArray.CreateBuilder<WithdrawnLines>();
        foreach (var phone in applied.Phones)
        {
            var served = phone.ServedEndpoints;
            if (served.Count == 0)
            {
                continue;
            }

            bound++;
            var after = candidate.Find(phone.Mac)?.ServedEndpoints ?? [];
            var lost = served.Where(e => !after.Contains(e, StringComparer.Ordinal)).ToImmutableArray();
            if (lost.Length > 0)
            {
                withdrawn.Add(new WithdrawnLines(phone.Mac, lost, served.Count - lost.Length));
            }
        }

        var reason = appliedEndpoints > 0 && candidateEndpoints == 0 ? RemovalHoldReason.EmptyAnswer
            : withdrawn.Count >= MinimumPhones && withdrawn.Count * 2 > bound ? RemovalHoldReason.MassWithdrawal
            : RemovalHoldReason.None;
        return new RemovalVerdict(reason, bound, withdrawn.ToImmutable());
    }

    /// <summary>
    /// Names one answer, so that the same answer read again is known as the same: a hash of its endpoint set as
    /// far as it decides which lines are served (each endpoint's name, whether it gives a line, the MACs Asterisk
    /// binds to it). Passwords, caller ids and registrations are left out: a phone registering while the answer is
    /// held does not make it another answer.
    /// </summary>
    public static string AnswerKey(IEnumerable<InventoryEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var text = new StringBuilder();
        foreach (var endpoint in endpoints.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            text.Append(endpoint.Name).Append('\n').Append(endpoint.Line is null ? '-' : '+');
            foreach (var mac in endpoint.Macs.OrderBy(m => m.Mac.Value, StringComparer.Ordinal).ThenBy(m => m.Origin, StringComparer.Ordinal))
            {
                text.Append(' ').Append(mac.Mac.Value).Append('/').Append((int)mac.Source).Append('/').Append(mac.Origin).Append('/').Append(mac.Line?.ToString(CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        return ContentHash.Sha256Hex(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
