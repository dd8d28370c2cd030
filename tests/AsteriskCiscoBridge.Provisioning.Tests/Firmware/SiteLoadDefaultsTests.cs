using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Testing.Firmware;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

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
