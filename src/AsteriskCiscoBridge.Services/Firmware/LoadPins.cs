using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Services.Firmware;

/// <summary>
/// Stores pins for <c>acb pin</c>, <c>acb unpin</c> and the dashboard: reads the phone and the catalog, asks
/// <see cref="LoadPinRule"/>, and stores what it allows with an audit row; a refusal stores nothing.
/// </summary>
internal sealed class LoadPins(PhoneStore phones, FirmwareStore firmware)
{
    /// <summary>Pins <paramref name="mac"/> to <paramref name="loadText"/>; with null, removes its pin.</summary>
    public async Task<PinOutcome> SetAsync(MacAddress mac, string? loadText, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var phone = await phones.GetAsync(mac, cancellationToken);
        var catalog = loadText is null || phone is null ? FirmwareCatalog.Empty : await firmware.CatalogAsync(cancellationToken);
        var decision = LoadPinRule.Decide(mac, loadText, phone is null ? null : new PinnedPhone(phone.Model, phone.PinnedLoad), catalog);
        if (decision.Store)
        {
            await firmware.PinAsync(mac, decision.Load, actor, now, cancellationToken);
        }

        return decision.Outcome;
    }
}
