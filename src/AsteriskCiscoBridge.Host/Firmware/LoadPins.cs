using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Firmware;

/// <summary>How a pin or unpin request ended.</summary>
internal enum PinVerdict
{
    /// <summary>Stored, with an audit row.</summary>
    Done,

    /// <summary>The request itself is malformed (not a load name).</summary>
    BadInput,

    /// <summary>Well formed but refused: unbound phone, unknown, incomplete or foreign load, nothing to unpin.</summary>
    Refused,
}

/// <summary>The answer to a pin or unpin request, with the sentence an admin reads.</summary>
internal sealed record PinOutcome(PinVerdict Verdict, string Message)
{
    public bool Ok => Verdict == PinVerdict.Done;
}

/// <summary>
/// The one rule for pinning, shared by <c>acb pin</c>, <c>acb unpin</c> and the dashboard (spec §3.5: a phone on a
/// newer load is brought back by pinning it; a phone is kept on its own load by pinning it). A pin names a load
/// of the catalog that is complete and made for the phone's family; anything else is refused with the reason
/// and the fix, and nothing is stored.
/// </summary>
internal sealed class LoadPins(PhoneStore phones, FirmwareStore firmware)
{
    /// <summary>Pins <paramref name="mac"/> to <paramref name="loadText"/>; with null, removes its pin.</summary>
    public async Task<PinOutcome> SetAsync(MacAddress mac, string? loadText, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        LoadName? wanted = null;
        if (loadText is not null)
        {
            if (!LoadName.TryParse(loadText, out var parsed, out var reason))
            {
                return new PinOutcome(PinVerdict.BadInput, reason);
            }

            wanted = parsed;
        }

        var phone = await phones.GetAsync(mac, cancellationToken);
        if (phone is null)
        {
            return Refuse(wanted is null ? $"{mac} is not bound" : $"{mac} is not bound (acb bind {mac} ENDPOINT…)");
        }

        if (wanted is null)
        {
            if (phone.PinnedLoad is null)
            {
                return Refuse($"{mac} is not pinned");
            }

            await firmware.PinAsync(mac, null, actor, now, cancellationToken);
            return new PinOutcome(PinVerdict.Done, $"unpinned {mac} (was {phone.PinnedLoad})");
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

        var entry = (await firmware.CatalogAsync(cancellationToken)).Find(wanted.Name);
        if (entry is null)
        {
            return Refuse($"{wanted.Name} is not in the firmware catalog (acb firmware import PACKAGE; acb firmware list)");
        }

        if (!entry.IsComplete)
        {
            return Refuse($"{entry.Name} is incomplete ({entry.Explain()}); an incomplete load is never offered");
        }

        await firmware.PinAsync(mac, entry.Name, actor, now, cancellationToken);
        return new PinOutcome(PinVerdict.Done, $"pinned {mac} to {entry.Name}");
    }

    private static PinOutcome Refuse(string message) => new(PinVerdict.Refused, message);
}
