using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AsteriskCiscoBridge.Ami;

/// <summary>What happened to the client's session.</summary>
public enum AmiSessionState
{
    /// <summary>Logged in. Events may have been missed before this: take a full snapshot now.</summary>
    Connected = 1,

    /// <summary>The session ended (peer closed, Asterisk restarting, dead peer); the client retries after <see cref="AmiSessionChange.RetryIn"/>.</summary>
    Disconnected = 2,

    /// <summary>No connection could be made; retrying after <see cref="AmiSessionChange.RetryIn"/>.</summary>
    ConnectFailed = 3,

    /// <summary>Asterisk refused the login (wrong user or secret); retrying after a long back-off.</summary>
    LoginRefused = 4,

    /// <summary>The event buffer overflowed and events were dropped: the event stream has a hole, take a full snapshot.</summary>
    EventsDropped = 5,
}

/// <summary>A change of the client's session, in order. <see cref="Generation"/> counts successful logins.</summary>
public sealed record AmiSessionChange(AmiSessionState State, int Generation, string? Reason = null, TimeSpan? RetryIn = null)
{
    /// <summary>True when a consumer must re-read everything (after a login or after dropped events).</summary>
    public bool SnapshotRequired => State is AmiSessionState.Connected or AmiSessionState.EventsDropped;
}

/// <summary>Connection settings plus the reconnect policy.</summary>
public sealed class AmiClientOptions
{
    /// <summary>The connection settings.</summary>
    public AmiConnectionOptions Connection { get; init; } = new();

    /// <summary>First delay before reconnecting. Default 1 s.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between attempts. Default 60 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Shortest delay after a refused login, so a wrong secret never turns into a tight loop. Default 30 s.</summary>
    public TimeSpan LoginRefusedBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Random spread applied to each delay, as a fraction (0.2 = ±20 %), so many bridges do not reconnect in step.</summary>
    public double Jitter { get; init; } = 0.2;
}

/// <summary>Pure back-off arithmetic: exponential, capped, with jitter.</summary>
public static class AmiBackoff
{
    /// <summary>
    /// Delay before attempt <paramref name="attempt"/> (1 = first retry): initial × 2^(attempt−1), capped at
    /// <paramref name="max"/>, then spread by ±<paramref name="jitter"/> using <paramref name="random01"/> in [0, 1).
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, double jitter, double random01)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var baseTicks = Math.Min(max.Ticks, initial.Ticks * Math.Pow(2, exponent));
        var spread = 1 + (Math.Clamp(jitter, 0, 1) * ((2 * Math.Clamp(random01, 0, 1)) - 1));
        return TimeSpan.FromTicks((long)Math.Min(max.Ticks, Math.Max(0, baseTicks * spread)));
    }
}

/// <summary>
/// The reconnecting AMI client: keeps one logged-in <see cref="AmiConnection"/> up, reconnects with
/// exponential back-off and jitter, logs in again, and reports every session change in
/// <see cref="SessionChanges"/> (a <see cref="AmiSessionState.Connected"/> tells consumers to take a
/// full snapshot). Actions sent while no session is up fail at once with
/// <see cref="AmiConnectionLostException"/>; they are never queued behind a reconnect.
/// </summary>
public sealed class AmiClient : IAmiActionSender, IAsyncDisposable
{
    private readonly AmiClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly Channel<AmiMessage> _events;
    private readonly Channel<AmiSessionChange> _changes = Channel.CreateUnbounded<AmiSessionChange>();
    private readonly CancellationTokenSource _stop = new();
    private volatile AmiConnection? _current;
    private Task _run = Task.CompletedTask;
    private int _generation;
    private long _droppedTotal;
    private long _lastDropNotice = long.MinValue;

    /// <summary>Creates the client; nothing connects until <see cref="Start"/>.</summary>
    public AmiClient(AmiClientOptions options, TimeProvider timeProvider, ILogger<AmiClient>? logger = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _time = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _random = random ?? Random.Shared;
        _events = AmiConnection.CreateEventChannel(options.Connection.EventBufferCapacity, _ => OnDropped(Interlocked.Increment(ref _droppedTotal)));
    }

