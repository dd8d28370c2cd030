using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Firmware;
using AsteriskCiscoBridge.Host.Diagnostics;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Services.Diagnostics;
using AsteriskCiscoBridge.Services.Firmware;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Firmware;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Time;

namespace AsteriskCiscoBridge.Host.Tests.Diagnostics;

/// <summary>
/// The checks on what the bridge hands out, over a snapshot read from the AMI test server and
/// firmware folders written to disk: each check's OK and FAIL (or WARN) path.
/// </summary>
public sealed class ProvisioningDoctorTests
{
    private static readonly MacAddress MacA = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly MacAddress MacB = MacAddress.Parse("0011223344BB").Mac!.Value;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<PjsipSnapshot> SnapshotAsync(params AmiTestEndpoint[] endpoints)
    {
        var pbx = new AmiTestPbx();
        foreach (var endpoint in endpoints)
        {
            pbx.Set(endpoint);
        }

        await using var server = AmiTestServer.Start(pbx);
        var report = await AmiDoctor.RunAsync(new AmiOptions { Host = "127.0.0.1", Port = server.Port, Username = "bridge", Secret = "bridgepw" }, null, new CountingTimeProvider(), Ct);
        return report.Snapshot!;
    }

    private static PhoneRow Phone(MacAddress mac, string model, string? load = null) =>
        new() { Mac = mac, Model = model, Load = load, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch };

    private static ProvisioningFacts Facts(PjsipSnapshot? snapshot, Dictionary<MacAddress, IReadOnlyList<BindingRow>> bindings, params PhoneRow[] phones) =>
        new(phones, bindings, snapshot, new SiteLoads())
        {
            Inventory = PhoneInventory.Build(
                snapshot is null ? null : InventoryReading.EndpointsOf(snapshot),
                [.. bindings.SelectMany(b => b.Value.Select(r => new BridgeBinding(b.Key, r.Endpoint, r.Position)))],
                [.. phones.Select(p => new StoredModel(p.Mac, p.Model, ModelSource.Bind))]),
        };

    [Fact]
    public async Task An_md5_endpoint_and_a_missing_endpoint_that_are_bound_fail_and_an_unbound_md5_trunk_is_ignored()
    {
        var snapshot = await SnapshotAsync(
            AmiTestEndpoint.Plain("6001", "pw"),
            AmiTestEndpoint.Plain("6002", string.Empty) with { AuthType = "md5", Md5Cred = "0123456789abcdef0123456789abcdef", Realm = "asterisk" },
            AmiTestEndpoint.Plain("trunk", string.Empty) with { AuthType = "md5", Md5Cred = "0123456789abcdef0123456789abcdef", Realm = "asterisk" });
        var bindings = new Dictionary<MacAddress, IReadOnlyList<BindingRow>>
        {
            [MacA] = [new BindingRow { Position = 1, Endpoint = "6001" }, new BindingRow { Position = 2, Endpoint = "6002" }],
            [MacB] = [new BindingRow { Position = 1, Endpoint = "6009" }],
        };

        var results = ProvisioningDoctor.Endpoints(Facts(snapshot, bindings));

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(DoctorStatus.Fail, r.Status));
        Assert.StartsWith("endpoint 6002 (bound to 0011223344AA) cannot be provisioned:", results[0].Line, StringComparison.Ordinal);
        Assert.Contains("auth_type = userpass", results[0].Fix, StringComparison.Ordinal);
        Assert.Equal("endpoint 6009 (bound to 0011223344BB) does not exist in Asterisk", results[1].Line);

