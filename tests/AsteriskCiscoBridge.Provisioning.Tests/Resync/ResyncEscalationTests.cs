using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Provisioning.Tests.Resync;

public sealed class ResyncEscalationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan CallDeadline = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan FetchDeadline = TimeSpan.FromMinutes(3);
    private static readonly ResyncContact Registered = new("6002", "reg-2", "Reachable");
    private static readonly ResyncContact Static = new("6002", null, null);

    // Spec §4.2: a 7940 busy in a call may miss the first check-sync, so it gets a second.
    [Fact]
    public void A_79x0_gets_check_sync_twice_then_is_stale()
    {
        Assert.Equal(new ResyncEscalation(EscalationAction.Send, ResyncKind.CheckSync, Static), Decide(ResyncKind.CheckSync, 1, [Static]));
        Assert.Equal(new ResyncEscalation(EscalationAction.Stale, Reason: "no fetch after 2 NOTIFYs, the last check-sync"), Decide(ResyncKind.CheckSync, 2, [Static]));
    }

    [Fact]
    public void A_79x1_restart_is_followed_by_a_reset_then_it_is_stale()
    {
        Assert.Equal(new ResyncEscalation(EscalationAction.Send, ResyncKind.Reset, Registered), Decide(ResyncKind.Restart, 1, [Static, Registered]));
        Assert.Equal(new ResyncEscalation(EscalationAction.Stale, Reason: "no fetch after 2 NOTIFYs, the last service-control reset"), Decide(ResyncKind.Reset, 2, [Registered]));
        Assert.Equal(new ResyncEscalation(EscalationAction.Stale, Reason: "no fetch after 1 NOTIFY, the last service-control reset"), Decide(ResyncKind.Reset, 1, [Registered]));
    }

    [Fact]
    public void A_row_without_a_rung_is_taken_as_a_restart()
    {
        Assert.Equal(new ResyncEscalation(EscalationAction.Send, ResyncKind.Reset, Registered), Decide(null, 1, [Registered]));
    }

    [Fact]
    public void Without_a_contact_the_next_rung_can_take_the_phone_is_stale()
    {
        var gone = new ResyncEscalation(EscalationAction.Stale, ResyncKind.Reset, Reason: "no fetch, and its contact is gone");

        Assert.Equal(gone, Decide(ResyncKind.Restart, 1, null));
        Assert.Equal(gone, Decide(ResyncKind.Restart, 1, [Static, Registered with { Status = "Unreachable" }]));
    }

    [Fact]
    public void A_phone_in_a_call_is_not_restarted_until_the_call_deadline_after_the_miss()
    {
        var missed = Now.AddMinutes(-5);

        Assert.Equal(new ResyncEscalation(EscalationAction.Postpone, Until: Now + FetchDeadline), Decide(ResyncKind.Restart, 1, [Registered], missed, "In use"));
        Assert.Equal(new ResyncEscalation(EscalationAction.Postpone, Until: missed + CallDeadline), Decide(ResyncKind.Restart, 1, [Registered], missed, "On Hold", now: missed + CallDeadline - TimeSpan.FromMinutes(1)));
        Assert.Equal(new ResyncEscalation(EscalationAction.Send, ResyncKind.Reset, Registered), Decide(ResyncKind.Restart, 1, [Registered], missed, "In use", now: missed + CallDeadline));
    }

    [Fact]
    public void A_call_does_not_hold_back_a_phone_with_no_rung_left()
    {
        Assert.Equal(EscalationAction.Stale, Decide(ResyncKind.Reset, 2, [Registered], Now, "In use").Action);
    }

    private static ResyncEscalation Decide(ResyncKind? failed, int attempt, IReadOnlyList<ResyncContact>? contacts, DateTimeOffset? missed = null, string? deviceState = null, DateTimeOffset? now = null) =>
        ResyncEscalationRule.Decide(failed, attempt, missed ?? Now, deviceState, contacts, now ?? Now, CallDeadline, FetchDeadline);
}
