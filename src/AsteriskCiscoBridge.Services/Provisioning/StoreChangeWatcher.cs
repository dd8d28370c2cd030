using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Provisioning;

/// <summary>The <c>Sync</c> configuration section.</summary>
internal sealed class SyncOptions
{
    /// <summary>
    /// How often the running service looks for changes made in its store beside it (<c>acb bind</c>, <c>unbind</c>,
    /// <c>pin</c>, <c>unpin</c>, the dashboard): such a change reaches the served files within about this time plus
    /// one round. One indexed read of the store each time; Asterisk is not asked. Default 00:00:00.5.
    /// </summary>
    public TimeSpan StoreWatchInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long an answer of Asterisk that would withdraw lines from more than half of the bound phones (and from at
    /// least 3), or that lists no endpoints at all after one that did, is held before it is applied: files stay as
    /// they are and no phone is told, until the same answer has come for this long, an admin accepts it
    /// (<c>acb sync --accept-removals</c>), or Asterisk answers as before. 00:00:00 applies every answer at once.
    /// Default 00:10:00.
    /// </summary>
    public TimeSpan RemovalHold { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Reads and checks the section; throws with a one-line reason naming the key.</summary>
    public static SyncOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection("Sync").Get<SyncOptions>() ?? new SyncOptions();
        if (options.StoreWatchInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Sync:StoreWatchInterval '{options.StoreWatchInterval}' must be more than zero (default 00:00:00.5)");
        }

        if (options.RemovalHold < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Sync:RemovalHold '{options.RemovalHold}' must not be negative (default 00:10:00; 00:00:00 applies every answer at once)");
        }

        return options;
    }
}

/// <summary>
/// Notices changes that the CLI verbs and the dashboard make in the store while the service runs, and asks
/// for a provisioning round (<paramref name="requestRound"/>: <see cref="EndpointSyncService.RequestRound"/>), so they are served in a second instead of at the next poll of
/// Asterisk. Every admin change writes its audit row in the transaction of the change, so the newest audit id
/// moving is the signal: one cheap read every <see cref="SyncOptions.StoreWatchInterval"/>, through the service's
/// <see cref="TimeProvider"/>. Rows written by the service's own auto-assignment ask for nothing: it publishes
/// the phone it binds itself (and a round writes no audit row), so rounds cannot feed themselves.
/// </summary>
/// <param name="startMark">The newest audit id the start-up publication covers (null: the first read sets the mark).</param>
internal sealed class StoreChangeWatcher(AuditLog audit, Action<string> requestRound, SyncOptions options, TimeProvider time, ILogger<StoreChangeWatcher> logger, Func<long?>? startMark = null) : BackgroundService
{
    /// <summary>Reads of the audit log done since start (for tests).</summary>
    public int Reads => ReadCount.Value;

    /// <summary><see cref="Reads"/>, to be awaited.</summary>
    public Diagnostics.EventCount ReadCount { get; } = new();

    /// <summary>Rounds asked for since start (for tests).</summary>
    public int Requested => Volatile.Read(ref _requested);

    private int _requested;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // What the store held at start is already published (StorageMigration, which noted the newest audit id
        // before publishing) or is the first snapshot round's to provision: a change made since is a change.
        long? seen = startMark?.Invoke();
        var failing = false;
        try
        {
            while (true)
            {
                try
                {
                    var last = await audit.LastIdAsync(stoppingToken);
                    // A smaller id than before means another database file took the old one's place: all may differ.
                    if (seen is { } before && last != before && (last < before || await audit.AnyAfterAsync(before, PhoneDiscovery.Actor, stoppingToken)))
                    {
                        Log.StoreChanged(logger, before, last);
                        requestRound($"store changed: audit rows after {before}, up to {last}");
                        Interlocked.Increment(ref _requested);
                    }

                    seen = last;
                    failing = false;
                    ReadCount.Increment();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A locked or briefly missing database: said once per outage, read again next time.
                    if (!failing)
                    {
                        Log.AuditReadFailed(logger, e);
                    }

                    failing = true;
                }

                await Task.Delay(options.StoreWatchInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>Registration of <see cref="StoreChangeWatcher"/> in <c>acb run</c>.</summary>
internal static class StoreChangeWatcherSetup
{
    /// <summary>Reads <c>Sync</c> now (a bad value stops the build with one line) and adds the watcher, after the sync service.</summary>
    public static IServiceCollection AddStoreChangeWatcher(this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, Func<long?>>? startMark = null)
    {
        var options = SyncOptions.Read(configuration);
        services.AddSingleton(sp => new StoreChangeWatcher(
            sp.GetRequiredService<AuditLog>(), sp.GetRequiredService<EndpointSyncService>().RequestRound, options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<StoreChangeWatcher>>(), startMark?.Invoke(sp)));
        return services.AddHostedService(sp => sp.GetRequiredService<StoreChangeWatcher>());
    }
}
