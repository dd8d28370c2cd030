using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;

namespace AsteriskCiscoBridge.Storage;

/// <summary>The <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    /// <summary>
    /// Path of the SQLite database file (<c>Storage:Database</c>, env <c>ACB_Storage__Database</c>).
    /// Default: <c>data/acb.db</c> under the current directory.
    /// </summary>
    public string Database { get; set; } = Path.Combine("data", "acb.db");

    /// <summary>How long a writer waits for another writer's lock, in milliseconds (SQLite <c>busy_timeout</c>).</summary>
    [Range(0, int.MaxValue, ErrorMessage = "must be 0 or more")]
    public int BusyTimeoutMilliseconds { get; set; } = 5000;

    /// <summary>
    /// How long the request log keeps a request (<c>Storage:RequestLogRetention</c>); older ones are
    /// deleted in the background, hourly. Default: 30 days.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00", ErrorMessage = "must be between {1} and {2}")]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "TimeSpan's converter is TypeDescriptor's built-in TimeSpanConverter, which trimming keeps (the warning is about generic converters); [OptionsValidator] validates with its own generated TimeSpan-aware copy.")]
    public TimeSpan RequestLogRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// The most requests the request log keeps (<c>Storage:RequestLogMaxRows</c>), and the most
    /// per-minute counts of refused requests; the oldest beyond it are deleted in the background,
    /// hourly. Default: 1,000,000 (about 150 MB).
    /// </summary>
    [Range(1000d, 1_000_000_000d, ErrorMessage = "must be between {1} and {2}")]
    public long RequestLogMaxRows { get; set; } = 1_000_000;

    /// <summary>
    /// The most the database file may grow to, in megabytes (<c>Storage:MaxSizeMegabytes</c>): past it
    /// writes fail as on a full disk (SQLite's <c>max_page_count</c>), while the service keeps serving the
    /// files it has, <c>acb doctor</c> and <c>/metrics</c> say so and provisioning rounds are retried.
    /// Default: none (the disk is the limit).
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be 1 or more")]
    public int? MaxSizeMegabytes { get; set; }
}
