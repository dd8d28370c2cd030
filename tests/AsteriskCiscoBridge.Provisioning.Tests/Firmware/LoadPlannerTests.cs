using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Testing.Firmware;
using Xunit;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

public sealed class LoadPlannerTests
{
    private static readonly FirmwareCatalog Java41 = CatalogFiles.Catalog(
        SyntheticFirmware.Java("SIP41.8-5-2S", seed: 1),
        SyntheticFirmware.Java("SIP41.9-4-2SR3-1S", seed: 2),
        SyntheticFirmware.Java("SCCP41.9-4-2SR3-1S", seed: 3));

    [Fact]
    public void A_later_series_phone_is_led_to_its_family_load_through_load_information_and_never_to_another_familys()
    {
        var catalog = CatalogFiles.Catalog(
            SyntheticFirmware.Enterprise("sip88xx.14-2-1-0001-131", seed: 1),
            SyntheticFirmware.Enterprise("sip88xx.12-8-1-0001-455", seed: 2),
            SyntheticFirmware.Enterprise("sip8845_65.14-2-1-0001-131", seed: 3));

        var step = LoadPlanner.Plan(new LoadPlanRequest("8841", LoadProtocol.Sip, "sip88xx.12-8-1-0001-455", "sip88xx.14-2-1-0001-131", null), catalog);
        var wrong = LoadPlanner.Plan(new LoadPlanRequest("8865", LoadProtocol.Sip, "sip8845_65.12-7-1-0001-393", null, "sip88xx.14-2-1-0001-131"), catalog);
        var kept = LoadPlanner.Plan(new LoadPlanRequest("8841", LoadProtocol.Sip, "sip88xx.14-2-1-0001-131", "sip88xx.12-8-1-0001-455", null), catalog);

        Assert.Equal((LoadPlanOutcome.Step, "sip88xx.14-2-1-0001-131", LoadDelivery.LoadInformation), (step.Outcome, step.NextHop, step.Delivery));
        Assert.Equal(LoadPlanOutcome.Blocked, wrong.Outcome);
        Assert.Contains("is for 8811/8841/8851/8861, not 8865", wrong.Reason, StringComparison.Ordinal);
        Assert.Equal(LoadPlanOutcome.KeepCurrent, kept.Outcome);

        // A site staircase rule for the family applies to it, and to no 79x1.
        Assert.True(StaircaseRule.TryParse("lab: enterprise/88XX below 12.0(1) to 14.2(1)+ via 12.8(1)", out var rule, out var reason), reason);
        var old = LoadPlanner.Plan(new LoadPlanRequest("8851", LoadProtocol.Sip, "sip88xx.11-2-3MSR1-1", "sip88xx.14-2-1-0001-131", null), catalog, [rule]);
        Assert.Equal(["sip88xx.12-8-1-0001-455", "sip88xx.14-2-1-0001-131"], old.Path);
    }

