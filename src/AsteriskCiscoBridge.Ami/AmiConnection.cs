using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AsteriskCiscoBridge.Ami;

/// <summary>
/// One AMI session over TCP (optionally TLS): one reader loop owns the read side, one writer loop
/// coalesces queued actions into as few sends as possible (pipelining), answers are matched to
/// actions by their ActionID string, list actions are collected up to <c>EventList: Complete</c>,
/// and unsolicited events go to a bounded channel. When the connection ends, for whatever reason,
/// every action in flight fails at once with <see cref="AmiConnectionLostException"/> and
/// <see cref="Closed"/> completes with the reason. Reconnecting is <see cref="AmiClient"/>'s job.
/// </summary>
/// <remarks>
/// Answer matching is <see cref="AmiActionCorrelator"/>'s and dead-peer detection <see cref="AmiKeepalive"/>'s.
/// What stays here (a little over 400 lines) is one piece on purpose: connecting, login, the reader and
/// writer loops and <c>Close</c> share the socket's life, and <c>Close</c> is the one place that ends it.
/// </remarks>
public sealed class AmiConnection : IAmiActionSender, IAsyncDisposable
{
    private readonly AmiConnectionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly Channel<AmiMessage> _events;
    private readonly bool _ownsEvents;
    private readonly Action<long>? _onEventsDropped;
    private readonly AmiActionCorrelator _pending = new();
    private readonly AmiKeepalive _keepalive;
    private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _banner = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<AmiConnectionLostException> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;
    private Task _keepaliveLoop = Task.CompletedTask;
    private long _nextActionId;
    private long _dropped;
    private volatile AmiConnectionLostException? _closeReason;

