using AsteriskCiscoBridge.Provisioning.Requests;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace AsteriskCiscoBridge.Host.Tests.Storage;

public sealed class RequestLogPruningTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Soon_after_start_and_then_hourly_the_log_loses_what_is_too_old_or_beyond_its_row_limit()
    {
        using var folder = new TempDirectory("acb-prune");
        var time = new CountingTimeProvider();
        var now = time.GetUtcNow();
        var options = new StorageOptions { Database = Path.Combine(folder.Path, "acb.db"), RequestLogRetention = TimeSpan.FromDays(30), RequestLogMaxRows = 12_000 };
        var factory = new SqliteConnectionFactory(options);
        await factory.MigrateAsync(Ct);
        var log = new RequestLog(factory);
        RequestRecord Request(DateTimeOffset at, int i) => new() { At = at, Client = "10.0.0.5:1024", FileName = $"f{i}", Outcome = RequestOutcome.Parse("served: x") };
        // 6,000 requests of 40 days ago (more than one batch), then 5,000 of today.
        await log.AppendAsync([.. Enumerable.Range(0, 6_000).Select(i => Request(now.AddDays(-40), i))], [new RefusedCount { Minute = now.AddDays(-40), Address = "203.0.113.7", Busy = 1, FirstAt = now.AddDays(-40), LastAt = now.AddDays(-40) }], Ct);
        await log.AppendAsync([.. Enumerable.Range(6_000, 5_000).Select(i => Request(now, i))], [new RefusedCount { Minute = now, Address = "203.0.113.7", Busy = 1, FirstAt = now, LastAt = now }], Ct);
        var health = new StoreHealth();
        using var pruning = new RequestLogPruning(log, options, health, time, NullLogger<RequestLogPruning>.Instance);

        await pruning.StartAsync(Ct);
        await Eventually.TrueAsync(() => health.RequestLogRows == 11_000 && time.PendingTimers > 0, "the log counted at start", Ct);
        Assert.Equal(0, pruning.Runs);
        time.Advance(RequestLogPruning.FirstRunAfter);
        await pruning.RunCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the first run", Ct);
        var afterFirst = await log.RecentAsync(null, 20_000, Ct);
        var counts = await log.RecentRefusedAsync(10, Ct);

        // Today's requests grow past the row limit; the next run is an hour later.
        await log.AppendAsync([.. Enumerable.Range(11_000, 9_000).Select(i => Request(now.AddMinutes(30), i))], [], Ct);
        time.Advance(RequestLogPruning.Interval - TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => time.PendingTimers > 0, "waiting for the next run", Ct);
        Assert.Equal(14_000, await log.CountAsync(Ct));
        time.Advance(TimeSpan.FromSeconds(1));
        await pruning.RunCount.ReachedAsync(2, Ct).WithinAsync(Bound, "the second run", Ct);
        await pruning.StopAsync(Ct);

        Assert.Equal(5_000, afterFirst.Count);
        Assert.All(afterFirst, r => Assert.Equal(now, r.At));
        Assert.Equal(now, Assert.Single(counts).Minute);
        Assert.Equal(12_000, await log.CountAsync(Ct));
        Assert.Equal(12_000L, health.RequestLogRows);
        Assert.Equal("f8000", (await log.RecentAsync(null, 20_000, Ct))[^1].FileName);
    }
}
