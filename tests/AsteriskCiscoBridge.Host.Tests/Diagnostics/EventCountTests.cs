using AsteriskCiscoBridge.Host.Diagnostics;
using AsteriskCiscoBridge.Services.Diagnostics;

namespace AsteriskCiscoBridge.Host.Tests.Diagnostics;

public sealed class EventCountTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReachedAsync_completes_at_once_for_a_value_already_reached()
    {
        var count = new EventCount();
        count.Increment();

        await count.ReachedAsync(1, Ct);

        Assert.True(count.ReachedAsync(0, Ct).IsCompletedSuccessfully);
        Assert.Equal(1, count.Value);
    }

    [Fact]
    public async Task ReachedAsync_waits_for_the_increment_that_reaches_its_target_and_no_earlier()
    {
        var count = new EventCount();
        var two = count.ReachedAsync(2, Ct);

        count.Increment();
        Assert.False(two.IsCompleted);
        count.Increment();

        await two.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(2, count.Value);
    }

    [Fact]
    public async Task Add_of_a_batch_completes_every_target_it_reaches_and_none_beyond()
    {
        var count = new EventCount();
        var two = count.ReachedAsync(2, Ct);
        var three = count.ReachedAsync(3, Ct);
        var four = count.ReachedAsync(4, Ct);

        count.Add(3);

        await Task.WhenAll(two, three).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.False(four.IsCompleted);
        Assert.Equal(3, count.Value);
    }

    [Fact]
    public async Task ReachedAsync_ends_with_its_cancellation()
    {
        var count = new EventCount();
        using var cancel = new CancellationTokenSource();
        var never = count.ReachedAsync(1, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => never);
    }
}
