using Microsoft.Data.Sqlite;
using AsteriskCiscoBridge.Provisioning.Requests;

namespace AsteriskCiscoBridge.Storage.Tests;

public sealed class SqliteConnectionFactoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_store_at_its_size_limit_fails_writes_as_a_full_disk_does_and_still_reads()
    {
        await using var db = await TempDatabase.CreateAsync();
        var limited = new SqliteConnectionFactory(new StorageOptions { Database = db.Path, MaxSizeMegabytes = 1 });
        var log = new RequestLog(limited);
        var at = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
        await log.AppendAsync(new RequestRecord { At = at, Client = "10.0.0.5:1024", FileName = "OS79XX.TXT", Outcome = RequestOutcome.Parse("served: x") }, Ct);

        var full = await Assert.ThrowsAsync<SqliteException>(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await log.AppendAsync([.. Enumerable.Range(0, 100).Select(n => new RequestRecord { At = at, Client = "10.0.0.5:1024", FileName = new string('x', 200), Outcome = RequestOutcome.Parse("served: x") })], [], Ct);
            }
        });

        Assert.True(SqliteConnectionFactory.IsFull(full));
        Assert.True(await db.ScalarAsync<long>("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()", Ct) <= 1_000_000);
        Assert.Equal("OS79XX.TXT", (await log.RecentAsync(null, 100_000, Ct))[^1].FileName);
        // Without the limit the same file takes more: the limit is the connection's, not the file's.
        await new RequestLog(db.Factory).AppendAsync([.. Enumerable.Range(0, 100).Select(n => new RequestRecord { At = at, Client = "10.0.0.5:1024", FileName = new string('y', 200), Outcome = RequestOutcome.Parse("served: x") })], [], Ct);
        Assert.False(SqliteConnectionFactory.IsFull(new SqliteException("locked", 5)));
    }
}
