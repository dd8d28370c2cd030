using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Testing.Firmware;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

public sealed class LoadFetchTrackerTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly SyntheticLoad Hop = SyntheticFirmware.Java("SIP41.8-5-2S", seed: 1, withTermDefaults: false);
    private static readonly FirmwareCatalog Catalog = CatalogFiles.Catalog(Hop, SyntheticFirmware.Classic("P0S3-08-12-00"));

    [Fact]
    public void A_phone_served_every_file_of_a_load_runs_it()
    {
        var tracker = new LoadFetchTracker();
        Assert.Null(tracker.Observe("10.0.0.5", Mac, "SEP0011223344AA.cnf.xml", served: true, Catalog));

        var seen = Hop.Names.Select(name => tracker.Observe("10.0.0.5", null, name, served: true, Catalog)).ToList();

        Assert.All(seen.SkipLast(1), Assert.Null);
        Assert.Equal(new LoadSeen(Mac, "SIP41.8-5-2S", "tftp: fetched all 6 files of SIP41.8-5-2S"), seen[^1]);
    }

    [Fact]
    public void A_missing_or_refused_file_means_the_phone_still_runs_its_old_load()
    {
        var tracker = new LoadFetchTracker();
        tracker.Observe("10.0.0.5", Mac, "SEP0011223344AA.cnf.xml", served: true, Catalog);

        var results = Hop.Names.Select(name => tracker.Observe("10.0.0.5", null, name, served: !name.StartsWith("dsp", StringComparison.Ordinal), Catalog)).ToList();

        Assert.All(results, Assert.Null);
    }

    [Fact]
    public void Load_files_are_tied_to_the_phone_that_last_asked_for_its_own_file_from_that_address()
    {
        var tracker = new LoadFetchTracker();
        var other = MacAddress.Parse("0011223344BB").Mac!.Value;
        tracker.Observe("10.0.0.5", Mac, "SEP0011223344AA.cnf.xml", served: true, Catalog);
        tracker.Observe("10.0.0.6", other, "SIP0011223344BB.cnf", served: true, Catalog);

        var classic = new[] { "P0S3-08-12-00.loads", "P003-08-12-00.sbn", "P0S3-08-12-00.sb2" }.Select(n => tracker.Observe("10.0.0.6", null, n, true, Catalog)).ToList()[^1];
        var unknownClient = Hop.Names.Select(n => tracker.Observe("10.0.0.7", null, n, true, Catalog)).ToList()[^1];
        var componentsFirst = Hop.Names.Reverse().Select(n => tracker.Observe("10.0.0.5", null, n, true, Catalog)).ToList()[^1];

        Assert.Equal(new LoadSeen(other, "P0S3-08-12-00", "tftp: fetched all 3 files of P0S3-08-12-00"), classic);
        Assert.Null(unknownClient);
        Assert.Null(componentsFirst);
    }

    [Fact]
    public void A_7960_converting_through_os79xx_txt_is_named_by_its_first_own_file_after_the_download()
    {
        var tracker = new LoadFetchTracker();
        var classic = new[] { "OS79XX.TXT", "P0S3-08-12-00.loads", "P003-08-12-00.sbn", "P0S3-08-12-00.sb2", "OS79XX.TXT", "SIPDefault.cnf" }
            .Select(n => tracker.Observe("10.0.0.9", null, n, true, Catalog)).ToList();

        var named = tracker.Observe("10.0.0.9", Mac, "SIP0011223344AA.cnf", true, Catalog);
        var again = tracker.Observe("10.0.0.9", Mac, "SIP0011223344AA.cnf", true, Catalog);

        Assert.All(classic, Assert.Null);
        Assert.Equal(new LoadSeen(Mac, "P0S3-08-12-00", "tftp: fetched all 3 files of P0S3-08-12-00 (phone known by its address)"), named);
        Assert.Null(again);
    }

    [Fact]
    public void The_tracker_stays_bounded_and_keeps_working()
    {
        var tracker = new LoadFetchTracker(capacity: 4);
        for (var i = 0; i < 50; i++)
        {
            tracker.Observe($"10.0.1.{i}", MacAddress.Parse($"0011223344{i:X2}").Mac!.Value, "SEP.cnf.xml", true, Catalog);
        }

        tracker.Observe("10.0.0.5", Mac, "SEP0011223344AA.cnf.xml", served: true, Catalog);
        Assert.Equal("SIP41.8-5-2S", Hop.Names.Select(n => tracker.Observe("10.0.0.5", null, n, true, Catalog)).ToList()[^1]?.Load);
    }
}

public sealed class UserAgentLoadTests
{
    private static readonly FirmwareCatalog Catalog = CatalogFiles.Catalog(
        SyntheticFirmware.Java("SIP41.9-4-2SR3-1S", seed: 2),
        SyntheticFirmware.Java("SIP41.9-4-2SR1-1S", seed: 3, withTermDefaults: false),
        SyntheticFirmware.Java("SIP45.9-4-2SR3-1S", seed: 4));

