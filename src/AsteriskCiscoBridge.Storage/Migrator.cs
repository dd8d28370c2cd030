using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Storage;

/// <summary>
/// Applies the numbered SQL files embedded as <c>Migrations/NNN_name.sql</c> whose number is above
/// <c>PRAGMA user_version</c>, each in its own transaction together with the new user_version.
/// A migration is never edited once merged; a change is a new file.
/// </summary>
internal static class Migrator
{
    public static IReadOnlyList<(int Version, string Name)> Migrations { get; } = typeof(Migrator).Assembly
        .GetManifestResourceNames()
        .Where(n => n.StartsWith("Migrations/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
        .Select(n => (Version: int.Parse(n["Migrations/".Length..].Split('_')[0], CultureInfo.InvariantCulture), Name: n))
        .OrderBy(m => m.Version)
        .ToArray();

    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>Returns the number of migrations applied.</summary>
    public static async Task<int> ApplyAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var applied = 0;
        foreach (var (version, name) in Migrations)
        {
            // BEGIN IMMEDIATE: take the write lock first (Microsoft.Data.Sqlite runs synchronously anyway).
            await using var transaction = connection.BeginTransaction(deferred: false);

            // Read the version inside the write transaction: two processes starting at once
            // cannot both apply the same migration.
            if (await UserVersionAsync(connection, transaction, cancellationToken) >= version)
            {
                continue;
            }

            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Read(name) + string.Create(CultureInfo.InvariantCulture, $"\nPRAGMA user_version = {version};");
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            applied++;
        }

        return applied;
    }

    public static async Task<long> UserVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string Read(string name)
    {
        using var stream = typeof(Migrator).Assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
