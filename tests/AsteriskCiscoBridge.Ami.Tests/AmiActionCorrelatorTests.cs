using AsteriskCiscoBridge.Testing.Ami;

namespace AsteriskCiscoBridge.Ami.Tests;

public sealed class AmiActionCorrelatorTests
{
    private static IReadOnlyList<AmiMessage> Recorded(string scenario, string prefix) =>
        AmiFixtures.ParseMessages(AmiFixtures.Numbered(scenario, prefix, "response"));

    [Fact]
    public async Task A_plain_action_completes_with_its_response()
    {
        var correlator = new AmiActionCorrelator();
        var answer = correlator.Register("misc-actions-07");

        var response = Assert.Single(Recorded("misc-actions", "07-"));
        Assert.Equal(AmiCorrelation.Answer, correlator.Accept(response));

        var result = await answer;
        Assert.Same(response, result.Response);
        Assert.False(result.IsSuccess);
        Assert.Empty(result.Events);
    }

    [Fact]
    public async Task A_list_action_collects_its_events_up_to_the_complete_event()
    {
        var correlator = new AmiActionCorrelator();
        var answer = correlator.Register("pjsip-show-02");
        var messages = Recorded("pjsip-show", "02-");

        foreach (var message in messages.Take(messages.Count - 1))
        {
            Assert.Equal(AmiCorrelation.Answer, correlator.Accept(message));
            Assert.False(answer.IsCompleted);
        }

        correlator.Accept(messages[^1]);
        var result = await answer;
        Assert.Equal("EndpointListComplete", result.Completion!.EventName);
        Assert.Equal(messages.Count - 2, result.Events.Count);
        Assert.All(result.Events, e => Assert.Equal("EndpointList", e.EventName));
    }

    [Fact]
    public void An_answer_nobody_waits_for_is_unknown_and_a_message_without_ActionID_unsolicited()
    {
        var correlator = new AmiActionCorrelator();
        var response = Assert.Single(Recorded("misc-actions", "07-"));
        var unsolicited = new AmiMessage([new AmiField("Event", "FullyBooted"), new AmiField("Privilege", "system,all")]);

        Assert.Equal(AmiCorrelation.UnknownActionId, correlator.Accept(response));
        Assert.Equal(AmiCorrelation.Unsolicited, correlator.Accept(unsolicited));
    }

    [Fact]
    public void A_removed_action_no_longer_takes_answers()
    {
        var correlator = new AmiActionCorrelator();
        var answer = correlator.Register("misc-actions-07");
        correlator.Remove("misc-actions-07");

        Assert.Equal(AmiCorrelation.UnknownActionId, correlator.Accept(Assert.Single(Recorded("misc-actions", "07-"))));
        Assert.False(answer.IsCompleted);
        Assert.Equal(0, correlator.Count);
    }

    [Fact]
    public void An_ActionID_already_in_flight_is_refused()
    {
        var correlator = new AmiActionCorrelator();
        correlator.Register("a-1");

        Assert.Throws<InvalidOperationException>(() => { _ = correlator.Register("a-1"); });
    }

    [Fact]
    public async Task FailAll_fails_every_action_in_flight()
    {
        var correlator = new AmiActionCorrelator();
        var first = correlator.Register("a-1");
        var second = correlator.Register("a-2");

        correlator.FailAll(() => new AmiConnectionLostException("gone"));

        await Assert.ThrowsAsync<AmiConnectionLostException>(() => first);
        await Assert.ThrowsAsync<AmiConnectionLostException>(() => second);
    }
}
