using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Host.Asterisk;
using AsteriskCiscoBridge.Host.Resync;
using AsteriskCiscoBridge.Host.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host.Provisioning;

/// <summary>
/// The service's link to Asterisk (the store is already published by <see cref="Storage.StorageMigration"/>,
/// so phones are served while Asterisk is away): keeps an AMI endpoint source running (full snapshot at start,
/// after every reconnect, on PJSIP reloads and on a poll) and provisions from every complete
/// snapshot. Without AMI settings it says so and serves what it has.
/// </summary>
internal sealed partial class EndpointSyncService(
    AmiOptions? ami,
    string? amiProblem,
    PjsipEndpointSourceOptions sourceOptions,
    EndpointProvisioner provisioner,
    ResyncService resync,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<EndpointSyncService>();

    /// <summary>The last round, for tests and the dashboard.</summary>
    public ProvisioningRound? LastRound { get; private set; }

    /// <summary>Rounds done since start.</summary>
    public int Rounds { get; private set; }

    /// <summary>When the last complete snapshot was taken, for /metrics and the dashboard.</summary>
    public DateTimeOffset? LastSnapshotAt { get; private set; }

    /// <summary>True while the AMI session is up.</summary>
    public bool AmiConnected => _client?.IsConnected == true;

    private AmiClient? _client;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (ami is null)
        {
            NoAmi(_logger, amiProblem ?? "no Ami section");
            return;
        }

        await using var client = new AmiClient(new AmiClientOptions { Connection = ami.ToConnectionOptions(longLived: true) }, time, loggers.CreateLogger<AmiClient>());
        await using var source = new PjsipEndpointSource(client, sourceOptions, time, loggers.CreateLogger<PjsipEndpointSource>());
        _client = client;
        client.Start();
        source.Start();
        var sender = resync.SendLoopAsync(client, stoppingToken);
        var recheck = RecheckCallsAsync(source, stoppingToken);
        try
        {
            await foreach (var snapshot in source.Snapshots.ReadAllAsync(stoppingToken))
            {
                try
                {
                    var round = await provisioner.ApplyAsync(snapshot, stoppingToken);
                    // The round queued its changed phones with their files; plan every queued one.
                    await resync.PlanAsync(snapshot, [], stoppingToken);
                    LastRound = round;
                    LastSnapshotAt = snapshot.TakenAt;
                    Rounds++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One failed round (a locked database, say) must not end the sync: the next
                    // snapshot tries again, and phones keep the files already published.
                    RoundFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await sender;
        await recheck;
    }

    // Phones deferred by a call are told once a snapshot shows them idle: ask for one now and then.
    private async Task RecheckCallsAsync(PjsipEndpointSource source, CancellationToken cancellationToken)
    {
        if (resync.CallRecheckInterval <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (true)
            {
                await Task.Delay(resync.CallRecheckInterval, time, cancellationToken);
                if (resync.Deferred.Count > 0)
                {
                    source.RequestSnapshot("phones wait for a call to end");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(6200, LogLevel.Warning, "AMI is not configured ({Problem}): serving the stored files only")]
    private static partial void NoAmi(ILogger logger, string problem);

    [LoggerMessage(6201, LogLevel.Error, "A provisioning round failed; the next snapshot tries again")]
    private static partial void RoundFailed(ILogger logger, Exception exception);
}
