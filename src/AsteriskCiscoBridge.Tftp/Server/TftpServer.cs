using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Protocol;
using AsteriskCiscoBridge.Tftp.Transfer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AsteriskCiscoBridge.Tftp.Server;

/// <summary>
/// A read-only TFTP server (RFC 1350, 2347, 2348, 2349, 7440) over layered file sources.
/// One event loop thread owns every socket: the listening sockets and one socket per transfer
/// (a new TID each, bound to the address the request came to, so replies leave from it).
/// Protocol decisions are made by <see cref="TftpTransfer"/>; this class moves datagrams,
/// enforces limits and reports every request as a <see cref="TftpRequestEvent"/>.
/// Linux only (epoll).
/// </summary>
/// <remarks>
/// This file holds the public surface, the loop and the request port; <c>TftpServer.Transfers.cs</c>
/// the transfers. Admission (<see cref="TftpAdmission"/>), the epoll set, the listening sockets, the
/// transfer ports, the deadline queue and the counters are types of their own.
/// </remarks>
public sealed partial class TftpServer : IAsyncDisposable
{
    private const ulong ListenerTag = 1UL << 62;
    private const ulong SessionTag = 2UL << 62;
    private const ulong TagMask = 3UL << 62;
    private const int MaxEvents = 256;
    private const int ReceiveBufferLength = 2048;

    private readonly TftpServerOptions _options;
    private readonly ITftpFileSource _files;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<TftpRequestEvent> _events;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _loopDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<TftpListener> _listeners = [];
    private readonly Dictionary<ulong, TftpSession> _sessions = [];
    private readonly Dictionary<ClientKey, TftpSession> _byClient = [];
    private readonly Dictionary<AddressKey, int> _perAddress = [];
    private readonly DeadlineQueue<TftpSession> _deadlines = new();
    private readonly ConcurrentQueue<(TftpSession Session, TftpLookup Lookup, Exception? Error)> _lookupsDone = new();
    private readonly ConcurrentDictionary<ulong, Task> _lookupsRunning = new();
    private readonly long _startTimestamp;
    private readonly byte[] _sendBuffer = GC.AllocateArray<byte>(65536 + 4, pinned: true);
    private readonly byte[] _receiveBuffer = GC.AllocateArray<byte>(ReceiveBufferLength, pinned: true);
    private readonly byte[] _controlBuffer = GC.AllocateArray<byte>(128, pinned: true);
    private readonly byte[] _addressBuffer = GC.AllocateArray<byte>(SocketAddressBytes.Capacity, pinned: true);
    private readonly TftpNegotiationLimits _limits;
    private readonly TftpRetryPolicy _retry;
    private readonly TransferPortAllocator _ports;
    private EpollSet? _epoll;
    private ITimer? _timer;
    private TimeSpan _armedDeadline = TimeSpan.MaxValue;
    private ulong _nextSessionId = 1;
    private readonly TransferMemoryBudget _memory;
    private Thread? _thread;
    private volatile bool _stop;

    /// <summary>Creates a server over <paramref name="sources"/>, layered in order (see <see cref="LayeredFileSource"/>).</summary>
    public TftpServer(TftpServerOptions options, IEnumerable<ITftpFileSource> sources, TimeProvider? timeProvider = null, ILogger<TftpServer>? logger = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }

        _options = options;
        _files = new LayeredFileSource(sources);
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<TftpServer>.Instance;
        _limits = options.NegotiationLimits;
        _retry = options.RetryPolicy;
        _startTimestamp = _time.GetTimestamp();
        _memory = new TransferMemoryBudget(options.MaxBufferedBytes, Counters);
        _ports = new TransferPortAllocator(options.PortRangeStart, options.PortRangeEnd);
        _events = Channel.CreateBounded<TftpRequestEvent>(
            new BoundedChannelOptions(Math.Max(1, options.RequestEventCapacity)) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true },
            _ => Interlocked.Increment(ref Counters.DroppedEventsValue));
    }

    /// <summary>Every request as it ends. Bounded: when nobody reads, the oldest events are dropped and counted.</summary>
    public ChannelReader<TftpRequestEvent> Requests => _events.Reader;

    /// <summary>Running totals.</summary>
    public TftpServerCounters Counters { get; } = new();

    /// <summary>
    /// Completes when the event loop ends: successfully once the server is disposed, faulted with
    /// the exception when the loop died on its own (a failure it does not contain, such as
    /// <see cref="OutOfMemoryException"/> or a failing <c>epoll_wait</c>). After a fault nothing
    /// is served any more; the host should stop so its supervisor restarts it.
    /// </summary>
    public Task Completion => _loopDone.Task;

    /// <summary>The addresses actually bound (port 0 in the options becomes the real port).</summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints => [.. _listeners.Select(l => l.EndPoint)];

    /// <summary>Binds the listening sockets (throws with a clear message when one cannot be bound) and starts the event loop.</summary>
    public void Start()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The TFTP server uses epoll and runs on Linux only.");
        }

        if (_thread is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        _epoll = new EpollSet();
        try
        {
            foreach (var endPoint in _options.Listen)
            {
                if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && !Socket.OSSupportsIPv6 && _options.Listen.Count > 1)
                {
                    // The default [::]:69 on a host with IPv6 switched off: serve IPv4 and say so.
                    Log.NoIPv6(_logger, endPoint);
                    continue;
                }

                var listener = TftpListener.Bind(endPoint, _options.ReceiveBufferBytes, _logger);
                _listeners.Add(listener);
                _epoll.Add(listener.Fd, ListenerTag | (uint)(_listeners.Count - 1));
                Log.Listening(_logger, listener.EndPoint);
            }
        }
        catch
        {
            CloseAll();
            throw;
        }

        _timer = _time.CreateTimer(_ => Wake(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _thread = new Thread(RunLoop) { IsBackground = true, Name = "tftp-event-loop" };
        _thread.Start();
    }

    /// <summary>Stops the loop, ends every transfer and closes every socket.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop = true;
        await _stopping.CancelAsync();
        if (_thread is not null)
        {
            Wake();
            // A loop that died has said so through Completion; stopping goes on either way.
            await _loopDone.Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            // Lookups catch their own failures, so this only waits for them to finish.
            await Task.WhenAll(_lookupsRunning.Values);
        }

        // The timer's callback writes to the wake descriptor: it must be gone (callbacks in
        // flight included) before that descriptor is closed and its number reused.
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
        }

        CloseAll();
        _events.Writer.TryComplete();
        _stopping.Dispose();
    }

    private TimeSpan Now => _time.GetElapsedTime(_startTimestamp);

    private void Wake() => _epoll?.Wake();

    private unsafe void RunLoop()
    {
        var events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * LinuxNative.EpollEventSize));
        Exception? failure = null;
        try
        {
            while (!_stop)
            {
                var n = _epoll!.Wait(events, MaxEvents);
                if (n < 0)
                {
                    continue;
                }

                for (var i = 0; i < n && !_stop; i++)
                {
                    var (_, data) = LinuxNative.ReadEpollEvent(events, i);
                    switch (data & TagMask)
                    {
                        case EpollSet.WakeTag:
                            _epoll.ClearWake();
                            break;
                        case ListenerTag:
                            try
                            {
                                DrainListener(_listeners[(int)(data & ~TagMask)]);
                            }
                            catch (Exception e) when (e is not OutOfMemoryException)
                            {
                                // A bug handling one request must not take the server down.
                                Log.RequestFailed(_logger, e);
                            }

                            break;
                        default:
                            if (_sessions.TryGetValue(data & ~TagMask, out var session))
                            {
                                try
                                {
                                    DrainSession(session);
                                }
                                catch (Exception e) when (e is not OutOfMemoryException)
                                {
                                    FailSession(session, e);
                                }
                            }

                            break;
                    }
                }

                while (_lookupsDone.TryDequeue(out var done))
                {
                    _lookupsRunning.TryRemove(done.Session.Id, out _);
                    CompleteLookupGuarded(done.Session, done.Lookup, done.Error);
                }

                ExpireDeadlines();
            }
        }
        catch (Exception e)
        {
            failure = e;
            Log.LoopFailed(_logger, e);
        }
        finally
        {
            NativeMemory.Free(events);
            foreach (var session in _sessions.Values.ToList())
            {
                session.Transfer?.Abort("server stopping");
                EndSession(session, TftpRequestOutcome.Failed, "server stopping");
            }

            if (failure is null)
            {
                _loopDone.TrySetResult();
            }
            else
            {
                _loopDone.TrySetException(failure);
            }
        }
    }

    // ---------------------------------------------------------------- requests

    private unsafe void DrainListener(TftpListener listener)
    {
        fixed (byte* buffer = _receiveBuffer)
        fixed (byte* control = _controlBuffer)
        fixed (byte* address = _addressBuffer)
        {
            // Bounded so one flooded listener cannot starve the transfers.
            for (var budget = 0; budget < 256; budget++)
            {
                var iov = new LinuxNative.IoVec { Base = buffer, Length = ReceiveBufferLength };
                var msg = new LinuxNative.MsgHdr
                {
                    Name = address,
                    NameLength = SocketAddressBytes.Capacity,
                    Iov = &iov,
                    IovLength = 1,
                    Control = control,
                    ControlLength = _controlBuffer.Length,
                };
                var n = (int)LinuxNative.recvmsg(listener.Fd, &msg, LinuxNative.MSG_DONTWAIT);
                if (n < 0)
                {
                    return;
                }

                var local = listener.Wildcard ? listener.DestinationOf(control, (int)msg.ControlLength) : listener.EndPoint.Address;
                OnDatagram(listener, new ReadOnlySpan<byte>(buffer, n), new ReadOnlySpan<byte>(address, msg.NameLength), local);
            }
        }
    }

    private void OnDatagram(TftpListener listener, ReadOnlySpan<byte> packet, ReadOnlySpan<byte> sockaddr, IPAddress local)
    {
        var key = SocketAddressBytes.KeyOf(sockaddr);
        var client = SocketAddressBytes.ToEndPoint(sockaddr);
        var load = new TftpAdmissionLoad(_byClient.ContainsKey(key), _byClient.Count, _perAddress.GetValueOrDefault(key.Address));
        var admission = TftpAdmission.Decide(packet, client.Address, load, _options);
        if (admission.CountsAsRequest)
        {
            Interlocked.Increment(ref Counters.RequestsValue);
        }

        var start = Now;
        var localEndPoint = new IPEndPoint(local, listener.EndPoint.Port);
        switch (admission.Reason)
        {
            case TftpAdmissionReason.NotARequest:
                Interlocked.Increment(ref Counters.MalformedValue);
                return;
            case TftpAdmissionReason.WrongOpcode:
                Interlocked.Increment(ref Counters.MalformedValue);
                Log.MalformedDatagram(_logger, client, admission.Detail);
                break;
            case TftpAdmissionReason.Duplicate:
                Interlocked.Increment(ref Counters.DuplicateRequestsValue);
                return;
        }

        if (admission.ReplyCode is { } code)
        {
            listener.SendError(_sendBuffer, sockaddr, local, code, admission.ReplyMessage);
        }

        if (admission.Outcome is { } outcome)
        {
            Report(client, localEndPoint, admission.Request?.FileName ?? "", outcome, admission.Detail, null, admission.Request?.Options ?? [], [], 0, start, 0);
        }

        if (!admission.IsAdmitted)
        {
            return;
        }

        var session = new TftpSession(_nextSessionId++, listener, key, client, localEndPoint, admission.Request!, start);
        sockaddr.CopyTo(session.ClientAddress.Bytes);
        session.ClientAddress.Length = sockaddr.Length;
        _byClient[key] = session;
        _perAddress[key.Address] = load.TransfersFromAddress + 1;
        Interlocked.Increment(ref Counters.ActiveValue);
        Lookup(session, new TftpFileRequest(admission.Path!, client, localEndPoint));
    }

    private void CloseAll()
    {
        foreach (var listener in _listeners)
        {
            listener.Socket.Dispose();
        }

        _listeners.Clear();
        _epoll?.Dispose();
    }
}