    [Theory]
    [InlineData("Cisco-CP7961G/9.4.2", 7961, "9.4.2")]
    [InlineData("Cisco-CP7961G-GE/9.4.2", 7961, "9.4.2")]
    [InlineData("Cisco-CP7945G/9.4.2-fake", 7945, "9.4.2-fake")]
    [InlineData("Cisco-CP7960G/8.0", 7960, "8.0")]
    [InlineData("Cisco-CP8841/14.2.1", 8841, "14.2.1")]
    [InlineData("Cisco-CP8865NR/14.2.1", 8865, "14.2.1")]
    [InlineData("Cisco-CP7821/10.3.1", 7821, "10.3.1")]
    [InlineData("Cisco-CP8961/9.4.2", 8961, "9.4.2")]
    public void TryParse_reads_the_model_and_the_version(string userAgent, int model, string version)
    {
        Assert.True(UserAgentLoad.TryParse(userAgent, out var m, out var v));
        Assert.Equal((model, version), (m, v));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Linphone/5.0")]
    [InlineData("Cisco-CP7961G")]
    [InlineData("Cisco-CP7961G/")]
    [InlineData("Cisco-CP7912G/1.0")]
    public void TryParse_refuses_what_is_not_a_79xx_user_agent(string? userAgent) =>
        Assert.False(UserAgentLoad.TryParse(userAgent, out _, out _));

    [Fact]
    public void A_release_resolves_to_the_known_load_then_the_offered_one_then_the_highest_in_the_catalog()
    {
        var model = PhoneModels.Cisco7961;

        Assert.Equal("SIP41.9-4-2SR1-1S", UserAgentLoad.Resolve("Cisco-CP7961G/9.4.2", model, "SIP41.9-4-2SR1-1S", Catalog, "SIP41.9-4-2SR3-1S"));
        Assert.Equal("SIP41.9-4-2SR1-1S", UserAgentLoad.Resolve("Cisco-CP7961G/9.4.2", model, "SIP41.8-5-2S", Catalog, "SIP41.9-4-2SR1-1S"));
        Assert.Equal("SIP41.9-4-2SR3-1S", UserAgentLoad.Resolve("Cisco-CP7961G/9.4.2", model, null, Catalog));
        Assert.Equal("SIP41.8-3-1", UserAgentLoad.Resolve("Cisco-CP7961G/8.3.1", model, null, Catalog));
        Assert.Equal("SIP45.9-4-2SR3-1S", UserAgentLoad.Resolve("Cisco-CP7965G/9.4.2", PhoneModels.Cisco7965, null, Catalog));
    }

    [Fact]
    public void A_later_series_release_resolves_to_its_catalog_load_or_a_bare_name_in_its_family_spelling()
    {
        var catalog = CatalogFiles.Catalog(SyntheticFirmware.Enterprise("sip88xx.14-2-1-0001-131"), SyntheticFirmware.Enterprise("sip8845_65.12-7-1-0001-393", seed: 5));

        Assert.Equal("sip88xx.14-2-1-0001-131", UserAgentLoad.Resolve("Cisco-CP8841/14.2.1", PhoneModels.Cisco8841, null, catalog));
        Assert.Equal("sip8845_65.12-7-1-0001-393", UserAgentLoad.Resolve("Cisco-CP8865NR/12.7.1", PhoneModels.Cisco8865, null, catalog));
        Assert.Equal("sip78xx.10-3-1", UserAgentLoad.Resolve("Cisco-CP7821/10.3.1", PhoneModels.Cisco7821, null, catalog));
        Assert.Equal("SIP8941_8945.9-3-1", UserAgentLoad.Resolve("Cisco-CP8945/9.3.1", PhoneModels.Cisco8945, null, catalog));

        // A sip88xx phone is not an 8845/8865: another family's User-Agent says nothing of the phone's load.
        Assert.Null(UserAgentLoad.Resolve("Cisco-CP8841/14.2.1", PhoneModels.Cisco8865, null, catalog));
    }

    [Fact]
    public void Resolve_says_nothing_for_another_family_a_7960_release_without_a_name_or_junk()
    {
        Assert.Null(UserAgentLoad.Resolve("Cisco-CP7945G/9.4.2", PhoneModels.Cisco7961, null, Catalog));
        Assert.Null(UserAgentLoad.Resolve("Cisco-CP7960G/8.0", PhoneModels.Cisco7960, null, Catalog));
        Assert.Null(UserAgentLoad.Resolve("Cisco-CP7961G/banana", PhoneModels.Cisco7961, null, Catalog));
        Assert.Equal("P0S3-08-12-00", UserAgentLoad.Resolve("Cisco-CP7960G/P0S3-08-12-00", PhoneModels.Cisco7960, null, Catalog));
    }

    [Fact]
    public void Resolve_never_throws_on_random_text()
    {
        var random = new Random(6);
        for (var i = 0; i < 2000; i++)
        {
            var text = "Cisco-CP79" + new string([.. Enumerable.Range(0, random.Next(0, 30)).Select(_ => (char)random.Next(32, 127))]);
            _ = UserAgentLoad.Resolve(text, PhoneModels.Cisco7961, null, Catalog);
        }
    }
}

public sealed class SiteLoadDefaultsTests
{
    [Fact]
    public void Parse_keeps_valid_defaults_and_names_every_problem()
    {
        var defaults = SiteLoadDefaults.Parse(
            [
                new("7961", "SIP41.9-4-2SR3-1S"),
                new("7960", "P0S3-08-12-00"),
                new("7942", "SIP41.9-4-2SR3-1S"),
                new("7912", "whatever"),
                new("7965", "latest"),
                new("7970", ""),
            ],
            ["lab: 79x1/41 sip below 9.0(0) to 9.4(2)+ via 9.3", "nonsense"]);

        Assert.Equal(new Dictionary<string, string> { ["7961"] = "SIP41.9-4-2SR3-1S", ["7960"] = "P0S3-08-12-00" }, defaults.ByModel);
        Assert.Equal(4, defaults.Problems.Length);
        Assert.Contains("Firmware:Defaults:7942: SIP41.9-4-2SR3-1S is a load for 7941/7961, not the 7942", defaults.Problems);
        Assert.Contains(defaults.Problems, p => p.StartsWith("Firmware:Defaults:7912:", StringComparison.Ordinal));
        Assert.Contains(defaults.Problems, p => p.StartsWith("Firmware:Defaults:7965:", StringComparison.Ordinal));
        Assert.Contains("Firmware:Staircase: 'nonsense' does not start with 'ID:'", defaults.Problems);
        Assert.Equal("lab", defaults.Rules[0].Id);
        Assert.Equal(StaircaseRules.BuiltIn.Length + 1, defaults.Rules.Length);
    }

