using System.Globalization;
using AsteriskCiscoBridge.Storage;
using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Services.Diagnostics;

/// <summary>
/// <c>acb doctor</c>'s store line: whether the store can be written (a small write is committed and
/// undone, as a provisioning round commits: a full disk or <c>Storage:MaxSizeMegabytes</c> fails it the
/// way it fails the service's writes), how much room its disk has left, and the request log's size
/// against its bounds.
/// </summary>
internal static class StoreDoctor
{
    public const string Check = "store";

    /// <summary>Below this much free room on the store's disk, the line warns.</summary>
    public const long LowFreeBytes = 64L << 20;

    public static async Task<DoctorResult> CheckAsync(SqliteConnectionFactory factory, StorageOptions options, CancellationToken cancellationToken)
    {
        var path = factory.DatabasePath;
        try
        {
            await ProbeAsync(factory, cancellationToken);
        }
        catch (SqliteException e)
        {
            return CannotWrite(path, options, e);
        }

        var rows = await new RequestLog(factory).CountAsync(cancellationToken);
        var free = FreeBytes(path);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{path} can be written; request log {rows:N0} requests (kept {options.RequestLogRetention.TotalDays:0.#} days, at most {options.RequestLogMaxRows:N0})");
        return free is { } room && room < LowFreeBytes
            ? DoctorResult.Warn(Check, string.Create(CultureInfo.InvariantCulture, $"{line}; only {room >> 20} MB free on its disk"), "free space on that disk: once full, the service serves the files it has but can store no new ones")
            : DoctorResult.Ok(Check, free is { } left ? string.Create(CultureInfo.InvariantCulture, $"{line}; {left >> 20:N0} MB free on its disk") : line);
    }

    /// <summary>The store line when it could not even be opened (a migration that found no room, say).</summary>
    public static DoctorResult CannotWrite(string path, StorageOptions options, SqliteException exception) =>
        SqliteConnectionFactory.IsFull(exception)
            ? DoctorResult.Fail(
                Check,
                $"{path} cannot be written: the disk is full{(options.MaxSizeMegabytes is { } limit ? string.Create(CultureInfo.InvariantCulture, $" or the store reached Storage:MaxSizeMegabytes ({limit} MB)") : string.Empty)}",
                $"free space on the disk that holds it (df -h {Path.GetDirectoryName(path)}){(options.MaxSizeMegabytes is null ? string.Empty : " or raise Storage:MaxSizeMegabytes")}; meanwhile the service serves the files it has and retries the provisioning rounds it could not store")
            : DoctorResult.Fail(Check, $"{path} cannot be written: {exception.Message}", "check the file's owner and permissions, and that no other program holds it locked");

    // Created, filled and dropped in one committed transaction: needs fresh pages (the first thing a full
    // store refuses) and leaves nothing behind.
    private static async Task ProbeAsync(SqliteConnectionFactory factory, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "CREATE TABLE doctor_probe (data BLOB); INSERT INTO doctor_probe VALUES (zeroblob(65536)); DROP TABLE doctor_probe;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static long? FreeBytes(string path)
    {
        try
        {
            return new DriveInfo(Path.GetDirectoryName(path)!).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
