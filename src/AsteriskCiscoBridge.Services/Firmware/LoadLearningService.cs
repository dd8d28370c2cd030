using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Firmware;

/// <summary>
/// Learns each phone's running load from its requests (TFTP or HTTP) (a phone that was served every file of a load
/// runs it from its next boot) and, when the load changed, re-plans and re-renders the phone so that its
/// next boot is offered the next hop: one hop per boot (spec §3.5). The changed file is what the resync
/// round picks up; no NOTIFY is sent from here. Fed by <see cref="Files.RequestRecorder"/>, one request at a time.
/// </summary>
internal sealed class LoadLearningService(StoredPhoneRenderer renderer, StoredFileTree tree, TimeProvider time, ILogger<LoadLearningService> logger)
{
    private readonly LoadFetchTracker _tracker = new();

    /// <summary>Running loads learned from TFTP since start, each counted once the phone's files were rendered again (for tests and the log).</summary>
    public int Learned => LearnedCount.Value;

    /// <summary><see cref="Learned"/>, to be awaited.</summary>
    public Diagnostics.EventCount LearnedCount { get; } = new();

    public async Task ObserveAsync(Files.FileRequest request, MacAddress? mac, CancellationToken cancellationToken)
    {
        if (renderer.Loads is not { } loads)
        {
            return;
        }

        try
        {
            var served = request.Served;
            if (served && request.FileName.EndsWith(".loads", StringComparison.OrdinalIgnoreCase))
            {
                // The catalog may have grown since the last round (acb firmware import while running).
                await loads.RefreshAsync(cancellationToken);
            }

            var seen = _tracker.Observe(request.Client.Address.ToString(), mac, request.FileName, served, loads.Current.Catalog);
            if (seen is null)
            {
                return;
            }

            var now = time.GetUtcNow();
            if (!await loads.Store.SetRunningLoadAsync(seen.Mac, seen.Load, seen.Source, now, cancellationToken))
            {
                return;
            }

            var render = await renderer.RerenderAsync(seen.Mac, cancellationToken);
            if (render.Result is null)
            {
                Log.NotRerendered(logger, seen.Mac.Value, seen.Load, render.Error ?? "no files");
                LearnedCount.Increment();
                return;
            }

            var saved = await renderer.SaveAsync(seen.Mac, render, now, cancellationToken);
            if (saved.Outcome == SaveOutcome.Updated)
            {
                await tree.ReloadAsync(cancellationToken);
            }

            LearnedCount.Increment();
            var plan = render.Plan;
            Log.LoadLearned(logger, seen.Mac.Value, seen.Load, seen.Source, plan?.NextHop ?? "none", plan?.Reason ?? "no load planning");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Learning is a side line of the request log: a failure must not stop the recording.
            Log.LoadLearningFailed(logger, request.FileName, e);
        }
    }
}
