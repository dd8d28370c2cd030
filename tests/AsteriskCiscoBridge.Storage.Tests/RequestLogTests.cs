using AsteriskCiscoBridge.Provisioning.Requests;
namespace AsteriskCiscoBridge.Storage.Tests;

public sealed class RequestLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 14, 2, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RequestRecord Request(int second) =>
        new() { At = Start.AddSeconds(second), Client = "10.0.0.5:1024", FileName = $"file{second}", Outcome = RequestOutcome.Parse("served: x"), Bytes = 1 };

    private static RefusedCount Count(string address, int minute, long guarded = 0, long malformed = 0, string? file = null, int second = 0) => new()
    {
        Minute = Start.AddMinutes(minute),
        Address = address,
        Guarded = guarded,
        Malformed = malformed,
        FirstAt = Start.AddMinutes(minute).AddSeconds(second),
        LastAt = Start.AddMinutes(minute).AddSeconds(second),
        LastFile = file,
    };

    private static async Task<int> PruneAllAsync(RequestLog log, DateTimeOffset cutoff, long maxRows, int batchSize)
    {
        var batches = 0;
        for (var i = 0; i < 1000 && await log.PruneAsync(cutoff, maxRows, batchSize, Ct) > 0; i++)
        {
            batches++;
        }

        return batches;
    }

    [Fact]
    public async Task Counts_of_one_address_and_minute_add_up_across_writes_into_one_row()
    {
        await using var db = await TempDatabase.CreateAsync();
        var log = new RequestLog(db.Factory);

        await log.AppendAsync([Request(0)], [Count("203.0.113.7", 0, guarded: 4_000, file: "SEP0006D7000001.cnf.xml", second: 10), Count("203.0.113.8", 0, malformed: 1)], Ct);
        await log.AppendAsync([], [Count("203.0.113.7", 0, guarded: 800, malformed: 12, second: 5), Count("203.0.113.7", 1, guarded: 1, second: 61)], Ct);

        var counts = await log.RecentRefusedAsync(10, Ct);
        Assert.Equal(3, counts.Count);
        Assert.Equal(Start.AddMinutes(1), counts[0].Minute);
        var first = Assert.Single(counts, c => c.Address == "203.0.113.7" && c.Minute == Start);
        Assert.Equal((4_800L, 12L, 4_812L), (first.Guarded, first.Malformed, first.Total));
        Assert.Equal((Start.AddSeconds(5), Start.AddSeconds(10)), (first.FirstAt, first.LastAt));
        Assert.Equal("SEP0006D7000001.cnf.xml", first.LastFile);
        Assert.Equal(["203.0.113.7", "203.0.113.8"], (await log.RefusedBetweenAsync(Start, Start.AddMinutes(1), Ct)).Select(c => c.Address));
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM request_log", Ct));
    }

    [Fact]
    public async Task Prune_deletes_requests_older_than_the_cutoff_oldest_first_one_batch_at_a_time()
    {
        await using var db = await TempDatabase.CreateAsync();
        var log = new RequestLog(db.Factory);
        await log.AppendAsync([.. Enumerable.Range(0, 10).Select(Request)], [], Ct);

        var first = await log.PruneAsync(Start.AddSeconds(7), 1_000, 3, Ct);
        var batches = await PruneAllAsync(log, Start.AddSeconds(7), 1_000, 3);

        Assert.Equal(3, first);
        Assert.Equal(2, batches);
        Assert.Equal(["file9", "file8", "file7"], (await log.RecentAsync(null, 100, Ct)).Select(r => r.FileName));
        Assert.Equal(3, await log.CountAsync(Ct));
    }

    [Fact]
    public async Task Prune_keeps_the_newest_max_rows_requests()
    {
        await using var db = await TempDatabase.CreateAsync();
        var log = new RequestLog(db.Factory);
        await log.AppendAsync([.. Enumerable.Range(0, 10).Select(Request)], [], Ct);

        await PruneAllAsync(log, Start.AddDays(-1), 4, 3);

        Assert.Equal(["file9", "file8", "file7", "file6"], (await log.RecentAsync(null, 100, Ct)).Select(r => r.FileName));
        Assert.Equal(4, await log.CountAsync(Ct));
    }

    [Fact]
    public async Task Prune_stops_at_the_first_recent_request_even_when_an_older_one_follows_it()
    {
        // Requests are logged as they end: a long transfer's row may come after a newer refusal's.
        await using var db = await TempDatabase.CreateAsync();
        var log = new RequestLog(db.Factory);
        await log.AppendAsync([Request(0), Request(9), Request(1), Request(10)], [], Ct);

        await PruneAllAsync(log, Start.AddSeconds(5), 1_000, 100);

        Assert.Equal(["file10", "file1", "file9"], (await log.RecentAsync(null, 100, Ct)).Select(r => r.FileName));
        Assert.Equal(3, await log.CountAsync(Ct));
    }

    [Fact]
    public async Task Prune_deletes_refused_counts_by_age_and_beyond_max_rows()
    {
        await using var db = await TempDatabase.CreateAsync();
        var log = new RequestLog(db.Factory);
        await log.AppendAsync([], [.. Enumerable.Range(0, 6).SelectMany(m => new[] { Count("10.0.0.1", m, guarded: 1), Count("10.0.0.2", m, guarded: 1) })], Ct);

        await PruneAllAsync(log, Start.AddMinutes(2), 1_000, 5);
        var byAge = await log.RecentRefusedAsync(100, Ct);
        await PruneAllAsync(log, Start.AddMinutes(2), 3, 2);
        var byCount = await log.RecentRefusedAsync(100, Ct);

        Assert.Equal(8, byAge.Count);
        Assert.All(byAge, c => Assert.True(c.Minute >= Start.AddMinutes(2)));
        Assert.Equal([(5, "10.0.0.1"), (5, "10.0.0.2"), (4, "10.0.0.2")], byCount.Select(c => ((int)(c.Minute - Start).TotalMinutes, c.Address)));
    }

    [Fact]
    public async Task Prune_of_an_empty_log_deletes_nothing()
    {
        await using var db = await TempDatabase.CreateAsync();

        Assert.Equal(0, await new RequestLog(db.Factory).PruneAsync(Start, 1_000, 10, Ct));
        Assert.Equal(0, await new RequestLog(db.Factory).CountAsync(Ct));
    }
}