        var ok = ProvisioningDoctor.Endpoints(Facts(snapshot, new() { [MacA] = [new BindingRow { Position = 1, Endpoint = "6001" }] }));
        Assert.Equal((DoctorStatus.Ok, "1 bound endpoint, all provisionable"), (Assert.Single(ok).Status, ok[0].Line));
    }

    [Fact]
    public async Task Bindings_in_pjsip_conf_and_the_bridge_are_lines_of_one_phone_and_a_shared_endpoint_or_a_conflict_warns()
    {
        var snapshot = await SnapshotAsync(
            AmiTestEndpoint.Plain("6001", "pw"),
            AmiTestEndpoint.Plain("6002", "pw") with { PhoneprovMac = "0011223344AA" },
            AmiTestEndpoint.Plain("6003", "pw") with { SetVars = [new("CISCO_MAC", "0011.2233.44cc"), new("CISCO_MODEL", "7940")] },
            AmiTestEndpoint.Plain("6004", "pw") with { SetVars = [new("CISCO_MAC", "00:11:22:33:44:cc")] },
            AmiTestEndpoint.Plain("6005", "pw") with { SetVars = [new("CISCO_MAC", "0011223344CC")] });
        var bindings = new Dictionary<MacAddress, IReadOnlyList<BindingRow>>
        {
            [MacA] = [new BindingRow { Position = 1, Endpoint = "6001" }],
            [MacB] = [new BindingRow { Position = 1, Endpoint = "6001" }],
        };

        var results = ProvisioningDoctor.DuplicateMacs(Facts(snapshot, bindings));

        Assert.Equal([DoctorStatus.Warn, DoctorStatus.Warn], results.Select(r => r.Status));
        Assert.Equal("0011223344CC: a 7940 has 2 line buttons: 6005 (set_var CISCO_MAC on 6005) is line 3 and left out", results[0].Line);
        Assert.StartsWith("endpoint 6001 is bound to 2 phones (0011223344AA, 0011223344BB)", results[1].Line, StringComparison.Ordinal);

        var cleanSnapshot = await SnapshotAsync(AmiTestEndpoint.Plain("6001", "pw"), AmiTestEndpoint.Plain("6002", "pw") with { PhoneprovMac = "0011223344AA" });
        var oneSource = ProvisioningDoctor.DuplicateMacs(Facts(cleanSnapshot, new() { [MacA] = [new BindingRow { Position = 1, Endpoint = "6001" }] }));
        Assert.Equal((DoctorStatus.Ok, "1 phone bound (1 in Asterisk, 0 by acb bind only), 1 provisioned with 2 lines, no conflicts"), (Assert.Single(oneSource).Status, oneSource[0].Line));
    }

    [Fact]
    public async Task Bound_endpoints_without_a_live_contact_are_named_because_their_notify_reaches_nobody()
    {
        var snapshot = await SnapshotAsync(
            AmiTestEndpoint.Plain("6001", "pw") with { Contacts = [new AmiTestContact("sip:6001@127.0.0.1:5070", "Cisco-CP7960G/8.0", "reg-6001")] },
            AmiTestEndpoint.Plain("6002", "pw"),
            AmiTestEndpoint.Plain("6003", "pw") with { Contacts = [new AmiTestContact("sip:6003@127.0.0.1:5071", "Cisco-CP7960G/8.0", "reg-6003", "Unreachable")] });
        var bindings = new Dictionary<MacAddress, IReadOnlyList<BindingRow>>
        {
            [MacA] = [new BindingRow { Position = 1, Endpoint = "6001" }, new BindingRow { Position = 2, Endpoint = "6002" }],
            [MacB] = [new BindingRow { Position = 1, Endpoint = "6003" }],
        };

        var warn = ProvisioningDoctor.Contacts(Facts(snapshot, bindings));
        var ok = ProvisioningDoctor.Contacts(Facts(snapshot, new() { [MacA] = [new BindingRow { Position = 1, Endpoint = "6001" }] }));

        Assert.Equal(DoctorStatus.Warn, warn.Status);
        Assert.StartsWith("2 of 3 bound endpoints have no registered contact (6002, 6003)", warn.Line, StringComparison.Ordinal);
        Assert.Equal((DoctorStatus.Ok, "every bound endpoint (1) has a registered contact: a resync reaches its phone"), (ok.Status, ok.Line));
    }

    [Fact]
    public void A_label_longer_than_a_7960_shows_warns_and_the_same_label_fits_a_7961()
    {
        var bindings = new Dictionary<MacAddress, IReadOnlyList<BindingRow>>
        {
            [MacA] = [new BindingRow { Position = 1, Endpoint = "6001", Label = "Reception desk left" }],
            [MacB] = [new BindingRow { Position = 1, Endpoint = "6002", Label = "Reception desk left" }],
        };

        var results = ProvisioningDoctor.Labels(Facts(null, bindings, Phone(MacA, "7960"), Phone(MacB, "7961")));

        var warn = Assert.Single(results);
        Assert.Equal(DoctorStatus.Warn, warn.Status);
        Assert.Equal("0011223344AA line 1 label \"Reception desk left\" has 19 characters; the 7960 shows 12", warn.Line);

        var fits = ProvisioningDoctor.Labels(Facts(null, new() { [MacB] = bindings[MacB] }, Phone(MacB, "7961")));
        Assert.Equal(DoctorStatus.Ok, Assert.Single(fits).Status);
    }

    [Fact]
    public async Task Firmware_check_fails_an_incomplete_load_warns_a_missing_site_load_and_passes_a_complete_folder()
    {
        using var folder = new TempDirectory("acb-doctor-fw");
        var java = SyntheticFirmware.Java("SIP41.9-4-2SR3-1S", withTermDefaults: false);
        foreach (var (name, bytes) in java.Files)
        {
            folder.Write(name, bytes);
        }

        var facts = Facts(null, [], Phone(MacA, "7961"), Phone(MacB, "7960"));

        var complete = ProvisioningDoctor.Firmware(facts, await FirmwareFolder.ScanAsync(folder.Path, Ct), folder.Path);
        var warn = Assert.Single(complete);
        Assert.Equal(DoctorStatus.Warn, warn.Status);
        Assert.StartsWith("load P0S3-08-12-00 (for 7960) is not in the firmware folder", warn.Line, StringComparison.Ordinal);

        var onlyJava = ProvisioningDoctor.Firmware(Facts(null, [], Phone(MacA, "7961")), await FirmwareFolder.ScanAsync(folder.Path, Ct), folder.Path);
        Assert.Equal(DoctorStatus.Ok, Assert.Single(onlyJava).Status);

        var image = java.Names.First(n => !n.EndsWith(".loads", StringComparison.OrdinalIgnoreCase));
        File.Delete(Path.Combine(folder.Path, image));
        var broken = ProvisioningDoctor.Firmware(Facts(null, [], Phone(MacA, "7961")), await FirmwareFolder.ScanAsync(folder.Path, Ct), folder.Path);
        var fail = Assert.Single(broken);
        Assert.Equal(DoctorStatus.Fail, fail.Status);
        Assert.Equal($"load SIP41.9-4-2SR3-1S is incomplete: missing {image}", fail.Line);
    }
}
