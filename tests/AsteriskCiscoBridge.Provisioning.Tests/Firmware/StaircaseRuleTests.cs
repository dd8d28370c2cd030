using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Testing.Firmware;
using Xunit;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

public sealed class StaircaseRuleTests
{
    [Fact]
    public void Every_built_in_rule_cites_the_spec()
    {
        Assert.All(StaircaseRules.BuiltIn, r => Assert.Contains("spec §", r.Reason, StringComparison.Ordinal));
        Assert.Equal(StaircaseRules.BuiltIn.Length, StaircaseRules.BuiltIn.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void TryParse_reads_the_one_line_form()
    {
        Assert.True(StaircaseRule.TryParse("old-sccp: 79x0 sccp below 5.0(0) to sip 7.0(0)+ via sccp 8.1(2)", out var rule, out var reason), reason);

        Assert.Equal("old-sccp", rule.Id);
        Assert.Equal(LoadGeneration.Classic, rule.Generation);
        Assert.Equal((LoadProtocol.Sccp, LoadProtocol.Sip, LoadProtocol.Sccp), (rule.RunningProtocol!.Value, rule.TargetProtocol!.Value, rule.HopProtocol!.Value));
        Assert.Equal(("5.0(0)", "7.0(0)", "8.1(2)"), (rule.RunningBelow.ToString(), rule.TargetAtLeast.ToString(), rule.Hop.ToString()));
        Assert.Null(rule.FamilyCode);
        Assert.Equal("site rule old-sccp: 79x0 sccp below 5.0(0) to sip 7.0(0)+ via sccp 8.1(2)", rule.Reason);
    }

    [Fact]
    public void A_parsed_rule_drives_the_planner_for_its_family_only()
    {
        Assert.True(StaircaseRule.TryParse("lab: 79x1/42 below 9.0(0) to 9.4(2)+ via 9.3(1)", out var rule, out _));
        var catalog = CatalogFiles.Catalog(
            SyntheticFirmware.Java("SIP42.9-3-1SR4-1S", seed: 1),
            SyntheticFirmware.Java("SIP42.9-4-2SR3-1S", seed: 2),
            SyntheticFirmware.Java("SIP41.9-3-1SR4-1S", seed: 3),
            SyntheticFirmware.Java("SIP41.9-4-2SR3-1S", seed: 4));

        var on42 = LoadPlanner.Plan(new LoadPlanRequest("7962", LoadProtocol.Sip, "SIP42.8-5-4S", "SIP42.9-4-2SR3-1S", null), catalog, [rule]);
        var on41 = LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Sip, "SIP41.8-5-4S", "SIP41.9-4-2SR3-1S", null), catalog, [rule]);

        Assert.Equal(["SIP42.9-3-1SR4-1S", "SIP42.9-4-2SR3-1S"], on42.Path);
        Assert.Equal(["SIP41.9-4-2SR3-1S"], on41.Path);
    }

    [Theory]
    [InlineData("", "one line")]
    [InlineData("79x1 below 8.3(3) to 8.5(3)+ via 8.5(2)", "does not start with 'ID:'")]
    [InlineData("x: 7960 below 8.3(3) to 8.5(3)+ via 8.5(2)", "generation '7960' is not 79x0, 79x1[/CODE] or enterprise")]
    [InlineData("x: 79x1 below 8.3(3) to 8.5(3) via 8.5(2)", "expected 'GENERATION")]
    [InlineData("x: 79x1 below eight to 8.5(3)+ via 8.5(2)", "expected 'GENERATION")]
    [InlineData("x: 79x1 below 8.3(3) to 8.5(3)+ via 8.5(2) extra", "expected 'GENERATION")]
    [InlineData("x: 79x1 under 8.3(3) to 8.5(3)+ via 8.5(2)", "expected 'GENERATION")]
    public void TryParse_explains_a_bad_rule(string text, string reason)
    {
        Assert.False(StaircaseRule.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
