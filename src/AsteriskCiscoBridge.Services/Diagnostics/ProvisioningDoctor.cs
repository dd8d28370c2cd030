using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Diagnostics;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Services.Diagnostics;

/// <summary>What the pure checks look at: the store's phones and bindings, Asterisk's endpoints (when read) and the site.</summary>
internal sealed record ProvisioningFacts(
    IReadOnlyList<PhoneRow> Phones,
    IReadOnlyDictionary<MacAddress, IReadOnlyList<BindingRow>> Bindings,
    PjsipSnapshot? Snapshot,
    SiteLoads Loads)
{
    /// <summary>The inventory over the snapshot and the store: what the service provisions.</summary>
    public PhoneInventory Inventory { get; init; } = PhoneInventory.Empty;
}

/// <summary>
/// <c>acb doctor</c>'s provisioning checks: the rules are <see cref="ProvisioningChecks"/> (pure, in
/// Provisioning); this gives them what the store and Asterisk hold and turns their findings into lines.
/// </summary>
internal static class ProvisioningDoctor
{
    public static IReadOnlyList<DoctorResult> Endpoints(ProvisioningFacts facts) => [.. ProvisioningChecks.Endpoints(CheckFacts(facts)).Select(Result)];

    public static DoctorResult Contacts(ProvisioningFacts facts) => Result(ProvisioningChecks.Contacts(CheckFacts(facts)));

    public static IReadOnlyList<DoctorResult> DuplicateMacs(ProvisioningFacts facts) => [.. ProvisioningChecks.DuplicateMacs(CheckFacts(facts)).Select(Result)];

    public static IReadOnlyList<DoctorResult> Labels(ProvisioningFacts facts) => [.. ProvisioningChecks.Labels(CheckFacts(facts)).Select(Result)];

    public static IReadOnlyList<DoctorResult> Firmware(ProvisioningFacts facts, FirmwareCatalog catalog, string folder) =>
        [.. ProvisioningChecks.Firmware(CheckFacts(facts), catalog, folder).Select(Result)];

    /// <summary>
    /// A held answer of Asterisk (<see cref="Provisioning.RemovalHoldGate"/>): phones are served what was applied
    /// before, and changes made in Asterisk meanwhile wait with it. No line when nothing is held: the check is about a
    /// passing state, and a line that is always there would only repeat "nothing held".
    /// </summary>
    public static DoctorResult? RemovalHold(RemovalHoldRow? hold, TimeSpan holdFor) => hold is null ? null : DoctorResult.Warn(
        "sync.hold",
        $"{Provisioning.RemovalHoldView.Summary(hold, holdFor)}; phones: {Provisioning.RemovalHoldView.Phones(hold)}",
        hold.AcceptedAt is null
            ? $"if Asterisk lost its endpoints (realtime backend, a manager user that sees nothing), fix it and the hold clears by itself; if the removal is meant: {Provisioning.RemovalHoldView.AcceptCommand}"
            : "make sure acb run is running: it applies the accepted answer");

    /// <summary>The store's rows and Asterisk's endpoints as the pure checks read them.</summary>
    internal static ProvisioningCheckFacts CheckFacts(ProvisioningFacts facts) => new(
        [.. facts.Phones.Select(p => new CheckedPhone(p.Mac, p.Model, p.Load))],
        facts.Bindings.ToDictionary(b => b.Key, b => (IReadOnlyList<CheckedBinding>)[.. b.Value.Select(r => new CheckedBinding(r.Position, r.Endpoint, r.Label, r.DisplayName))]),
        facts.Snapshot is { } snapshot && Provisioning.InventoryReading.MacBindingsOf(snapshot) is var declared
            ? [.. snapshot.Endpoints.Select(e => new CheckedEndpoint(
                e.Name,
                e.NotProvisionableReason,
                e.CallerIdName,
                [.. e.Contacts.Select(c => new ResyncContact(e.Name, c.CallId, c.Status))],
                [.. declared.Of(e.Name).Select(b => b.Mac.Value)]))]
            : null,
        facts.Loads)
    {
        Inventory = facts.Inventory,
    };

    private static DoctorResult Result(CheckFinding finding) => new(
        finding.Status switch
        {
            CheckStatus.Ok => DoctorStatus.Ok,
            CheckStatus.Warn => DoctorStatus.Warn,
            _ => DoctorStatus.Fail,
        },
        finding.Check,
        finding.Line,
        finding.Fix);
}