    [Fact]
    public void Old_79x1_phone_takes_two_hops_through_8_5_2_one_per_boot()
    {
        var first = LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Sip, "SIP41.8-3-1S", "SIP41.9-4-2SR3-1S", null), Java41);

        Assert.Equal(LoadPlanOutcome.Step, first.Outcome);
        Assert.Equal("SIP41.8-5-2S", first.NextHop);
        Assert.Equal(["SIP41.8-5-2S", "SIP41.9-4-2SR3-1S"], first.Path);
        Assert.Equal(LoadDelivery.LoadInformation, first.Delivery);
        Assert.Contains("pass through 8.5(2)", first.Reason, StringComparison.Ordinal);
        Assert.Contains("spec §3.4", first.Reason, StringComparison.Ordinal);

        // The phone reboots on the hop and asks for its files: the next boot leads it to the target.
        var second = LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Sip, first.NextHop, "SIP41.9-4-2SR3-1S", null), Java41);

        Assert.Equal(("SIP41.9-4-2SR3-1S", LoadPlanOutcome.Step), (second.NextHop, second.Outcome));
        Assert.Equal(["SIP41.9-4-2SR3-1S"], second.Path);

        var third = LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Sip, second.NextHop, "SIP41.9-4-2SR3-1S", null), Java41);

        Assert.Equal(("SIP41.9-4-2SR3-1S", LoadPlanOutcome.UpToDate), (third.NextHop, third.Outcome));
        Assert.Empty(third.Path);
    }

    [Fact]
    public void A_phone_at_or_past_8_3_3_goes_straight_to_the_target()
    {
        var plan = LoadPlanner.Plan(new LoadPlanRequest("7941", LoadProtocol.Sip, "SIP41.8-3-3S", "SIP41.9-4-2SR3-1S", null), Java41);

        Assert.Equal(["SIP41.9-4-2SR3-1S"], plan.Path);
    }

    [Fact]
    public void Staircase_is_blocked_when_the_hop_load_is_not_in_the_folder()
    {
        var catalog = CatalogFiles.Catalog(SyntheticFirmware.Java("SIP41.9-4-2SR3-1S"));

        var plan = LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Sip, "SIP41.8-3-1S", "SIP41.9-4-2SR3-1S", null), catalog);

        Assert.Equal(LoadPlanOutcome.Blocked, plan.Outcome);
        Assert.Equal("SIP41.8-3-1S", plan.NextHop);
        Assert.Equal(["(8.5(2) Sip)", "SIP41.9-4-2SR3-1S"], plan.Path);
        Assert.Contains("no complete SIP 8.5(2) load for 7941/7961", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_incomplete_hop_is_never_offered()
    {
        var catalog = CatalogFiles.Catalog(
            SyntheticFirmware.Java("SIP41.8-5-2S").Without("cnu41.8-5-2S.sbn"),
            SyntheticFirmware.Java("SIP41.9-4-2SR3-1S"));

        var plan = LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Sip, "SIP41.8-3-1S", "SIP41.9-4-2SR3-1S", null), catalog);

        Assert.Equal(LoadPlanOutcome.Blocked, plan.Outcome);
    }

    [Fact]
    public void An_incomplete_target_is_never_offered()
    {
        var catalog = CatalogFiles.Catalog(SyntheticFirmware.Java("SIP41.9-4-2SR3-1S").Without("apps41.9-4-2SR3-1S.sbn"));

        var plan = LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Sip, "SIP41.9-3-1SR4-1S", "SIP41.9-4-2SR3-1S", null), catalog);

        Assert.Equal((LoadPlanOutcome.Blocked, "SIP41.9-3-1SR4-1S"), (plan.Outcome, plan.NextHop));
        Assert.Equal("site default load SIP41.9-4-2SR3-1S is incomplete: missing apps41.9-4-2SR3-1S.sbn; never offered; kept SIP41.9-3-1SR4-1S", plan.Reason);
    }

    [Fact]
    public void A_newer_phone_is_not_downgraded_by_an_older_site_default()
    {
        // Spec §3.5 and the seed's "phone stuck with a later load": only a pin downgrades.
        var plan = LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Sip, "SIP41.9-4-2SR3-1S", "SIP41.8-5-2S", null), Java41);

        Assert.Equal((LoadPlanOutcome.KeepCurrent, "SIP41.9-4-2SR3-1S"), (plan.Outcome, plan.NextHop));
        Assert.Contains("pin SIP41.8-5-2S to downgrade", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pin_downgrades_in_one_hop_without_staircase()
    {
        var plan = LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Sip, "SIP41.9-4-2SR3-1S", "SIP41.9-4-2SR3-1S", "SIP41.8-5-2S"), Java41);

        Assert.Equal((LoadPlanOutcome.Step, "SIP41.8-5-2S"), (plan.Outcome, plan.NextHop));
        Assert.Equal(["SIP41.8-5-2S"], plan.Path);
        Assert.Equal("pinned downgrade from SIP41.9-4-2SR3-1S to SIP41.8-5-2S (spec §3.5)", plan.Reason);
    }

    [Fact]
    public void Pinning_the_phones_own_load_keeps_it_there_whatever_the_site_default()
    {
        var plan = LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Sip, "SIP41.8-5-2S", "SIP41.9-4-2SR3-1S", "SIP41.8-5-2S"), Java41);

        Assert.Equal((LoadPlanOutcome.UpToDate, "SIP41.8-5-2S"), (plan.Outcome, plan.NextHop));
        Assert.Contains("pinned", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_79x1_sccp_phone_is_led_to_its_sip_target_by_load_information()
    {
        var plan = LoadPlanner.Plan(new LoadPlanRequest("7941", LoadProtocol.Sccp, "SCCP41.9-4-2SR3-1S", "SIP41.9-4-2SR3-1S", null), Java41);

        Assert.Equal((LoadPlanOutcome.Step, "SIP41.9-4-2SR3-1S", LoadDelivery.LoadInformation), (plan.Outcome, plan.NextHop, plan.Delivery));
    }

    [Fact]
    public void An_old_7960_on_sccp_reaches_sip_through_sccp_hops_and_switches_by_os79xx_txt()
    {
        var catalog = CatalogFiles.Catalog(
            SyntheticFirmware.Classic("P00303010102", seed: 1),
            SyntheticFirmware.Classic("P00305000500", seed: 2),
            SyntheticFirmware.Classic("P00308010200", seed: 3),
            SyntheticFirmware.Classic("P0S3-08-12-00", seed: 4));

        var plan = LoadPlanner.Plan(new LoadPlanRequest("7960", LoadProtocol.Sccp, "P00302010100", "P0S3-08-12-00", null), catalog);

        Assert.Equal(["P00303010102", "P00305000500", "P00308010200", "P0S3-08-12-00"], plan.Path);
        Assert.Equal(LoadDelivery.LoadInformation, plan.Delivery);

        var last = LoadPlanner.Plan(new LoadPlanRequest("7960", LoadProtocol.Sccp, "P00308010200", "P0S3-08-12-00", null), catalog);

        Assert.Equal(["P0S3-08-12-00"], last.Path);
        Assert.Equal(LoadDelivery.Os79xxTxt, last.Delivery);
    }

    [Fact]
    public void A_7940_on_mgcp_leaves_it_through_sccp_8_1_2()
    {
        var catalog = CatalogFiles.Catalog(SyntheticFirmware.Classic("P00308010200", seed: 3), SyntheticFirmware.Classic("P0S3-08-12-00", seed: 4));

        var plan = LoadPlanner.Plan(new LoadPlanRequest("7940", LoadProtocol.Mgcp, "P0M3-03-0-00", "P0S3-08-12-00", null), catalog);

        Assert.Equal(["P00308010200", "P0S3-08-12-00"], plan.Path);
        Assert.Equal(LoadDelivery.Os79xxTxt, plan.Delivery);
    }

    [Fact]
    public void An_old_7960_on_sip_2_1_steps_through_3_0()
    {
        var catalog = FirmwareCatalog.Build(
        [
            new FirmwareFile("P0S3-03-0-00.bin", 10, true),
            .. CatalogFiles.Of(SyntheticFirmware.Classic("P0S3-08-12-00")),
        ]);

        var plan = LoadPlanner.Plan(new LoadPlanRequest("7960", LoadProtocol.Sip, "P0S30201", "P0S3-08-12-00", null), catalog);

        Assert.Equal(["P0S3-03-0-00", "P0S3-08-12-00"], plan.Path);
        Assert.Equal(LoadDelivery.ImageVersion, plan.Delivery);
    }

    [Fact]
    public void Rules_are_data_a_site_can_replace()
    {
        var plan = LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Sip, "SIP41.8-3-1S", "SIP41.9-4-2SR3-1S", null), Java41, rules: []);

        Assert.Equal(["SIP41.9-4-2SR3-1S"], plan.Path);
    }

    [Fact]
    public void Unknown_running_load_is_offered_the_target_directly_and_says_so()
    {
        var plan = LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Unknown, null, "SIP41.9-4-2SR3-1S", null), Java41);

        Assert.Equal((LoadPlanOutcome.Step, "SIP41.9-4-2SR3-1S"), (plan.Outcome, plan.NextHop));
        Assert.Contains("running load unknown", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_running_load_that_does_not_parse_is_treated_as_unknown_and_named()
    {
        var plan = LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Sip, "SIP41.garbled", "SIP41.9-4-2SR3-1S", null), Java41);

        Assert.Equal("SIP41.9-4-2SR3-1S", plan.NextHop);
        Assert.StartsWith("running load not understood ('SIP41.garbled' is not", plan.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7961", "SIP42.9-4-2SR3-1S", "is for 7942/7962, not 7961")]
    [InlineData("7961", "SIP41.9-9-9S", "is not in the firmware folder")]
    [InlineData("7961", "nonsense", "is not a 7940/7960 load")]
    [InlineData("7960", "SIP41.9-4-2SR3-1S", "is for 7941/7961, not 7960")]
    public void A_target_that_cannot_be_offered_is_blocked_with_a_reason(string model, string target, string reason)
    {
        var plan = LoadPlanner.Plan(new LoadPlanRequest(model, LoadProtocol.Sip, null, target, null), Java41);

        Assert.Equal(LoadPlanOutcome.Blocked, plan.Outcome);
        Assert.Null(plan.NextHop);
        Assert.Contains(reason, plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void No_target_keeps_the_running_load_and_an_unknown_model_gets_no_plan()
    {
        var keep = LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Sip, "SIP41.8-5-2S", null, null), Java41);
        var none = LoadPlanner.Plan(new LoadPlanRequest("7912", LoadProtocol.Sip, null, "SIP41.8-5-2S", null), Java41);

        Assert.Equal((LoadPlanOutcome.KeepCurrent, "SIP41.8-5-2S"), (keep.Outcome, keep.NextHop));
        Assert.Equal((LoadPlanOutcome.None, null), (none.Outcome, none.NextHop));
    }
}
