using AsteriskCiscoBridge.Tftp.Server;

namespace AsteriskCiscoBridge.Tftp.Tests.Server;

public sealed class TransferMemoryBudgetTests
{
    [Fact]
    public void Charges_count_against_the_limit_and_publish_in_use_and_peak()
    {
        var counters = new TftpServerCounters();
        var budget = new TransferMemoryBudget(100, counters);

        budget.Charge(60);
        Assert.False(budget.Fits(41));
        Assert.True(budget.Fits(40));
        Assert.True(budget.Fits(0));
        budget.Release(60);
        budget.Charge(30);

        Assert.Equal((30L, 30L, 60L), (budget.InUse, counters.BufferedBytes, counters.BufferedBytesPeak));
    }

    [Fact]
    public void Refusals_are_reported_once_per_interval_with_how_many_came()
    {
        var counters = new TftpServerCounters();
        var budget = new TransferMemoryBudget(0, counters);
        var start = TimeSpan.FromSeconds(10);

        Assert.True(budget.Refused(start, out var first));
        Assert.False(budget.Refused(start + TimeSpan.FromSeconds(1), out _));
        Assert.False(budget.Refused(start + TimeSpan.FromSeconds(2), out _));
        Assert.True(budget.Refused(start + TransferMemoryBudget.ReportInterval, out var later));

        Assert.Equal((1L, 3L, 4L), (first, later, counters.MemoryRefusals));
    }
}
