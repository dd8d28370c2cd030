using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Provisioning.Tests.Resync;

public sealed class ResyncAnswerTests
{
    private static readonly MacAddress A = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private static readonly ResyncAnswerLimits Limits = new(TimeSpan.FromMinutes(3), NotifyTries: 3, TimeSpan.FromSeconds(10), SendFailureCap: 2);
    private static readonly NotifyOrder CheckSync = new(A, "6001", ResyncKind.CheckSync, ResyncNotify.Variables(ResyncKind.CheckSync, null), TimeSpan.Zero);

    [Fact]
    public void Success_awaits_the_fetch_by_the_fetch_deadline()
    {
        Assert.Equal(
            new ResyncAnswer(ResyncSendOutcome.Accepted, Now.AddMinutes(3), null, "Success", "sent"),
            ResyncAnswerRule.Decide(CheckSync, NotifyReply.Success, "Success", 0, 0, Limits, Now));
    }

    [Fact]
    public void Success_to_a_last_contact_ends_the_row_and_says_where_it_went()
    {
        var answer = ResyncAnswerRule.Decide(CheckSync with { Uri = "sip:6001@10.0.0.9:5060" }, NotifyReply.Success, "NOTIFY sent", 0, 0, Limits, Now);

        Assert.Equal((ResyncSendOutcome.Told, (DateTimeOffset?)null, "sent"), (answer.Outcome, answer.Deadline, answer.LogOutcome));
        Assert.Equal("NOTIFY sent (to its last contact sip:6001@10.0.0.9:5060: endpoint 6001 is gone from Asterisk)", answer.Detail);
        Assert.True(answer.IsSent);
    }

    [Fact]
    public void An_error_is_tried_again_with_a_doubling_wait_and_the_last_try_makes_the_phone_stale()
    {
        var first = ResyncAnswerRule.Decide(CheckSync, NotifyReply.Error, "Endpoint not found", 0, 0, Limits, Now);
        var second = ResyncAnswerRule.Decide(CheckSync, NotifyReply.Error, "Endpoint not found", 1, 0, Limits, Now);
        var last = ResyncAnswerRule.Decide(CheckSync, NotifyReply.Error, "Endpoint not found", 2, 0, Limits, Now);

        Assert.Equal(
            new ResyncAnswer(ResyncSendOutcome.Retry, Now.AddSeconds(10), "Asterisk refused the check-sync NOTIFY: Endpoint not found (try 1 of 3; again at 2026-11-22T08:00:10Z)", "Endpoint not found", "refused"),
            first);
        Assert.Equal(Now.AddSeconds(20), second.Deadline);
        Assert.Equal(
            new ResyncAnswer(ResyncSendOutcome.Refused, null, "Asterisk refused the check-sync NOTIFY 3 times: Endpoint not found", "Endpoint not found", "refused"),
            last);
        Assert.True(last.IsStale);
        Assert.False(first.IsStale);
    }

    [Fact]
    public void A_single_try_refused_says_one_time()
    {
        Assert.Equal(
            "Asterisk refused the service-control NOTIFY 1 time: x",
            ResyncAnswerRule.Decide(CheckSync with { Kind = ResyncKind.Restart }, NotifyReply.Error, "x", 0, 0, Limits with { NotifyTries = 1 }, Now).Reason);
    }

    [Fact]
    public void A_lost_session_queues_the_phone_again_until_the_cap_makes_it_stale()
    {
        Assert.Equal(
            new ResyncAnswer(ResyncSendOutcome.Failed, null, null, "connection reset", "failed"),
            ResyncAnswerRule.Decide(CheckSync, NotifyReply.Lost, "connection reset", 0, 0, Limits, Now));
        Assert.Equal(
            new ResyncAnswer(ResyncSendOutcome.GaveUp, null, "its NOTIFY was lost with the AMI session 2 times (last: connection reset)", "connection reset", "failed"),
            ResyncAnswerRule.Decide(CheckSync, NotifyReply.Lost, "connection reset", 0, 1, Limits, Now));
    }
}
