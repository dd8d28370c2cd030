using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Provisioning.Tests.Resync;

public sealed class ResyncNotifyTests
{
    private const string Zero = "{00000000-0000-0000-0000-000000000000}";

    [Fact]
    public void Check_sync_is_the_event_alone()
    {
        Assert.Equal(["Event=check-sync"], ResyncNotify.Variables(ResyncKind.CheckSync, "ignored"));
    }

    // Spec §4.4: the 79x1 body names the registration and carries the usecallmanager patch's version stamps.
    [Fact]
    public void Service_control_names_the_registration_and_carries_the_stamps_asked_for()
    {
        Assert.Equal(
            ["Event=service-control", "Subscription-State=active", "Content-Type=text/plain", "Content=action=restart", "Content=RegisterCallId={reg-1@10.0.0.5}",
             $"Content=ConfigVersionStamp={Zero}", $"Content=DialplanVersionStamp={Zero}"],
            ResyncNotify.Variables(ResyncKind.Restart, "reg-1@10.0.0.5", 2));
    }

    [Fact]
    public void Reset_is_the_full_reboot_action()
    {
        Assert.Contains("Content=action=reset", ResyncNotify.Variables(ResyncKind.Reset, "id"));
        Assert.DoesNotContain("Content=action=restart", ResyncNotify.Variables(ResyncKind.Reset, "id"));
    }

    [Fact]
    public void Version_stamps_are_clamped_to_the_four_lines_there_are()
    {
        Assert.Equal(5, ResyncNotify.Variables(ResyncKind.Reset, "x", 0).Count);
        Assert.Equal(5, ResyncNotify.Variables(ResyncKind.Reset, "x", -1).Count);
        Assert.Equal(9, ResyncNotify.Variables(ResyncKind.Reset, "x", 7).Count);
    }

    [Theory]
    [InlineData(ResyncKind.CheckSync, "check-sync", "check-sync", "check-sync")]
    [InlineData(ResyncKind.Restart, "service-control", "restart", "service-control restart")]
    [InlineData(ResyncKind.Reset, "service-control", "reset", "service-control reset")]
    public void Each_rung_has_its_event_package_word_and_description(ResyncKind kind, string package, string word, string described)
    {
        Assert.Equal(package, ResyncNotify.EventPackage(kind));
        Assert.Equal(package, ResyncNotify.Variables(kind, "id")[0]["Event=".Length..]);
        Assert.Equal(word, ResyncNotify.KindName(kind));
        Assert.Equal(kind, ResyncNotify.ParseKind(word));
        Assert.Equal(described, ResyncNotify.Describe(kind));
    }

    [Fact]
    public void A_phone_never_notified_logs_no_event_package_and_unknown_words_name_no_rung()
    {
        Assert.Equal("none", ResyncNotify.EventPackage((ResyncKind?)null));
        Assert.Null(ResyncNotify.ParseKind("service-control"));
        Assert.Null(ResyncNotify.ParseKind("Check-Sync"));
        Assert.Null(ResyncNotify.ParseKind(null));
    }
}
