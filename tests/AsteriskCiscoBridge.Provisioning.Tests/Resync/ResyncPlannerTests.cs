using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Provisioning.Tests.Resync;

public sealed class ResyncPlannerTests
{
    private static readonly MacAddress A = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly MacAddress B = MacAddress.Parse("0011223344BB").Mac!.Value;
    private static readonly MacAddress C = MacAddress.Parse("0011223344CC").Mac!.Value;

    [Fact]
    public void A_7940_gets_check_sync_and_a_7961_a_restart_naming_its_registration()
    {
        var plan = ResyncPlanner.Plan(
            [new ResyncTarget(A, PhoneFamily.Sip79x0, ["6001"]), new ResyncTarget(B, PhoneFamily.Sip79x1, ["6002"])],
            e => [new ResyncContact(e, "call-" + e, "Reachable")],
            TimeSpan.FromSeconds(2));

        Assert.Empty(plan.Waiting);
        Assert.Equal(["Event=check-sync"], plan.Orders[0].Variables);
        Assert.Equal(("6001", "check-sync", TimeSpan.Zero), (plan.Orders[0].Endpoint, plan.Orders[0].Event, plan.Orders[0].Due));
        Assert.Equal(
            ["Event=service-control", "Subscription-State=active", "Content-Type=text/plain", "Content=action=restart", "Content=RegisterCallId={call-6002}",
             "Content=ConfigVersionStamp={00000000-0000-0000-0000-000000000000}", "Content=DialplanVersionStamp={00000000-0000-0000-0000-000000000000}",
             "Content=SoftkeyVersionStamp={00000000-0000-0000-0000-000000000000}", "Content=FeatureControlVersionStamp={00000000-0000-0000-0000-000000000000}"],
            plan.Orders[1].Variables);
        Assert.Equal(TimeSpan.FromSeconds(2), plan.Orders[1].Due);
    }

    [Fact]
    public void A_target_s_body_carries_as_many_version_stamps_as_its_series_takes()
    {
        var plan = ResyncPlanner.Plan(
            [new ResyncTarget(A, PhoneFamily.Sip79x1, ["6001"], ServiceControlStamps.For(PhoneModels.Cisco8841, null))],
            e => [new ResyncContact(e, "call-" + e, "Reachable")],
            TimeSpan.Zero);

        Assert.Equal(
            ["Event=service-control", "Subscription-State=active", "Content-Type=text/plain", "Content=action=restart", "Content=RegisterCallId={call-6001}",
             "Content=ConfigVersionStamp={00000000-0000-0000-0000-000000000000}", "Content=DialplanVersionStamp={00000000-0000-0000-0000-000000000000}",
             "Content=SoftkeyVersionStamp={00000000-0000-0000-0000-000000000000}"],
            plan.Orders[0].Variables);
    }

    // Spec beyond-79xx A5: the usecallmanager patch's four stamps for every series; one report of a CP-8861 on 14.1.1
    // refusing the FeatureControl stamp (400) and taking three. The 7800 shares the 8800's firmware line.
    [Theory]
    [InlineData("8841", 3)]
    [InlineData("8865", 3)]
    [InlineData("7821", 3)]
    [InlineData("7961", 4)]
    [InlineData("8945", 4)]
    [InlineData("9971", 4)]
    [InlineData("8961", 4)]
    [InlineData("6941", 4)]
    [InlineData("79x1", 4)]
    [InlineData(null, 4)]
    public void Each_series_has_a_default_count_of_version_stamps(string? model, int stamps) =>
        Assert.Equal(stamps, ServiceControlStamps.For(PhoneFamilies.Find(model), null));

    [Fact]
    public void A_site_setting_replaces_a_series_count_and_bad_settings_are_named()
    {
        var configured = new Dictionary<string, int> { ["88XX"] = 4, ["79x1"] = 3 };

        Assert.Equal(4, ServiceControlStamps.For(PhoneModels.Cisco8851, configured));
        Assert.Equal(3, ServiceControlStamps.For(PhoneModels.Cisco7965, configured));
        Assert.Equal(3, ServiceControlStamps.For(PhoneModels.Cisco7841, configured));
        Assert.Empty(ServiceControlStamps.Problems(configured));
        Assert.Equal(
            ["Resync:VersionStamps:79x0: not a series that takes service-control (79x1, 78xx, 88xx, 89xx, 99xx, 69xx)", "Resync:VersionStamps:88xx: 5 is not 0–4 (Config, Dialplan, Softkey, FeatureControl, in that order)"],
            ServiceControlStamps.Problems(new Dictionary<string, int> { ["79x0"] = 3, ["88xx"] = 5 }));
    }

