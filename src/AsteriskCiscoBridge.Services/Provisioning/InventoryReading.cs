using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Services.Provisioning;

/// <summary>
/// Feeds the one <see cref="PhoneInventory"/>: Asterisk's endpoints as neutral records (so Provisioning
/// knows no AMI), and the bridge's bindings and stored models from the store. Every reader (rounds,
/// resync, <c>acb phones</c>, <c>acb render</c>, the doctor, the dashboard) builds it this way.
/// </summary>
internal static class InventoryReading
{
    /// <summary>The endpoints of a snapshot as the inventory reads them; <paramref name="servers"/> points each line at its endpoint's transport.</summary>
    public static IReadOnlyList<InventoryEndpoint> EndpointsOf(PjsipSnapshot snapshot, SipServerContext? servers = null)
    {
        var macs = MacBindingsOf(snapshot);
        return [.. snapshot.Endpoints.Select(e => new InventoryEndpoint(
            e.Name,
            EndpointProvisioner.LineOf(e, servers ?? SipServerContext.Unconfigured),
            e.NotProvisionableReason ?? (e.Auth?.Password is null ? "no plain password" : null),
            macs.Of(e.Name),
            e.SetVars,
            [.. e.Contacts.Select(c => c.UserAgent).OfType<string>()]))];
    }

    /// <summary>The MACs the snapshot's phoneprov sections and set_var entries bind to endpoints, read by the Inventory.</summary>
    public static MacBindingReading MacBindingsOf(PjsipSnapshot snapshot) =>
        MacBindingReader.Read(
            [.. snapshot.Endpoints.Select(e => new EndpointVariables(e.Name, e.SetVars))],
            [.. snapshot.PhoneprovSections.Select(c => new PhoneprovSection(c.Name, c.Lines))]);

    /// <summary>The inventory over <paramref name="endpoints"/> (null: no snapshot of Asterisk exists) and the store.</summary>
    public static async Task<PhoneInventory> InventoryAsync(this PhoneStore phones, IReadOnlyList<InventoryEndpoint>? endpoints, CancellationToken cancellationToken)
    {
        var bindings = await phones.AllBindingsAsync(cancellationToken);
        var models = await phones.ModelsAsync(cancellationToken);
        var rows = bindings.SelectMany(b => b.Value.Select(r => new BridgeBinding(b.Key, r.Endpoint, r.Position, LineSource.Bridge, r.ToLine()))).ToList();
        return PhoneInventory.Build(endpoints, rows, models);
    }
}
