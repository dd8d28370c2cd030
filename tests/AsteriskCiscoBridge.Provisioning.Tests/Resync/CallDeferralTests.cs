using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Provisioning.Tests.Resync;

public sealed class CallDeferralTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan HalfHour = TimeSpan.FromMinutes(30);

    [Fact]
    public void A_phone_first_seen_in_a_call_waits_one_deadline_from_now()
    {
        Assert.Equal(Now + HalfHour, CallDeferral.Until(null, Now, HalfHour));
    }

    [Fact]
    public void The_deadline_counts_from_the_first_sighting_and_once_it_passes_the_notify_goes_out()
    {
        Assert.Equal(Now + HalfHour, CallDeferral.Until(Now, Now.AddMinutes(29), HalfHour));
        Assert.Null(CallDeferral.Until(Now, Now + HalfHour, HalfHour));
        Assert.Null(CallDeferral.Until(Now, Now.AddHours(2), HalfHour));
    }

    [Fact]
    public void A_zero_deadline_never_holds_a_notify_back()
    {
        Assert.Null(CallDeferral.Until(null, Now, TimeSpan.Zero));
        Assert.Null(CallDeferral.Postpone(Now, Now, TimeSpan.Zero, TimeSpan.FromMinutes(3)));
    }

    [Fact]
    public void A_stronger_rung_is_looked_at_again_within_a_fetch_deadline_and_never_past_the_call_deadline()
    {
        var fetch = TimeSpan.FromMinutes(3);

        Assert.Equal(Now.AddMinutes(4), CallDeferral.Postpone(Now, Now.AddMinutes(1), HalfHour, fetch));
        Assert.Equal(Now + HalfHour, CallDeferral.Postpone(Now, Now.AddMinutes(28), HalfHour, fetch));
        Assert.Null(CallDeferral.Postpone(Now, Now + HalfHour, HalfHour, fetch));
    }
}
