using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Storage.Tests;

public sealed class FirmwareStoreTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("00:11:22:33:44:66").Mac!.Value;
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static FirmwareCatalog Catalog(params (string Name, string[] Components, string[] Missing)[] loads) =>
        FirmwareCatalog.Build(loads.SelectMany(l =>
            new[] { new FirmwareFile(l.Name + ".loads", 100, true, System.Text.Encoding.ASCII.GetBytes(string.Join("\n", l.Components))) }
                .Concat(l.Components.Where(c => !l.Missing.Contains(c)).Select(c => new FirmwareFile(c, 1000, true)))));

    [Fact]
    public async Task RecordScan_keeps_loads_files_completeness_and_the_package_they_came_from()
    {
        await using var db = await TempDatabase.CreateAsync();
        var store = new FirmwareStore(db.Factory);
        var catalog = Catalog(
            ("SIP41.9-4-2SR3-1S", ["jar41sip.9-4-2.sbn", "dsp41.9-4-2.sbn"], []),
            ("SIP41.8-5-2S", ["jar41sip.8-5-2.sbn", "dsp41.8-5-2.sbn"], ["dsp41.8-5-2.sbn"]));

        await store.RecordScanAsync(catalog, new Dictionary<string, string> { ["SIP41.9-4-2SR3-1S"] = "cmterm-7941_7961-sip.9-4-2SR3-1.zip" }, Now, Ct);
        var loads = await store.LoadsAsync(Ct);

        Assert.Equal(["SIP41.8-5-2S", "SIP41.9-4-2SR3-1S"], loads.Select(l => l.Load.Name));
        var complete = loads[1];
        Assert.True(complete.Load.IsComplete);
        Assert.Equal(("sip", "7941/7961", "9.4(2)SR3-1"), (complete.Protocol, complete.Family, complete.Version));
        Assert.Equal("cmterm-7941_7961-sip.9-4-2SR3-1.zip", complete.Package);
        Assert.Equal(Now, complete.ImportedAt);
        Assert.Equal(["SIP41.9-4-2SR3-1S.loads", "jar41sip.9-4-2.sbn", "dsp41.9-4-2.sbn"], complete.Load.Files.Select(f => f.Name));
        var partial = loads[0];
        Assert.False(partial.Load.IsComplete);
        Assert.Equal(["dsp41.8-5-2.sbn"], partial.Load.Missing);
        Assert.Null(partial.Package);
        Assert.False((await store.CatalogAsync(Ct)).IsOffered("SIP41.8-5-2S"));
        Assert.True((await store.CatalogAsync(Ct)).IsOffered("sip41.9-4-2sr3-1s"));
    }

    [Fact]
    public async Task A_later_scan_drops_loads_gone_from_the_folder_and_keeps_the_origin_of_the_others()
    {
        await using var db = await TempDatabase.CreateAsync();
        var store = new FirmwareStore(db.Factory);
        var both = Catalog(("SIP41.9-4-2SR3-1S", ["a.sbn"], []), ("SIP41.8-5-2S", ["b.sbn"], []));
        await store.RecordScanAsync(both, new Dictionary<string, string> { ["SIP41.9-4-2SR3-1S"] = "first.zip", ["SIP41.8-5-2S"] = "second.cop" }, Now, Ct);

        await store.RecordScanAsync(Catalog(("SIP41.9-4-2SR3-1S", ["a.sbn"], ["a.sbn"])), new Dictionary<string, string>(), Now.AddHours(1), Ct);
        var loads = await store.LoadsAsync(Ct);

        var only = Assert.Single(loads);
        Assert.Equal(("first.zip", Now, Now.AddHours(1)), (only.Package, only.ImportedAt, only.VerifiedAt));
        Assert.False(only.Load.IsComplete);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM firmware_files", Ct));
    }

    [Fact]
    public async Task Pin_and_unpin_are_audited_and_refused_for_an_unknown_phone()
    {
        await using var db = await TempDatabase.CreateAsync();
        var phones = new PhoneStore(db.Factory);
        var store = new FirmwareStore(db.Factory);
        Assert.False(await store.PinAsync(Mac, "SIP41.8-5-2S", "cli:test", Now, Ct));
        await phones.BindAsync(Mac, PhoneModels.Cisco7961, [new BindingRow { Position = 1, Endpoint = "1001" }], "cli:test", Now, Ct);

        Assert.True(await store.PinAsync(Mac, "SIP41.8-5-2S", "cli:test", Now, Ct));
        Assert.Equal("SIP41.8-5-2S", (await phones.GetAsync(Mac, Ct))!.PinnedLoad);
        Assert.True(await store.PinAsync(Mac, null, "cli:test", Now, Ct));
        Assert.Null((await phones.GetAsync(Mac, Ct))!.PinnedLoad);

        var audit = await new AuditLog(db.Factory).RecentAsync(2, Ct);
        Assert.Equal([("unpin", null), ("pin", "load SIP41.8-5-2S")], audit.Select(a => (a.Action, a.Detail)));
    }

    [Fact]
    public async Task SetRunningLoad_says_whether_the_load_changed_and_keeps_where_it_was_learned()
    {
        await using var db = await TempDatabase.CreateAsync();
        var phones = new PhoneStore(db.Factory);
        var store = new FirmwareStore(db.Factory);
        await phones.BindAsync(Mac, PhoneModels.Cisco7961, [new BindingRow { Position = 1, Endpoint = "1001" }], "cli:test", Now, Ct);

        Assert.True(await store.SetRunningLoadAsync(Mac, "SIP41.8-3-1S", "sip user-agent Cisco-CP7961G/8.3.1", Now, Ct));
        Assert.False(await store.SetRunningLoadAsync(Mac, "SIP41.8-3-1S", "tftp", Now.AddMinutes(1), Ct));
        Assert.True(await store.SetRunningLoadAsync(Mac, "SIP41.8-5-2S", "tftp fetched SIP41.8-5-2S", Now.AddMinutes(2), Ct));

        var phone = await phones.GetAsync(Mac, Ct);
        Assert.Equal(("SIP41.8-5-2S", "tftp fetched SIP41.8-5-2S", Now.AddMinutes(2)), (phone!.Load, phone.LoadSource, phone.LoadSeenAt));
        Assert.False(await store.SetRunningLoadAsync(MacAddress.Parse("001122334477").Mac!.Value, "SIP41.8-5-2S", "tftp", Now, Ct));
    }
}