    private AmiConnection(AmiConnectionOptions options, TimeProvider time, ILogger logger, TcpClient tcp, Stream stream, Channel<AmiMessage>? events, Action<long>? onEventsDropped)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _tcp = tcp;
        _stream = stream;
        _onEventsDropped = onEventsDropped;
        _ownsEvents = events is null;
        _events = events ?? CreateEventChannel(options.EventBufferCapacity, CountDropped);
        _keepalive = new AmiKeepalive(options.PingInterval, options.PingTimeout, time, ct => SendAsync(new AmiAction("Ping"), ct));
    }

    /// <summary>The banner line the server greeted with (<c>Asterisk Call Manager/11.0.0</c>).</summary>
    public string Banner { get; private set; } = string.Empty;

    /// <summary>Unsolicited events (messages without an ActionID of ours), oldest dropped when the buffer is full.</summary>
    public ChannelReader<AmiMessage> Events => _events.Reader;

    /// <summary>Events dropped because the consumer was slower than the buffer allowed.</summary>
    public long DroppedEvents => Interlocked.Read(ref _dropped);

    /// <summary>Completes (never faults) when the connection has ended, with the reason.</summary>
    public Task<AmiConnectionLostException> Closed => _closed.Task;

    /// <summary>True until the connection ends.</summary>
    public bool IsOpen => _closeReason is null;

    /// <summary>
    /// Creates the bounded event channel with the documented slow-consumer policy: the oldest event
    /// is dropped and <paramref name="dropped"/> is told, so the reader loop never waits for a consumer.
    /// </summary>
    public static Channel<AmiMessage> CreateEventChannel(int capacity, Action<AmiMessage> dropped) =>
        Channel.CreateBounded(
            new BoundedChannelOptions(Math.Max(1, capacity)) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = false, SingleReader = false },
            dropped);

    /// <summary>Connects, optionally starts TLS, reads the banner and starts the loops. Does not log in.</summary>
    public static Task<AmiConnection> ConnectAsync(AmiConnectionOptions options, TimeProvider timeProvider, ILogger? logger, CancellationToken cancellationToken) =>
        ConnectAsync(options, timeProvider, logger, null, null, cancellationToken);

    /// <summary>As <see cref="ConnectAsync(AmiConnectionOptions, TimeProvider, ILogger?, CancellationToken)"/>, writing events into a channel shared across connections.</summary>
    public static async Task<AmiConnection> ConnectAsync(
        AmiConnectionOptions options,
        TimeProvider timeProvider,
        ILogger? logger,
        Channel<AmiMessage>? events,
        Action<long>? onEventsDropped,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        logger ??= NullLogger.Instance;
        using var timeout = new CancellationTokenSource(options.ConnectTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var tcp = new TcpClient { NoDelay = true };
        AmiConnection? connection = null;
        try
        {
            await tcp.ConnectAsync(options.Host, options.Port, linked.Token);
            Stream stream = tcp.GetStream();
            if (options.UseTls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false, options.TlsCertificateValidation);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions { TargetHost = options.TlsTargetHost ?? options.Host },
                    linked.Token);
            }

            connection = new AmiConnection(options, timeProvider, logger, tcp, stream, events, onEventsDropped);
            connection.Start();
            var banner = await connection._banner.Task.WaitAsync(linked.Token);
            connection.Banner = banner;
            Log.Connected(logger, options.Host, options.Port, banner);
            return connection;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(connection, tcp);
            throw new AmiConnectionLostException($"no AMI banner from {options.Host}:{options.Port} within {options.ConnectTimeout}");
        }
        catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            await DisposeQuietlyAsync(connection, tcp);
            throw new AmiConnectionLostException($"cannot connect to {options.Host}:{options.Port}: {ex.Message}", ex);
        }
        catch
        {
            await DisposeQuietlyAsync(connection, tcp);
            throw;
        }
    }

    /// <summary>
    /// Logs in with the configured user: MD5 challenge (<c>Challenge</c>, then <c>Key</c>) or plain secret.
    /// A refusal throws <see cref="AmiAuthenticationException"/> (Asterisk closes the socket after it).
    /// </summary>
    public async Task LoginAsync(CancellationToken cancellationToken)
    {
        var login = new AmiAction("Login");
        if (_options.AuthType == AmiAuthType.Md5)
        {
            var challenge = await SendAsync(new AmiAction("Challenge").Add("AuthType", "MD5"), cancellationToken);
            if (!challenge.IsSuccess || challenge.Response["Challenge"] is not { Length: > 0 } nonce)
            {
                throw new AmiAuthenticationException($"MD5 challenge refused: {challenge.Message ?? "no challenge"}");
            }

            login.Add("AuthType", "MD5").Add("Username", _options.Username).Add("Key", Md5Key(nonce, _options.Secret));
        }
        else
        {
            login.Add("Username", _options.Username).Add("Secret", _options.Secret);
        }

        if (!_options.ReceiveEvents)
        {
            login.Add("Events", "off");
        }

        AmiResponse response;
        try
        {
            response = await SendAsync(login, cancellationToken);
        }
        catch (AmiConnectionLostException ex)
        {
            throw new AmiAuthenticationException($"connection closed during login: {ex.Message}", ex);
        }

        if (!response.IsSuccess)
        {
            throw new AmiAuthenticationException(response.Message ?? "login refused");
        }

        Log.LoggedIn(_logger, _options.Host, _options.Port, _options.Username);
    }

    /// <summary>md5hex(challenge + secret), lower case, as Asterisk's manager.c computes it.</summary>
    public static string Md5Key(string challenge, string secret)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(secret);
