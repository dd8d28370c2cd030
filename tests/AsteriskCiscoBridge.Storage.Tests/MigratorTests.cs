namespace AsteriskCiscoBridge.Storage.Tests;

public sealed class MigratorTests
{
    [Fact]
    public async Task Migrate_creates_the_file_and_sets_user_version_once()
    {
        await using var db = await TempDatabase.CreateAsync(migrate: false);
        var ct = TestContext.Current.CancellationToken;

        var first = await db.Factory.MigrateAsync(ct);
        var second = await db.Factory.MigrateAsync(ct);

        Assert.True(File.Exists(db.Path));
        Assert.Equal((Migrator.Migrations.Count, 0), (first, second));
        Assert.Equal((long)Migrator.LatestVersion, await db.ScalarAsync<long>("PRAGMA user_version", TestContext.Current.CancellationToken));
        Assert.Equal(7L, await db.ScalarAsync<long>("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('phones','bindings','rendered_files','site_files','request_log','notify_log','audit_log')", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Every_connection_has_wal_busy_timeout_and_foreign_keys()
    {
        await using var db = await TempDatabase.CreateAsync();

        Assert.Equal("wal", await db.ScalarAsync<string>("PRAGMA journal_mode", TestContext.Current.CancellationToken));
        Assert.Equal(5000L, await db.ScalarAsync<long>("PRAGMA busy_timeout", TestContext.Current.CancellationToken));
        Assert.Equal(1L, await db.ScalarAsync<long>("PRAGMA foreign_keys", TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Migrations_are_numbered_from_one_in_increasing_order()
    {
        // Numbers are handed out per piece of work, so a branch may hold 004 before 003 is merged.
        var versions = Migrator.Migrations.Select(m => m.Version).ToArray();
        Assert.Equal(1, versions[0]);
        Assert.Equal(versions.Order().Distinct(), versions);
    }
}
