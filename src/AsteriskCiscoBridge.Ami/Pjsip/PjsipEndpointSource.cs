using System.Diagnostics.CodeAnalysis;
using System.ComponentModel.DataAnnotations;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AsteriskCiscoBridge.Ami.Pjsip;

/// <summary>Settings of the endpoint source.</summary>
public sealed class PjsipEndpointSourceOptions
{
    private const string RangeOnTimeSpan = "TimeSpan's converter is TypeDescriptor's built-in TimeSpanConverter, which trimming keeps (the warning is about generic converters); [OptionsValidator] validates with its own generated TimeSpan-aware copy.";

    /// <summary>
    /// Re-read this often even without events: realtime changes raise no event
    /// (config-change fixture: a reload only says <c>Event: Reload</c>). Default 5 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00", ErrorMessage = "must be between {1} and {2}")]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = RangeOnTimeSpan)]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Wait this long after a trigger so a burst costs one read: a <c>pjsip reload</c>'s events one snapshot,
    /// a boot's <c>ContactStatus</c> storm one <c>PJSIPShowContacts</c> per interval. Default 1 s.
    /// </summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The least time between the starts of two full snapshots, whatever asks for them (login,
    /// <c>FullyBooted</c>, <c>Reload</c>, the poll, a retry): a burst of reloads costs a read every
    /// interval, never one per event. Registrations never cost a snapshot (they refresh contacts
    /// only). Default 5 s; 0 leaves only <see cref="Debounce"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "must be between {1} and {2}")]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = RangeOnTimeSpan)]
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Wait this long before retrying a failed read while the session stays up, and before reading again
    /// after a <c>Reload</c> that Asterisk reported as queued or still in progress. Default 10 s.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Keeps the latest complete <see cref="PjsipSnapshot"/>: reads one after each login (the client's
/// <see cref="AmiSessionState.Connected"/>), after dropped events, after <c>Reload</c> of res_pjsip or
/// of everything, <c>FullyBooted</c>, and on a poll timer, never two closer than
/// <see cref="PjsipEndpointSourceOptions.MinInterval"/>. A failed read leaves <see cref="Current"/> as it was.
/// A <c>ContactStatus</c> (a phone registered, re-registered or went away) reads the contacts alone
/// (<see cref="ContactUpdates"/>): a boot storm of registrations never becomes a storm of snapshots.
/// </summary>
public sealed class PjsipEndpointSource : IAsyncDisposable
{
    private readonly AmiClient _client;
    private readonly PjsipSnapshotReader _reader;
    private readonly PjsipEndpointSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<string> _triggers = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<PjsipSnapshot> _published = Channel.CreateBounded<PjsipSnapshot>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Channel<string> _contactTriggers = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<PjsipContactsUpdate> _contactUpdates = Channel.CreateBounded<PjsipContactsUpdate>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Channel<AmiSessionChange> _sessionChanges = Channel.CreateUnbounded<AmiSessionChange>();
    private readonly Channel<PjsipAuthentication> _authentications = Channel.CreateBounded<PjsipAuthentication>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Channel<AmiMessage> _events = Channel.CreateBounded<AmiMessage>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly CancellationTokenSource _stop = new();
    private Task _loops = Task.CompletedTask;
    private volatile PjsipSnapshot? _current;
    private int _readAgainLater;

    /// <summary>Creates the source over a client (started by the caller).</summary>
    public PjsipEndpointSource(AmiClient client, PjsipEndpointSourceOptions options, TimeProvider timeProvider, ILogger<PjsipEndpointSource>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _client = client;
        _options = options;
        _time = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _reader = new PjsipSnapshotReader(client, timeProvider, _logger);
    }

    /// <summary>The latest complete snapshot, or null before the first one.</summary>
    public PjsipSnapshot? Current => _current;

    /// <summary>Each newly published snapshot (only the latest is kept for a slow reader).</summary>
    public ChannelReader<PjsipSnapshot> Snapshots => _published.Reader;

    /// <summary>
    /// Each contacts-only refresh, read after <c>ContactStatus</c> events (only the latest is kept for a
    /// slow reader: each holds every registered contact). Apply one to a snapshot with
    /// <see cref="PjsipSnapshot.WithContacts"/>.
    /// </summary>
    public ChannelReader<PjsipContactsUpdate> ContactUpdates => _contactUpdates.Reader;

    /// <summary>
    /// The client's session changes, passed on after the source has acted on them (the source is the
    /// client's only reader of <see cref="AmiClient.SessionChanges"/>; status displays read them here).
    /// </summary>
    public ChannelReader<AmiSessionChange> SessionChanges => _sessionChanges.Reader;

    /// <summary>
    /// The client's unsolicited events, passed on after the source has looked at them (ContactStatus
    /// for a resync planner, for instance). Bounded; the oldest is dropped when nobody reads.
    /// </summary>
    public ChannelReader<AmiMessage> Events => _events.Reader;

    /// <summary>
    /// Each SIP request Asterisk authenticated (<c>SuccessfulAuth</c> from res_pjsip; only with <c>read = security</c>
    /// on the manager user). Bounded; the oldest is dropped when nobody reads.
    /// </summary>
    public ChannelReader<PjsipAuthentication> Authentications => _authentications.Reader;

    /// <summary>Starts listening and reading.</summary>
    public void Start()
    {
        var token = _stop.Token;
        _loops = Task.WhenAll(
            Task.Run(() => WatchSessionAsync(token)),
            Task.Run(() => WatchEventsAsync(token)),
            Task.Run(() => ReadLoopAsync(token)),
            Task.Run(() => ContactLoopAsync(token)));
    }

