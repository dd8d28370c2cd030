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

    public SqliteConnectionFactory(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DapperTypeHandlers.EnsureRegistered();
        DatabasePath = Path.GetFullPath(options.Database);
        _busyTimeoutMilliseconds = options.BusyTimeoutMilliseconds;
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
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={_busyTimeoutMilliseconds}; PRAGMA foreign_keys=ON;");
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
