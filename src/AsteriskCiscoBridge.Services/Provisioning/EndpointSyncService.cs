using System.Threading.Channels;
using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Services.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Provisioning;

/// <summary>
/// The service's link to Asterisk (the store is already published by <see cref="Storage.StorageMigration"/>,
/// so phones are served while Asterisk is away): keeps an AMI endpoint source running (full snapshot at start,
/// after every reconnect, on PJSIP reloads and on a poll) and provisions from every complete
/// snapshot. Without AMI settings it says so and serves what it has.
/// </summary>
/// <remarks>
/// A change made in the store beside the service (<c>acb bind</c>, <c>acb pin</c>, the dashboard; seen by
/// <see cref="StoreChangeWatcher"/>) asks for a round with <see cref="RequestRound"/>: the last complete
/// snapshot is applied again, without reading Asterisk, or with none yet the store's own line data
/// (<paramref name="stored"/>). Rounds of both kinds run one at a time; requests made while one waits
/// or runs are served by one round after it.
/// An answer that would strip many phones at once is held by <paramref name="gate"/>, not applied: the last
/// applied snapshot stays the one requested rounds use; the held one is applied when the gate lets it through
/// (a round requested by the admin's acceptance, or a read of Asterisk asked for when the hold is over).
/// </remarks>
internal sealed class EndpointSyncService(
    AmiOptions? ami,
    string? amiProblem,
    PjsipEndpointSourceOptions sourceOptions,
    EndpointProvisioner provisioner,
    ResyncService resync,
    TimeProvider time,
    ILoggerFactory loggers,
    StoredPhoneRound? stored = null,
    RemovalHoldGate? gate = null) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<EndpointSyncService>();

    // One round at a time, whichever asked for it: a snapshot round and a requested one must not
    // interleave their reads and writes of the same phones.
    private readonly SemaphoreSlim _round = new(1, 1);

    // Capacity one, extra writes dropped: any number of requests made before the next requested round
    // starts is served by that one round.
    private readonly Channel<string> _requests = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private PjsipSnapshot? _snapshot;

    // The answer the gate holds, and when the hold of each held answer is over (a read of Asterisk is asked for then).
    private PjsipSnapshot? _held;
    private DateTimeOffset? _scheduledDue;
    private readonly Channel<DateTimeOffset> _holdsDue = Channel.CreateUnbounded<DateTimeOffset>(new UnboundedChannelOptions { SingleReader = true });
    /// <summary>Answers of Asterisk read and held, not applied, since start.</summary>
    public int HeldReads => HeldReadCount.Value;

    /// <summary><see cref="HeldReads"/>, to be awaited.</summary>
    public Diagnostics.EventCount HeldReadCount { get; } = new();

    /// <summary>The last round, for tests and the dashboard.</summary>
    public ProvisioningRound? LastRound { get; private set; }

    /// <summary>Rounds done since start from snapshots read from Asterisk.</summary>
    public int Rounds => RoundCount.Value;

    /// <summary><see cref="Rounds"/>, to be awaited.</summary>
    public Diagnostics.EventCount RoundCount { get; } = new();

    /// <summary>Rounds done since start on <see cref="RequestRound"/> (store changes), with or without a snapshot.</summary>
    public int RequestedRounds => RequestedRoundCount.Value;

    /// <summary><see cref="RequestedRounds"/>, to be awaited.</summary>
    public Diagnostics.EventCount RequestedRoundCount { get; } = new();

    /// <summary>Contacts-only refreshes applied since start (registrations seen without a snapshot).</summary>
    public int ContactRefreshes => ContactRefreshCount.Value;

    /// <summary><see cref="ContactRefreshes"/>, to be awaited.</summary>
    public Diagnostics.EventCount ContactRefreshCount { get; } = new();

    /// <summary>When the last complete snapshot was taken, for /metrics and the dashboard.</summary>
    public DateTimeOffset? LastSnapshotAt { get; private set; }

    /// <summary>True while the AMI session is up.</summary>
    public bool AmiConnected => _client?.IsConnected == true;

    private AmiClient? _client;

    /// <summary>
    /// Asks for a provisioning round over what is already known: the last complete snapshot again (Asterisk
    /// is not read for it), or without one the store's recorded line data. Returns at once; requests made
    /// before the round starts are served by it.
    /// </summary>
    public void RequestRound(string reason) => _requests.Writer.TryWrite(reason);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var requested = ServeRequestsAsync(stoppingToken);
        if (ami is null)
        {
            Log.NoAmi(_logger, amiProblem ?? "no Ami section");
            await requested;
            return;
        }

        await using var client = new AmiClient(new AmiClientOptions { Connection = ami.ToConnectionOptions(longLived: true) }, time, loggers.CreateLogger<AmiClient>());
        await using var source = new PjsipEndpointSource(client, sourceOptions, time, loggers.CreateLogger<PjsipEndpointSource>());
        _client = client;
        client.Start();
        source.Start();
        var sender = resync.SendLoopAsync(client, stoppingToken);
        var recheck = RecheckCallsAsync(source, stoppingToken);
        var expiry = ReadWhenHoldsAreOverAsync(source, stoppingToken);
        var contacts = FollowContactsAsync(source, stoppingToken);
        var proofPoll = resync.PollForProofAsync(source.RequestContacts, stoppingToken);
        var authentications = FollowAuthenticationsAsync(source, stoppingToken);
        try
        {
            await foreach (var snapshot in source.Snapshots.ReadAllAsync(stoppingToken))
            {
                await _round.WaitAsync(stoppingToken);
                try
                {
                    if (await AdmitAsync(snapshot, stoppingToken))
                    {
                        Volatile.Write(ref _snapshot, snapshot);
                        await SnapshotRoundAsync(snapshot, stoppingToken);
                        LastSnapshotAt = snapshot.TakenAt;
                        RoundCount.Increment();
                    }
                    else
                    {
                        HeldReadCount.Increment();
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One failed round (a locked database, a full disk) must not end the sync: phones keep
                    // the files already published, and the round is tried again over the same snapshot.
                    Log.RoundFailed(_logger, e);
                    RequestRound("retry of a failed round");
                }
                finally
                {
                    _round.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await sender;
        await recheck;
        await expiry;
        await contacts;
        await proofPoll;
        await authentications;
        await requested;
    }

    public override void Dispose()
    {
        _round.Dispose();
        base.Dispose();
    }

    // True when the gate lets the answer through; a held one is kept for a later round and its hold's end is watched.
    private async Task<bool> AdmitAsync(PjsipSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (gate is null)
        {
            return true;
        }

        var admission = await gate.AdmitAsync(snapshot, cancellationToken);
        if (admission.Apply)
        {
            Volatile.Write(ref _held, null);
            return true;
        }

        Volatile.Write(ref _held, snapshot);
        if (admission.DueAt is { } due && due != _scheduledDue)
        {
            _scheduledDue = due;
            _holdsDue.Writer.TryWrite(due);
        }

        return false;
    }

    // Renders from the snapshot; the round queued its changed phones with their files: plan every queued one.
    private async Task SnapshotRoundAsync(PjsipSnapshot snapshot, CancellationToken cancellationToken)
    {
        var round = await provisioner.ApplyAsync(snapshot, cancellationToken);
        await resync.PlanAndQueueAsync(snapshot, [], cancellationToken);
        LastRound = round;
    }

    private async Task ServeRequestsAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _requests.Reader.WaitToReadAsync(cancellationToken))
            {
                var failed = false;
                await _round.WaitAsync(cancellationToken);
                try
                {
                    // Taken inside the lock: a request made while the previous round ran is served by this one.
                    var reason = _requests.Reader.TryRead(out var first) ? first : "store changed";
                    var snapshot = Volatile.Read(ref _snapshot);

                    // An admin's acceptance (or an unbinding that leaves the held answer stripping few) lets it through.
                    if (Volatile.Read(ref _held) is { } held && await AdmitAsync(held, cancellationToken))
                    {
                        snapshot = held;
                        Volatile.Write(ref _snapshot, held);
                        LastSnapshotAt = held.TakenAt;
                    }

                    Log.RoundRequested(_logger, reason, snapshot is null ? "the store's line data (no snapshot yet)" : "the last snapshot");
                    if (snapshot is not null)
                    {
                        await SnapshotRoundAsync(snapshot, cancellationToken);
                    }
                    else if (stored is not null)
                    {
                        LastRound = await stored.ApplyAsync(cancellationToken);
                    }

                    RequestedRoundCount.Increment();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Phones keep what is published; the change is not lost: the round is tried again.
                    Log.RequestedRoundFailed(_logger, sourceOptions.RetryDelay, e);
                    failed = true;
                }
                finally
                {
                    _round.Release();
                }

                if (failed)
                {
                    await Task.Delay(sourceOptions.RetryDelay, time, cancellationToken);
                    RequestRound("retry of a failed round");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    // A held answer is applied only if Asterisk still gives it when its hold is over: read Asterisk again then.
    private async Task ReadWhenHoldsAreOverAsync(PjsipEndpointSource source, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var due in _holdsDue.Reader.ReadAllAsync(cancellationToken))
            {
                var wait = due - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken);
                }

                source.RequestSnapshot("the hold of a held answer is over");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    // Registrations refresh the contacts alone (a ContactStatus storm must not become a storm of
    // snapshots or rounds): the held snapshot takes them, known addresses follow them, and the resync
    // service plans waiting phones and proves those that came back. Served one at a time with rounds.
    // Only a User-Agent no round has seen (a model or load to learn) asks for a round, over the held
    // snapshot: Asterisk is not read for it, and a phone coming back with the same load costs none.
    private async Task FollowContactsAsync(PjsipEndpointSource source, CancellationToken cancellationToken)
    {
        var requestedFor = new HashSet<(string Endpoint, string UserAgent)>();
        try
        {
            await foreach (var update in source.ContactUpdates.ReadAllAsync(cancellationToken))
            {
                await _round.WaitAsync(cancellationToken);
                try
                {
                    if (Volatile.Read(ref _snapshot) is { } snapshot)
                    {
                        var refreshed = snapshot.WithContacts(update);
                        Volatile.Write(ref _snapshot, refreshed);
                        provisioner.FollowContacts(refreshed);
                        var seen = UserAgents(snapshot).ToHashSet();
                        if (UserAgents(refreshed).Where(ua => !seen.Contains(ua)).Count(requestedFor.Add) > 0)
                        {
                            RequestRound("a phone registered with a User-Agent not seen before");
                        }
                    }

                    await resync.OnContactsAsync(update, cancellationToken);
                    ContactRefreshCount.Increment();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.ContactsFailed(_logger, e);
                }
                finally
                {
                    _round.Release();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    // Requests Asterisk authenticated (with read = security): the resync learns from them the Call-ID of a phone's
    // registration after its boot, which Asterisk does not list when the phone came back on the same address and port.
    private async Task FollowAuthenticationsAsync(PjsipEndpointSource source, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var authentication in source.Authentications.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await resync.OnAuthenticatedAsync(authentication, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.AuthenticationFailed(_logger, authentication.Endpoint, e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static IEnumerable<(string Endpoint, string UserAgent)> UserAgents(PjsipSnapshot snapshot) =>
        snapshot.Endpoints.SelectMany(e => e.Contacts.Where(c => !string.IsNullOrEmpty(c.UserAgent)).Select(c => (e.Name, c.UserAgent!)));

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
}
