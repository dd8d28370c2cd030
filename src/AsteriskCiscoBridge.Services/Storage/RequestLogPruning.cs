using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Storage;

/// <summary>
/// Keeps the request log within <c>Storage:RequestLogRetention</c> and <c>Storage:RequestLogMaxRows</c>:
/// soon after start (<see cref="FirstRunAfter"/>), then every <see cref="Interval"/>, deletes the
/// oldest requests and refused-request counts beyond either bound, <see cref="BatchSize"/> rows per
/// transaction, so the write lock is never held for long and the recorder and provisioning rounds
/// write in between. Counts the log for <c>/metrics</c> at start and after each run.
/// </summary>
internal sealed class RequestLogPruning(RequestLog log, StorageOptions options, StoreHealth health, TimeProvider time, ILogger<RequestLogPruning> logger) : BackgroundService
{
    public static readonly TimeSpan FirstRunAfter = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    public const int BatchSize = 5_000;

    /// <summary>Runs done since start (whether or not they deleted anything).</summary>
    public int Runs => RunCount.Value;

    /// <summary><see cref="Runs"/>, to be awaited.</summary>
    public Diagnostics.EventCount RunCount { get; } = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await CountAsync(stoppingToken);
            await Task.Delay(FirstRunAfter, time, stoppingToken);
            while (true)
            {
                await PruneAsync(stoppingToken);
                RunCount.Increment();
                await Task.Delay(Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One run: batches until nothing is left beyond the bounds. Returns the rows deleted.</summary>
    internal async Task<long> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.RequestLogRetention;
        long deleted = 0;
        try
        {
            int batch;
            do
            {
                batch = await log.PruneAsync(cutoff, options.RequestLogMaxRows, BatchSize, cancellationToken);
                deleted += batch;

                // Let a waiting writer have the lock before the next batch.
                await Task.Yield();
            }
            while (batch > 0);

            if (deleted > 0)
            {
                Log.RequestLogPruned(logger, deleted, options.RequestLogRetention, options.RequestLogMaxRows);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Deleting needs a little room too (the WAL); the next run tries again.
            health.WriteFailed(e);
            Log.RequestLogPruneFailed(logger, deleted, e);
        }

        await CountAsync(cancellationToken);
        return deleted;
    }

    private async Task CountAsync(CancellationToken cancellationToken)
    {
        try
        {
            health.RequestLogCounted(await log.CountAsync(cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.RequestLogPruneFailed(logger, 0, e);
        }
    }
}
