using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Storage;

/// <summary>
/// The one place connections are made: WAL journal, a busy timeout and foreign keys on every
/// connection. A connection per unit of work; migrations run once, from <see cref="OpenAsync"/>'s
/// first caller (<see cref="MigrateAsync"/>).
/// </summary>
public sealed class SqliteConnectionFactory
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;
    private readonly long? _maxBytes;
    private long _pageSize;

    // SQLite's own default before 3.45 (2^30 - 1 pages: 4 TB at 4 KB a page); the pragma takes a 32-bit value.
    private const string NoPageLimit = " PRAGMA max_page_count=1073741823;";

    public SqliteConnectionFactory(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DatabasePath = Path.GetFullPath(options.Database);
        _busyTimeoutMilliseconds = options.BusyTimeoutMilliseconds;
        _maxBytes = options.MaxSizeMegabytes * 1_000_000L;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = Math.Max(1, _busyTimeoutMilliseconds / 1000),
        }.ToString();
    }

    public string DatabasePath { get; }

    /// <summary>Creates the database folder and file if needed and applies pending migrations.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await Migrator.ApplyAsync(connection, cancellationToken);
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            using var command = connection.CreateCommand();

            // WAL: readers do not block the writer, and a killed process leaves committed
            // transactions in the log, replayed on next open. synchronous=NORMAL keeps every
            // commit across a process crash (an OS crash or power cut may lose the last ones,
            // never consistency): see sqlite.org/pragma.html#pragma_synchronous.
            // A pooled connection keeps its max_page_count: one made for a limited factory must not
            // carry its limit to an unlimited one of the same file (tests, a CLI verb beside the service).
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={_busyTimeoutMilliseconds}; PRAGMA foreign_keys=ON;{(_maxBytes is null ? NoPageLimit : string.Empty)}");
            await command.ExecuteNonQueryAsync(cancellationToken);
            if (_maxBytes is { } max)
            {
                await LimitSizeAsync(command, max, cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Storage:MaxSizeMegabytes: a write that needs a page beyond the limit fails with SQLITE_FULL, the
    /// error of a full disk (sqlite.org/pragma.html#pragma_max_page_count). The limit is per connection,
    /// so every connection gets it; it never goes below the pages the file already has.
    /// </summary>
    private async Task LimitSizeAsync(SqliteCommand command, long maxBytes, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _pageSize) == 0)
        {
            command.CommandText = "PRAGMA page_size;";
            Volatile.Write(ref _pageSize, (long)(await command.ExecuteScalarAsync(cancellationToken))!);
        }

        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA max_page_count={Math.Max(1, maxBytes / _pageSize)};");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>True when <paramref name="exception"/> is SQLite's "database or disk is full" (SQLITE_FULL, 13).</summary>
    public static bool IsFull(Exception exception) => exception is SqliteException { SqliteErrorCode: 13 };
}