    /// <summary>Unsolicited events of every session, in order; oldest dropped (and reported as <see cref="AmiSessionState.EventsDropped"/>) when full.</summary>
    public ChannelReader<AmiMessage> Events => _events.Reader;

    /// <summary>Session changes, in order; unbounded because they are rare and must not be lost.</summary>
    public ChannelReader<AmiSessionChange> SessionChanges => _changes.Reader;

    /// <summary>True while a logged-in session is up.</summary>
    public bool IsConnected => _current is { IsOpen: true };

    /// <summary>Starts the connect/reconnect loop.</summary>
    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token));

    /// <inheritdoc />
    public Task<AmiResponse> SendAsync(AmiAction action, CancellationToken cancellationToken)
    {
        var connection = _current;
        return connection is null
            ? Task.FromException<AmiResponse>(new AmiConnectionLostException("no AMI session is up (connecting or backing off)"))
            : connection.SendAsync(action, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _changes.Writer.TryComplete();
        _events.Writer.TryComplete();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        var host = _options.Connection.Host;
        var port = _options.Connection.Port;
        while (!cancellationToken.IsCancellationRequested)
        {
            AmiSessionChange change;
            TimeSpan minimum = TimeSpan.Zero;
            AmiConnection? connection = null;
            try
            {
                connection = await AmiConnection.ConnectAsync(_options.Connection, _time, _logger, _events, null, cancellationToken);
                await connection.LoginAsync(cancellationToken);
                attempt = 0;
                var generation = Interlocked.Increment(ref _generation);
                _current = connection;
                Log.SessionUp(_logger, generation, generation > 1);
                _changes.Writer.TryWrite(new AmiSessionChange(AmiSessionState.Connected, generation));
                var reason = await connection.Closed.WaitAsync(cancellationToken);
                _current = null;
                change = new AmiSessionChange(AmiSessionState.Disconnected, generation, reason.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (AmiAuthenticationException ex)
            {
                minimum = _options.LoginRefusedBackoff;
                change = new AmiSessionChange(AmiSessionState.LoginRefused, _generation, ex.Message);
            }
            catch (Exception ex) when (ex is AmiException or SocketException or IOException or TimeoutException)
            {
                change = new AmiSessionChange(AmiSessionState.ConnectFailed, _generation, ex.Message);
            }
            finally
            {
                _current = null;
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }

            attempt++;
            var delay = AmiBackoff.Delay(attempt, _options.InitialBackoff, _options.MaxBackoff, _options.Jitter, _random.NextDouble());
            if (delay < minimum)
            {
                delay = minimum;
            }

            // The timer exists before the change is announced, so whoever drives the clock after
            // reading the change cannot overtake it.
            var wait = Task.Delay(delay, _time, cancellationToken);
            change = change with { RetryIn = delay };
            switch (change.State)
            {
                case AmiSessionState.LoginRefused:
                    Log.LoginRefused(_logger, host, port, _options.Connection.Username, change.Reason ?? "?", delay);
                    break;
                case AmiSessionState.ConnectFailed:
                    Log.ConnectFailed(_logger, host, port, change.Reason ?? "?", delay, null);
                    break;
                default:
                    Log.SessionDown(_logger, change.Generation, change.Reason ?? "?", delay);
                    break;
            }

            _changes.Writer.TryWrite(change);
            try
            {
                await wait;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private void OnDropped(long total)
    {
        // At most one notice a second: a burst of drops needs one resnapshot, not thousands.
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastDropNotice);
        if (last == long.MinValue || _time.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(1))
        {
            Interlocked.Exchange(ref _lastDropNotice, now);
            Log.EventsDropped(_logger, total);
            _changes.Writer.TryWrite(new AmiSessionChange(AmiSessionState.EventsDropped, _generation, $"{total} events dropped"));
        }
    }
}
