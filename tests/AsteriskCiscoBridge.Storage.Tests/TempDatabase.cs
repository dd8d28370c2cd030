using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Storage.Tests;

/// <summary>A real SQLite file in its own temp folder, migrated; deleted on dispose.</summary>
internal sealed class TempDatabase : IAsyncDisposable
{
    private TempDatabase(string folder, SqliteConnectionFactory factory)
    {
        Folder = folder;
        Factory = factory;
    }

    public string Folder { get; }

    public SqliteConnectionFactory Factory { get; }

    public string Path => Factory.DatabasePath;

    public static async Task<TempDatabase> CreateAsync(bool migrate = true)
    {
        var folder = Directory.CreateTempSubdirectory("acb-storage-").FullName;
        var factory = new SqliteConnectionFactory(new StorageOptions { Database = System.IO.Path.Combine(folder, "sub", "acb.db") });
        if (migrate)
        {
            await factory.MigrateAsync(TestContext.Current.CancellationToken);
        }

        return new TempDatabase(folder, factory);
    }

    public async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await Factory.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
