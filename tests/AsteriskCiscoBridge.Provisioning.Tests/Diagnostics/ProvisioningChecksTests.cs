using AsteriskCiscoBridge.Provisioning.Diagnostics;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Provisioning.Tests.Diagnostics;

public sealed class ProvisioningChecksTests
{
    private static readonly MacAddress MacA = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly MacAddress MacB = MacAddress.Parse("0011223344BB").Mac!.Value;

    private static CheckedEndpoint Endpoint(string name, string? problem = null, string? callerId = null, string? contactStatus = "NonQualified", params string[] macs) =>
        new(name, problem, callerId, contactStatus is null ? [] : [new ResyncContact(name, "call-1", contactStatus)], macs);

    private static ProvisioningCheckFacts Facts(IReadOnlyList<CheckedEndpoint>? endpoints, Dictionary<MacAddress, IReadOnlyList<CheckedBinding>> bindings, params CheckedPhone[] phones) =>
        new(phones, bindings, endpoints, new SiteLoads())
        {
            Inventory = PhoneInventory.Build(
                null,
                [.. bindings.SelectMany(b => b.Value.Select(r => new BridgeBinding(b.Key, r.Endpoint, r.Position)))],
                [.. phones.Select(p => new StoredModel(p.Mac, p.Model, ModelSource.Bind))]),
        };

    [Fact]
    public void Endpoints_fails_a_bound_endpoint_asterisk_lacks_or_cannot_provision_and_names_asterisks_own_bindings()
    {
        var bindings = new Dictionary<MacAddress, IReadOnlyList<CheckedBinding>> { [MacA] = [new(1, "6001"), new(2, "6002")] };
        var endpoints = new[] { Endpoint("6002", problem: "md5 credential"), Endpoint("6003", macs: "0011223344CC") };

        var results = ProvisioningChecks.Endpoints(Facts([.. endpoints], bindings));

        Assert.Equal(
            [
                (CheckStatus.Fail, "endpoint 6001 (bound to 0011223344AA) does not exist in Asterisk"),
                (CheckStatus.Fail, "endpoint 6002 (bound to 0011223344AA) cannot be provisioned: md5 credential"),
            ],
            results.Select(r => (r.Status, r.Line)));
        Assert.Equal("2 bound endpoints, all provisionable", Assert.Single(ProvisioningChecks.Endpoints(Facts([Endpoint("6001"), endpoints[1]], new() { [MacA] = [new(1, "6001")] }))).Line);
        Assert.Equal(CheckStatus.Warn, Assert.Single(ProvisioningChecks.Endpoints(Facts(null, bindings))).Status);
    }

    [Fact]
    public void Contacts_warns_of_bound_endpoints_a_notify_cannot_reach()
    {
        var bindings = new Dictionary<MacAddress, IReadOnlyList<CheckedBinding>> { [MacA] = [new(1, "6001"), new(2, "6002"), new(3, "6003")] };
        CheckedEndpoint[] endpoints = [Endpoint("6001"), Endpoint("6002", contactStatus: "Unreachable"), Endpoint("6003", contactStatus: null)];

        var warn = ProvisioningChecks.Contacts(Facts(endpoints, bindings));
        var ok = ProvisioningChecks.Contacts(Facts(endpoints, new() { [MacA] = [new(1, "6001")] }));

        Assert.Equal((CheckStatus.Warn, "2 of 3 bound endpoints have no registered contact (6002, 6003): their resync waits until the phone registers"), (warn.Status, warn.Line));
        Assert.Equal((CheckStatus.Ok, "every bound endpoint (1) has a registered contact: a resync reaches its phone"), (ok.Status, ok.Line));
    }

    [Fact]
    public void DuplicateMacs_warns_of_an_endpoint_shared_by_two_phones()
    {
        var bindings = new Dictionary<MacAddress, IReadOnlyList<CheckedBinding>> { [MacA] = [new(1, "6001")], [MacB] = [new(1, "6001")] };

        var shared = Assert.Single(ProvisioningChecks.DuplicateMacs(Facts(null, bindings, new CheckedPhone(MacA, "7961"), new CheckedPhone(MacB, "7961"))));
        var alone = Assert.Single(ProvisioningChecks.DuplicateMacs(Facts(null, new() { [MacA] = [new(1, "6001")] }, new CheckedPhone(MacA, "7961"))));

        Assert.Equal((CheckStatus.Warn, "endpoint 6001 is bound to 2 phones (0011223344AA, 0011223344BB): they register with the same credentials"), (shared.Status, shared.Line));
        Assert.Equal(CheckStatus.Ok, alone.Status);
    }

    [Fact]
    public void Labels_warns_of_a_label_longer_than_the_model_shows_taking_the_callerid_name_last()
    {
        var bindings = new Dictionary<MacAddress, IReadOnlyList<CheckedBinding>>
        {
            [MacA] = [new(1, "6001")],
            [MacB] = [new(1, "6002", Label: "Reception desk, ground floor")],
        };

        var results = ProvisioningChecks.Labels(Facts([Endpoint("6001", callerId: "Reception desk")], bindings, new CheckedPhone(MacA, "7960"), new CheckedPhone(MacB, "7961")));

        Assert.Equal(
            "0011223344AA line 1 label \"Reception desk\" has 14 characters; the 7960 shows 12",
            Assert.Single(results).Line);
    }

    [Fact]
    public void Firmware_warns_of_a_load_phones_would_be_sent_that_the_folder_lacks()
    {
        var missing = Assert.Single(ProvisioningChecks.Firmware(Facts(null, [], new CheckedPhone(MacA, "7961", Load: "SIP41.9-4-2SR3-1S")), FirmwareCatalog.Empty, "/srv/fw"));
        var none = Assert.Single(ProvisioningChecks.Firmware(Facts(null, []), FirmwareCatalog.Empty, "/srv/fw"));

        Assert.Equal((CheckStatus.Warn, "load SIP41.9-4-2SR3-1S (for 7961) is not in the firmware folder: those phones keep the load they run"), (missing.Status, missing.Line));
        Assert.Equal((CheckStatus.Ok, "0 loads in /srv/fw, all complete; every load the bound phones need is there"), (none.Status, none.Line));
    }
}
