using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>What the pin rule needs of a bound phone: its model as stored and its pinned load, if any.</summary>
public sealed record PinnedPhone(string Model, string? PinnedLoad);

/// <summary>
/// The rule's answer: the outcome an admin reads and, when it is <see cref="PinVerdict.Done"/>, what to store
/// (<see cref="Load"/>, the catalog's spelling of the load, or null to remove the pin).
/// </summary>
public sealed record LoadPinDecision(PinOutcome Outcome, string? Load)
{
    public bool Store => Outcome.Verdict == PinVerdict.Done;
}

/// <summary>
/// The one rule for pinning, shared by <c>acb pin</c>, <c>acb unpin</c> and the dashboard (spec §3.5: a phone on a
/// newer load is brought back by pinning it; a phone is kept on its own load by pinning it). A pin names a load
/// of the catalog that is complete and made for the phone's family; anything else is refused with the reason
/// and the fix, and nothing is stored. Pure: the caller reads the phone and the catalog and stores the answer.
/// </summary>
public static class LoadPinRule
{
    /// <param name="mac">The phone.</param>
    /// <param name="loadText">The load to pin, as typed; null removes the pin.</param>
    /// <param name="phone">The bound phone, or null when <paramref name="mac"/> is not bound.</param>
    /// <param name="catalog">The firmware catalog as stored.</param>
    public static LoadPinDecision Decide(MacAddress mac, string? loadText, PinnedPhone? phone, FirmwareCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        LoadName? wanted = null;
        if (loadText is not null)
        {
            if (!LoadName.TryParse(loadText, out var parsed, out var reason))
            {
                return new LoadPinDecision(new PinOutcome(PinVerdict.BadInput, reason), null);
            }

            wanted = parsed;
        }

        if (phone is null)
        {
            return Refuse(wanted is null ? $"{mac} is not bound" : $"{mac} is not bound (acb bind {mac} ENDPOINT…)");
        }

        if (wanted is null)
        {
            return phone.PinnedLoad is null
                ? Refuse($"{mac} is not pinned")
                : new LoadPinDecision(new PinOutcome(PinVerdict.Done, $"unpinned {mac} (was {phone.PinnedLoad})"), null);
        }

        if (PhoneModels.Find(phone.Model) is null)
        {
            // A load is planned per model: a phone known by its family only (or not at all) waits for it.
            return Refuse($"{mac}'s model is not known yet ({(phone.Model.Length == 0 ? "nothing names it" : "only its family, " + phone.Model)}): set_var=CISCO_MODEL=… on its endpoint, acb bind {mac} ENDPOINT --model M, or let it register (its User-Agent names it)");
        }

        if (!LoadFamily.TryForModel(phone.Model, out var family, out _) || !wanted.Family.SameAs(family))
        {
            return Refuse($"{wanted.Name} is a load for {wanted.Family}, not for {mac}, a {phone.Model}");
        }

        var entry = catalog.Find(wanted.Name);
        if (entry is null)
        {
            return Refuse($"{wanted.Name} is not in the firmware catalog (acb firmware import PACKAGE; acb firmware list)");
        }

        if (!entry.IsComplete)
        {
            return Refuse($"{entry.Name} is incomplete ({entry.Explain()}); an incomplete load is never offered");
        }

        return new LoadPinDecision(new PinOutcome(PinVerdict.Done, $"pinned {mac} to {entry.Name}"), entry.Name);
    }

    private static LoadPinDecision Refuse(string message) => new(new PinOutcome(PinVerdict.Refused, message), null);
}