    [Fact]
    public void A_site_rule_comes_before_the_built_in_ones_in_the_plan()
    {
        var catalog = CatalogFiles.Catalog(
            SyntheticFirmware.Java("SIP41.9-3-1SR4-1S", seed: 1),
            SyntheticFirmware.Java("SIP41.9-4-2SR3-1S", seed: 2, withTermDefaults: false));
        var defaults = SiteLoadDefaults.Parse([], ["lab: 79x1/41 sip below 9.0(0) to 9.4(2)+ via 9.3"]);

        var plan = LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Sip, "SIP41.8-5-2S", "SIP41.9-4-2SR3-1S", null), catalog, defaults.Rules);

        Assert.Equal(["SIP41.9-3-1SR4-1S", "SIP41.9-4-2SR3-1S"], plan.Path);
    }

    [Fact]
    public void Offered_names_only_defaults_the_catalog_holds_complete()
    {
        var full = SyntheticFirmware.Java("SIP41.9-4-2SR3-1S", seed: 2);
        var catalog = FirmwareCatalog.Build(CatalogFiles.Of(full, SyntheticFirmware.Java("SIP45.9-4-2SR3-1S", seed: 3).Without("dsp45.9-4-2SR3-1S.sbn")));
        var defaults = SiteLoadDefaults.Parse([new("7961", "SIP41.9-4-2SR3-1S"), new("7965", "SIP45.9-4-2SR3-1S"), new("7960", "P0S3-08-12-00")], []);

        var offered = defaults.Offered(catalog);

        Assert.Equal("", offered.Sip79x0);
        Assert.Equal(new Dictionary<string, string> { ["7961"] = "SIP41.9-4-2SR3-1S" }, offered.Sip79x1);
        Assert.Equal("", SiteLoadDefaults.None.Offered(catalog).Sip79x0);
    }
}

public sealed class LoadPathTextTests
{
    private static readonly FirmwareCatalog Catalog = CatalogFiles.Catalog(
        SyntheticFirmware.Java("SIP41.8-5-2S", seed: 1),
        SyntheticFirmware.Java("SIP41.9-4-2SR3-1S", seed: 2, withTermDefaults: false));

    private static string Describe(string? running, string? target, string? pin = null) =>
        LoadPathText.Describe(running, LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Unknown, running, target, pin), Catalog), pin is not null);

    [Fact]
    public void Describe_shows_the_path_the_next_hop_and_the_pin_compactly()
    {
        Assert.Equal("8.3(1) → 8.5(2) → 9.4(2)SR3-1, next hop 8.5(2)", Describe("SIP41.8-3-1S", "SIP41.9-4-2SR3-1S"));
        Assert.Equal("9.4(2)SR3-1, up to date", Describe("SIP41.9-4-2SR3-1S", "SIP41.9-4-2SR3-1S"));
        Assert.Equal("9.4(2)SR3-1 → 8.5(2), next hop 8.5(2), pinned", Describe("SIP41.9-4-2SR3-1S", "SIP41.9-4-2SR3-1S", "SIP41.8-5-2S"));
        Assert.Equal("9.4(2)SR3-1, kept", Describe("SIP41.9-4-2SR3-1S", "SIP41.8-5-2S"));
        Assert.Equal("8.5(2) → 9.4(3) blocked", Describe("SIP41.8-5-2S", "SIP41.9-4-3S"));
        Assert.Equal("? → 9.4(2)SR3-1, next hop 9.4(2)SR3-1", Describe(null, "SIP41.9-4-2SR3-1S"));
        Assert.Equal("-", Describe(null, null));
    }
}
