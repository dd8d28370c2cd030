using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Provisioning.Tests.Resync;

public sealed class ResyncStateTests
{
    // The words resync_queue.state holds (migrations 003 and 009) and acb phones --json shows: they never change.
    [Theory]
    [InlineData(ResyncState.Pending, "pending")]
    [InlineData(ResyncState.WaitingContact, "waiting-contact")]
    [InlineData(ResyncState.Deferred, "deferred")]
    [InlineData(ResyncState.Sending, "sending")]
    [InlineData(ResyncState.AwaitingFetch, "awaiting-fetch")]
    [InlineData(ResyncState.AwaitingRegistration, "awaiting-registration")]
    [InlineData(ResyncState.Retry, "retry")]
    [InlineData(ResyncState.Stale, "stale")]
    public void Each_state_reads_and_writes_its_stored_word(ResyncState state, string word)
    {
        Assert.Equal(word, ResyncStateNames.Name(state));
        Assert.Equal(state, ResyncStateNames.Parse(word));
    }

    [Fact]
    public void Every_state_has_a_word_and_unknown_words_name_none()
    {
        Assert.Equal(Enum.GetValues<ResyncState>().Length, Enum.GetValues<ResyncState>().Select(ResyncStateNames.Name).Distinct().Count());
        Assert.Null(ResyncStateNames.Parse("AwaitingFetch"));
        Assert.Null(ResyncStateNames.Parse(""));
        Assert.Null(ResyncStateNames.Parse(null));
    }

    [Fact]
    public void A_notify_has_gone_out_from_sending_awaiting_fetch_and_stale_only()
    {
        Assert.Equal(
            [ResyncState.Sending, ResyncState.AwaitingFetch, ResyncState.Stale],
            Enum.GetValues<ResyncState>().Where(ResyncStateNames.WasSent));
    }
}