    [Fact]
    public void Phones_without_a_live_contact_wait_instead_of_a_notify_that_goes_nowhere()
    {
        var plan = ResyncPlanner.Plan(
            [new ResyncTarget(A, PhoneFamily.Sip79x0, ["6001"]), new ResyncTarget(B, PhoneFamily.Sip79x0, ["6002"]), new ResyncTarget(C, PhoneFamily.Sip79x1, ["6003"])],
            e => e switch
            {
                "6001" => [new ResyncContact(e, "x", "Unreachable")],
                "6002" => [],
                _ => [new ResyncContact(e, null, "Reachable")],
            },
            TimeSpan.FromSeconds(1));

        Assert.Empty(plan.Orders);
        Assert.Equal([A, B, C], plan.Waiting);
    }

    [Fact]
    public void The_first_line_with_a_live_contact_is_used_and_sends_are_staggered_in_mac_order()
    {
        var plan = ResyncPlanner.Plan(
            [new ResyncTarget(B, PhoneFamily.Sip79x0, ["6002", "6003"]), new ResyncTarget(A, PhoneFamily.Sip79x0, ["6001"])],
            e => e == "6002" ? [] : [new ResyncContact(e, "c", "NonQualified")],
            TimeSpan.FromMilliseconds(500));

        Assert.Equal([(A, "6001", TimeSpan.Zero), (B, "6003", TimeSpan.FromMilliseconds(500))], plan.Orders.Select(o => (o.Mac, o.Endpoint, o.Due)));
    }

    [Fact]
    public void An_order_remembers_every_registration_of_the_phones_lines_to_tell_a_new_one_later()
    {
        var plan = ResyncPlanner.Plan(
            [new ResyncTarget(A, PhoneFamily.Sip79x0, ["6001", "6002", "6003"])],
            e => e switch
            {
                "6001" => [new ResyncContact(e, "reg-1", "Reachable", "sip:6001@10.0.0.9:5060", Expires)],
                "6002" => [new ResyncContact(e, "reg-2", "Reachable", "sip:6002@10.0.0.9:5060", Expires), new ResyncContact(e, "reg-1", "Reachable", "sip:6001@10.0.0.9:5060", Expires)],
                _ => [new ResyncContact(e, null, null, "sip:6003@10.0.0.9:5060")],
            },
            TimeSpan.Zero);

        Assert.Equal(
            [new ResyncRegistration("reg-1", "sip:6001@10.0.0.9:5060", Expires), new ResyncRegistration("reg-2", "sip:6002@10.0.0.9:5060", Expires)],
            Assert.Single(plan.Orders).Registrations);
    }

    private static readonly DateTimeOffset Expires = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 10.0)]
    [InlineData(2, 20.0)]
    [InlineData(3, null)]
    [InlineData(4, null)]
    public void A_refused_notify_is_tried_three_times_in_all_with_a_doubling_wait(int refusals, double? seconds) =>
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, ResyncPlanner.RetryAfterRefusal(refusals, tries: 3, TimeSpan.FromSeconds(10)));

    // Reliability catalogue §5.5 case 29: a phone whose endpoints are all gone is told at its last contact.
    [Fact]
    public void A_phone_whose_endpoints_are_gone_is_told_at_its_last_contact_with_its_familys_first_rung()
    {
        var told = ResyncPlanner.ToLastContact(A, null, "6001", "sip:6001@10.0.0.9:5060", null);
        var restart = ResyncPlanner.ToLastContact(B, PhoneFamily.Sip79x1, "6002", "sip:6002@10.0.0.9:5060", "reg-2", versionStamps: 0);

        Assert.Equal((ResyncKind.CheckSync, "6001", "sip:6001@10.0.0.9:5060", TimeSpan.Zero), (told!.Kind, told.Endpoint, told.Uri, told.Due));
        Assert.Equal(["Event=check-sync"], told.Variables);
        Assert.Empty(told.Registrations);
        Assert.Equal(ResyncKind.Restart, restart!.Kind);
        Assert.Contains("Content=RegisterCallId={reg-2}", restart.Variables);
        Assert.Equal([new ResyncRegistration("reg-2", "sip:6002@10.0.0.9:5060")], restart.Registrations);
    }

    [Fact]
    public void A_79x1_last_contact_without_a_call_id_cannot_be_told()
    {
        Assert.Null(ResyncPlanner.ToLastContact(B, PhoneFamily.Sip79x1, "6002", "sip:6002@10.0.0.9:5060", null));
        Assert.Null(ResyncPlanner.ToLastContact(B, PhoneFamily.Sip79x1, "6002", "sip:6002@10.0.0.9:5060", string.Empty));
    }
}
