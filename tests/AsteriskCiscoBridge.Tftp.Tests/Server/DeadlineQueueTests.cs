using AsteriskCiscoBridge.Tftp.Server;

namespace AsteriskCiscoBridge.Tftp.Tests.Server;

public sealed class DeadlineQueueTests
{
    private static TimeSpan S(int seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void TryTakeDue_returns_items_in_deadline_order_once_due()
    {
        var queue = new DeadlineQueue<Item>();
        var late = new Item("late");
        var early = new Item("early");
        queue.Schedule(late, S(5));
        queue.Schedule(early, S(2));

        Assert.False(queue.TryTakeDue(S(1), out _));
        Assert.Equal(S(2), queue.NextDue);
        Assert.True(queue.TryTakeDue(S(5), out var first));
        Assert.True(queue.TryTakeDue(S(5), out var second));
        Assert.False(queue.TryTakeDue(S(5), out _));
        Assert.Equal(["early", "late"], new[] { first.Name, second.Name });
        Assert.Equal(TimeSpan.MaxValue, queue.NextDue);
    }

    [Fact]
    public void A_later_deadline_adds_no_entry_and_is_requeued_when_the_old_one_comes()
    {
        var queue = new DeadlineQueue<Item>();
        var item = new Item("a");
        queue.Schedule(item, S(1));
        for (var i = 2; i <= 100; i++)
        {
            queue.Schedule(item, S(i));
        }

        Assert.Equal(1, queue.Count);
        Assert.False(queue.TryTakeDue(S(1), out _));
        Assert.Equal(S(100), queue.NextDue);
        Assert.True(queue.TryTakeDue(S(100), out var due));
        Assert.Same(item, due);
    }

    [Fact]
    public void An_earlier_deadline_is_queued_and_the_stale_entry_skipped()
    {
        var queue = new DeadlineQueue<Item>();
        var item = new Item("a");
        queue.Schedule(item, S(10));
        queue.Schedule(item, S(3));

        Assert.True(queue.TryTakeDue(S(10), out _));
        Assert.False(queue.TryTakeDue(S(10), out _));
    }

    [Fact]
    public void An_ended_item_is_never_taken()
    {
        var queue = new DeadlineQueue<Item>();
        var item = new Item("a");
        queue.Schedule(item, S(1));
        item.Ended = true;

        Assert.False(queue.TryTakeDue(S(2), out _));
        Assert.Equal(0, queue.Count);
    }

    private sealed class Item(string name) : IHasDeadline
    {
        public string Name => name;

        public TimeSpan Deadline { get; set; } = TimeSpan.MaxValue;

        public TimeSpan QueuedDeadline { get; set; } = TimeSpan.MaxValue;

        public bool Ended { get; set; }
    }
}
