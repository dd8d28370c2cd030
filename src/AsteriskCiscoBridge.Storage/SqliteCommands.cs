using AsteriskCiscoBridge.Provisioning.Model;
using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Storage;

/// <summary>
/// Commands and rows by hand over Microsoft.Data.Sqlite: parameters by name in the text's own spelling
/// (<c>@mac</c>), values written as <see cref="StoredText"/> says, rows read by position in the order of
/// the query's column list (each store keeps the list beside the function that reads it). No reflection,
/// so the store runs the same trimmed and compiled ahead of time.
/// </summary>
internal static class SqliteCommands
{
    /// <summary>A command over <paramref name="connection"/> with its parameters.</summary>
    public static SqliteCommand Command(this SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.With(name, value);
        }

        return command;
    }

    /// <summary>A command in <paramref name="transaction"/> with its parameters.</summary>
    public static SqliteCommand Command(this SqliteTransaction transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = transaction.Connection!.Command(sql, parameters);
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Sets a parameter, adding it the first time: a command run once per row of a loop is prepared once.</summary>
    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        var index = command.Parameters.IndexOf(name);
        if (index < 0)
        {
            command.Parameters.AddWithValue(name, StoredText.Parameter(value));
        }
        else
        {
            command.Parameters[index].Value = StoredText.Parameter(value);
        }

        return command;
    }

    /// <summary>The first column of the first row, or default when there is no row or it holds NULL.</summary>
    public static async Task<T?> ScalarAsync<T>(this SqliteCommand command, CancellationToken cancellationToken) =>
        await command.ExecuteScalarAsync(cancellationToken) switch
        {
            null or DBNull => default,
            T value => value,
            var other => throw new InvalidCastException($"the query's first column is {other.GetType().Name}, not {typeof(T).Name}"),
        };

    /// <summary>Every row, read by <paramref name="read"/>.</summary>
    public static async Task<List<T>> ListAsync<T>(this SqliteCommand command, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The one row, or null when there is none; more than one is a bug in the query.</summary>
    public static async Task<T?> SingleOrDefaultAsync<T>(this SqliteCommand command, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? await OnlyAsync(reader, read, cancellationToken) : null;
    }

    /// <summary>The one row; none or more than one is a bug in the query.</summary>
    public static async Task<T> SingleAsync<T>(this SqliteCommand command, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? await OnlyAsync(reader, read, cancellationToken)
            : throw new InvalidOperationException("the query returned no row");
    }

    private static async Task<T> OnlyAsync<T>(SqliteDataReader reader, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        var row = read(reader);
        return await reader.ReadAsync(cancellationToken) ? throw new InvalidOperationException("the query returned more than one row") : row;
    }

    public static string? GetStringOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetInt64OrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static byte[] GetBlob(this SqliteDataReader reader, int ordinal) => (byte[])reader.GetValue(ordinal);

    public static DateTimeOffset GetTimestamp(this SqliteDataReader reader, int ordinal) => StoredText.ParseTimestamp(reader.GetString(ordinal));

    public static DateTimeOffset? GetTimestampOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : StoredText.ParseTimestamp(reader.GetString(ordinal));

    public static MacAddress GetMac(this SqliteDataReader reader, int ordinal) => StoredText.ParseMac(reader.GetString(ordinal));

    public static MacAddress? GetMacOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : StoredText.ParseMac(reader.GetString(ordinal));
}