#pragma warning disable CA5351 // AMI's challenge login is defined with MD5; not our choice.
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(challenge + secret));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }

    /// <inheritdoc />
    public async Task<AmiResponse> SendAsync(AmiAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var id = action.ActionId;
        if (id is null)
        {
            id = _options.ActionIdPrefix + "-" + Interlocked.Increment(ref _nextActionId).ToString(System.Globalization.CultureInfo.InvariantCulture);
            action = action.WithActionId(id);
        }

        var answer = _pending.Register(id);
        try
        {
            // Checked after registering: Close() fails what is registered, so nothing can slip between.
            if (_closeReason is { } reason)
            {
                throw new AmiConnectionLostException(reason.Message, reason);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (!_outgoing.Writer.TryWrite(AmiActionWriter.ToBytes(action)))
            {
                throw new AmiConnectionLostException(_closeReason?.Message ?? "connection closed");
            }

            return await answer.WaitAsync(cancellationToken);
        }
        finally
        {
            _pending.Remove(id);
        }
    }

    /// <summary>Sends <c>Logoff</c> (Asterisk answers <c>Goodbye</c> and closes), then disposes.</summary>
    public async Task LogoffAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(new AmiAction("Logoff"), cancellationToken);
        }
        catch (AmiConnectionLostException)
        {
            // Already gone: nothing to log off from.
        }

        await DisposeAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Close(new AmiConnectionLostException("connection closed by this side"));
        try
        {
            await Task.WhenAll(_readLoop, _writeLoop, _keepaliveLoop);
        }
        catch (OperationCanceledException)
        {
            // The loops end by cancellation.
        }

        _stop.Dispose();
    }

    private static async Task DisposeQuietlyAsync(AmiConnection? connection, TcpClient tcp)
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        tcp.Dispose();
    }

    private void CountDropped(AmiMessage message)
    {
        var dropped = Interlocked.Increment(ref _dropped);
        if (dropped == 1 || dropped % 1000 == 0)
        {
            Log.EventsDropped(_logger, dropped);
        }

        _onEventsDropped?.Invoke(dropped);
    }

    private void Start()
    {
        _readLoop = Task.Run(() => ReadLoopAsync(_stop.Token));
        _writeLoop = Task.Run(() => WriteLoopAsync(_stop.Token));
        if (_options.PingInterval > TimeSpan.Zero)
        {
            // Started inline: its first timer exists when ConnectAsync returns, so a driven clock cannot miss it.
            _keepaliveLoop = KeepaliveLoopAsync(_stop.Token);
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 65536, minimumReadSize: 16384, leaveOpen: true));
        var frames = new AmiFrameReader(_options.FrameLimits);
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken);
                _keepalive.Received();
                var buffer = read.Buffer;
                while (true)
                {
                    var result = frames.TryRead(buffer);
                    if (result.Status == AmiFrameStatus.NeedMoreData)
                    {
                        reader.AdvanceTo(result.Consumed, result.Examined);
                        break;
                    }

                    if (result.Status == AmiFrameStatus.Malformed)
                    {
                        Log.Malformed(_logger, _options.Host, _options.Port, result.Reason);
                        Close(new AmiConnectionLostException($"malformed AMI data: {result.Reason}"));
                        return;
                    }

                    buffer = buffer.Slice(result.Consumed);
                    if (result.Status == AmiFrameStatus.Banner)
                    {
                        _banner.TrySetResult(result.Banner!);
                    }
                    else
                    {
                        Dispatch(result.Message!);
                    }
                }

                if (read.IsCompleted)
                {
                    Close(new AmiConnectionLostException($"connection closed by {_options.Host}:{_options.Port}"));
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Close(new AmiConnectionLostException($"connection to {_options.Host}:{_options.Port} failed: {ex.Message}", ex));
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private void Dispatch(AmiMessage message)
    {
        switch (_pending.Accept(message))
        {
            case AmiCorrelation.Unsolicited when message.Kind == AmiMessageKind.Event:
                _events.Writer.TryWrite(message);
                break;
            case AmiCorrelation.UnknownActionId:
                // An answer to an action whose caller gave up (cancelled): it is not an unsolicited event.
                Log.UnknownActionId(_logger, message.ActionId!);
                break;
        }
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(cancellationToken))
            {
                buffer.ResetWrittenCount();
                // Everything queued goes out in one send: pipelined actions cost one segment, not one each.
                while (buffer.WrittenCount < 256 * 1024 && _outgoing.Reader.TryRead(out var bytes))
                {
                    buffer.Write(bytes);
                }

                await _stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
                await _stream.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Close(new AmiConnectionLostException($"cannot write to {_options.Host}:{_options.Port}: {ex.Message}", ex));
        }
    }

    private async Task KeepaliveLoopAsync(CancellationToken cancellationToken)
    {
        if (await _keepalive.RunAsync(cancellationToken))
        {
            Log.DeadPeer(_logger, _options.Host, _options.Port, _options.PingTimeout);
            Close(new AmiConnectionLostException($"no answer to Ping within {_options.PingTimeout}: peer presumed dead"));
        }
    }

    private void Close(AmiConnectionLostException reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
        {
            return;
        }

        if (reason.Message != "connection closed by this side")
        {
            Log.ConnectionLost(_logger, _options.Host, _options.Port, reason.Message);
        }

        _outgoing.Writer.TryComplete();
        _banner.TrySetException(reason);
        _pending.FailAll(() => new AmiConnectionLostException(reason.Message, reason));

        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _stream.Dispose();
        _tcp.Dispose();
        if (_ownsEvents)
        {
            _events.Writer.TryComplete();
        }

        _closed.TrySetResult(reason);
    }
}
