using System.ComponentModel.DataAnnotations;

namespace AsteriskCiscoBridge.Storage;

/// <summary>The <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    /// <summary>
    /// Path of the SQLite database file (<c>Storage:Database</c>, env <c>ACB_Storage__Database</c>).
    /// Default: <c>data/acb.db</c> under the current directory.
    /// </summary>
    public string Database { get; init; } = Path.Combine("data", "acb.db");

    /// <summary>How long a writer waits for another writer's lock, in milliseconds (SQLite <c>busy_timeout</c>).</summary>
    [Range(0, int.MaxValue, ErrorMessage = "must be 0 or more")]
    public int BusyTimeoutMilliseconds { get; init; } = 5000;
}