    /// <summary>
    /// True for a <c>Reload</c> whose <c>Status</c> says the reload has not happened yet (1 queued, 4 already in
    /// progress: Asterisk's module reload results): a read now may still see the old configuration, and no
    /// second event announces the end, so the source reads again after <see cref="PjsipEndpointSourceOptions.RetryDelay"/>.
    /// </summary>
    public static bool IsReloadPending(AmiMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.EventName == "Reload" && message["Status"]?.Trim() is "1" or "4";
    }

    /// <summary>Asks for a read now (an admin command, a test).</summary>
    public void RequestSnapshot(string trigger) => _triggers.Writer.TryWrite(trigger);

    /// <summary>Asks for a contacts-only read now (a phone is expected to register, a test).</summary>
    public void RequestContacts(string trigger) => _contactTriggers.Writer.TryWrite(trigger);

    /// <summary>True for events after which endpoints must be re-read (the configuration may have changed).</summary>
    public static bool IsTrigger(AmiMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.EventName switch
        {
            "Reload" => message["Module"] is not { } module
                || module.Equals("All", StringComparison.OrdinalIgnoreCase)
                || module.StartsWith("res_pjsip", StringComparison.OrdinalIgnoreCase),
            "FullyBooted" => true,
            _ => false,
        };
    }

    /// <summary>
    /// True for events after which only the contacts are re-read: <c>ContactStatus</c> (Asterisk 22 sends
    /// it on a registration, <c>NonQualified</c> then <c>Reachable</c>, and <c>Removed</c> on unregister;
    /// registration-and-notify fixture). It carries no Call-ID or User-Agent, hence the read.
    /// </summary>
    public static bool IsContactTrigger(AmiMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.EventName == "ContactStatus";
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loops;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task WatchSessionAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in _client.SessionChanges.ReadAllAsync(cancellationToken))
            {
                if (change.SnapshotRequired)
                {
                    RequestSnapshot(change.State.ToString());
                }

                _sessionChanges.Writer.TryWrite(change);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task WatchEventsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _client.Events.ReadAllAsync(cancellationToken))
            {
                if (IsTrigger(message))
                {
                    if (IsReloadPending(message))
                    {
                        // Set before the trigger, so the read it wakes sees it when it ends.
                        Volatile.Write(ref _readAgainLater, 1);
                    }

                    RequestSnapshot(message.EventName!);
                }
                else if (IsContactTrigger(message))
                {
                    RequestContacts(message.EventName!);
                }
                else if (PjsipAuthentication.TryParse(message) is { } authentication)
                {
                    _authentications.Writer.TryWrite(authentication);
                }

                _events.Writer.TryWrite(message);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pollTimer = Task.Delay(_options.PollInterval, _time, poll.Token);
        CancellationTokenSource? retry = null;
        Task? retryTimer = null;
        long? lastRead = null;
        try
        {
            while (true)
            {
                // A pending retry never blocks a trigger: a reconnect during the retry wait reads at once.
                var triggered = _triggers.Reader.WaitToReadAsync(cancellationToken).AsTask();
                var first = retryTimer is null
                    ? await Task.WhenAny(pollTimer, triggered)
                    : await Task.WhenAny(pollTimer, triggered, retryTimer);
                cancellationToken.ThrowIfCancellationRequested();
                Log.SnapshotTriggered(_logger, first == pollTimer ? "poll" : first == retryTimer ? "retry" : "event");
                if (retry is not null)
                {
                    await retry.CancelAsync();
                    retry.Dispose();
                    retry = null;
                    retryTimer = null;
                }

                // Debounced, and spaced: whatever asked, a read never starts within MinInterval of the last.
                var wait = _options.Debounce;
                if (lastRead is { } last && _options.MinInterval - _time.GetElapsedTime(last) is var spacing && spacing > wait)
                {
                    Log.SnapshotSpaced(_logger, spacing);
                    wait = spacing;
                }

                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken);
                }

                while (_triggers.Reader.TryRead(out _))
                {
                }

                PjsipSnapshotResult? result = null;
                if (_client.IsConnected)
                {
                    lastRead = _time.GetTimestamp();
                    result = await _reader.ReadAsync(cancellationToken);
                }

                // The next poll (and a retry) is armed before anything is published, so whoever
                // reacts to a publication by moving a driven clock cannot overtake it.
                await poll.CancelAsync();
                poll.Dispose();
                poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                pollTimer = Task.Delay(_options.PollInterval, _time, poll.Token);
                // A failed read (permission denied, an endpoint changing under the read, or the connection
                // dropping mid-read) is tried again later, and so is a read made while a reload was still
                // pending. If the connection was lost, the next Connected change reads sooner and the retry
                // is dropped.
                var pending = Interlocked.Exchange(ref _readAgainLater, 0) == 1;
                if (result is not null && (result.Snapshot is null || pending))
                {
                    if (pending)
                    {
                        Log.ReadAgainLater(_logger, _options.RetryDelay);
                    }

                    retry = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    retryTimer = Task.Delay(_options.RetryDelay, _time, retry.Token);
                }

                if (result?.Snapshot is { } snapshot)
                {
                    _current = snapshot;
                    _published.Writer.TryWrite(snapshot);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            poll.Dispose();
            retry?.Dispose();
        }
    }

    // One PJSIPShowContacts per debounce interval however many ContactStatus events came in it.
    private async Task ContactLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _contactTriggers.Reader.WaitToReadAsync(cancellationToken))
            {
                if (_options.Debounce > TimeSpan.Zero)
                {
                    await Task.Delay(_options.Debounce, _time, cancellationToken);
                }

                while (_contactTriggers.Reader.TryRead(out _))
                {
                }

                if (_client.IsConnected && (await _reader.ReadContactsAsync(cancellationToken)).Update is { } update)
                {
                    _contactUpdates.Writer.TryWrite(update);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
