using AsteriskCiscoBridge.Host.Diagnostics;
using AsteriskCiscoBridge.Provisioning.Requests;
using AsteriskCiscoBridge.Services.Diagnostics;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Support;
using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Host.Tests.Diagnostics;

public sealed class StoreDoctorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Fills the store up to its limit, as a full disk would leave it.</summary>
    internal static async Task FillAsync(SqliteConnectionFactory limited, CancellationToken cancellationToken)
    {
        await using var connection = await limited.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE IF NOT EXISTS filler (data BLOB)";
        await command.ExecuteNonQueryAsync(cancellationToken);
        foreach (var size in new[] { 100_000, 4_000, 500 })
        {
            for (var i = 0; i < 1_000; i++)
            {
                command.CommandText = $"INSERT INTO filler VALUES (zeroblob({size}))";
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (SqliteException e) when (SqliteConnectionFactory.IsFull(e))
                {
                    break;
                }
            }
        }
    }

    [Fact]
    public async Task A_writable_store_is_ok_with_its_request_log_against_its_bounds()
    {
        using var folder = new TempDirectory("acb-doctor-store");
        var options = new StorageOptions { Database = Path.Combine(folder.Path, "acb.db"), RequestLogMaxRows = 5_000 };
        var factory = new SqliteConnectionFactory(options);
        await factory.MigrateAsync(Ct);
        var at = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
        await new RequestLog(factory).AppendAsync([.. Enumerable.Range(0, 3).Select(i => new RequestRecord { At = at, Client = "10.0.0.5:1024", FileName = "OS79XX.TXT", Outcome = RequestOutcome.Parse("served: x") })], [], Ct);

        var result = await StoreDoctor.CheckAsync(factory, options, Ct);

        Assert.NotEqual(DoctorStatus.Fail, result.Status);
        Assert.StartsWith($"{factory.DatabasePath} can be written; request log 3 requests (kept 30 days, at most 5,000)", result.Line, StringComparison.Ordinal);
        Assert.Equal(0, await ScalarAsync(factory, "SELECT count(*) FROM sqlite_schema WHERE name = 'doctor_probe'"));
    }

    [Fact]
    public async Task A_full_store_fails_with_one_line_that_says_so_and_how_to_fix_it()
    {
        using var folder = new TempDirectory("acb-doctor-store");
        var options = new StorageOptions { Database = Path.Combine(folder.Path, "acb.db"), MaxSizeMegabytes = 1 };
        var factory = new SqliteConnectionFactory(options);
        await factory.MigrateAsync(Ct);
        await FillAsync(factory, Ct);

        var result = await StoreDoctor.CheckAsync(factory, options, Ct);

        Assert.Equal(DoctorStatus.Fail, result.Status);
        Assert.Equal(
            $"FAIL  store                {factory.DatabasePath} cannot be written: the disk is full or the store reached Storage:MaxSizeMegabytes (1 MB) " +
            $"(fix: free space on the disk that holds it (df -h {folder.Path}) or raise Storage:MaxSizeMegabytes; meanwhile the service serves the files it has and retries the provisioning rounds it could not store)",
            result.Format());
    }

    private static async Task<long> ScalarAsync(SqliteConnectionFactory factory, string sql)
    {
        await using var connection = await factory.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
