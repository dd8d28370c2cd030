using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Provisioning.Tests.Resync;

public sealed class RegistrationCallIdsTests
{
    private static readonly DateTimeOffset Booted = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly PhoneBoot Boot = new("10.0.0.21", Booted);

    private static AuthenticatedRequest Request(string callId, int secondsAfterBoot, string host = "10.0.0.21", string endpoint = "6301") =>
        new(endpoint, callId, host, Booted.AddSeconds(secondsAfterBoot));

    [Fact]
    public void The_first_request_a_phone_authenticates_on_a_line_after_its_boot_is_its_registration()
    {
        var learned = RegistrationCallIds.Learn(Boot, [Request("new@10.0.0.21", 4)], "old@10.0.0.21");

        Assert.Equal(new LearnedRegistration("6301", "new@10.0.0.21", "old@10.0.0.21", Booted.AddSeconds(4)), learned);
    }

    [Fact]
    public void Later_requests_are_calls_and_earlier_ones_belong_to_the_life_before_the_boot_whatever_order_they_come_in()
    {
        AuthenticatedRequest[] seen = [Request("invite-2@10.0.0.21", 300), Request("register@10.0.0.21", 6), Request("invite-before@10.0.0.21", -40)];

        Assert.Equal("register@10.0.0.21", RegistrationCallIds.Learn(Boot, seen, "old@10.0.0.21")!.CallId);
    }

    [Fact]
    public void A_request_from_another_address_teaches_nothing_and_nothing_is_learned_before_a_boot_is_seen()
    {
        Assert.Null(RegistrationCallIds.Learn(Boot, [Request("x@10.0.0.99", 4, host: "10.0.0.99")], "old@10.0.0.21"));
        Assert.Null(RegistrationCallIds.Learn(Boot, [], "old@10.0.0.21"));
        Assert.Null(RegistrationCallIds.Learn(null, [Request("x@10.0.0.21", 4)], "old@10.0.0.21"));
    }

    [Fact]
    public void The_address_is_compared_without_regard_to_case()
    {
        var boot = new PhoneBoot("2001:DB8::21", Booted);

        Assert.NotNull(RegistrationCallIds.Learn(boot, [Request("x@h", 1, host: "2001:db8::21")], null));
    }

    [Fact]
    public void The_learned_Call_ID_is_named_while_Asterisk_still_lists_the_one_it_replaced()
    {
        var learned = new LearnedRegistration("6301", "new@h", "old@h", Booted);

        Assert.Equal("new@h", RegistrationCallIds.Current("old@h", learned));
    }

    [Fact]
    public void A_contact_Asterisk_created_since_is_newer_than_what_was_learned()
    {
        var learned = new LearnedRegistration("6301", "new@h", "old@h", Booted);

        Assert.Equal("newest@h", RegistrationCallIds.Current("newest@h", learned));
        Assert.Null(RegistrationCallIds.Current(null, learned));
    }

    [Fact]
    public void A_registration_that_created_its_contact_supersedes_nothing()
    {
        var learned = RegistrationCallIds.Learn(Boot, [Request("new@h", 2)], "new@h");

        Assert.Null(learned!.Supersedes);
        Assert.Equal("later@h", RegistrationCallIds.Current("later@h", learned));
        Assert.Equal("old@h", RegistrationCallIds.Current("old@h", null));
    }
}
