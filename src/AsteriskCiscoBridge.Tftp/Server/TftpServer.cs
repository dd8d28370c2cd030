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
public sealed class TftpServer : IAsyncDisposable
{
    private const ulong WakeTag = 0;
    private const ulong ListenerTag = 1UL << 62;
    private const ulong SessionTag = 2UL << 62;
    private const ulong TagMask = 3UL << 62;
    private const int MaxEvents = 256;
    private const int ReceiveBufferLength = 2048;
    private static readonly TimeSpan MemoryReportInterval = TimeSpan.FromMinutes(1);

    private readonly TftpServerOptions _options;
    private readonly ITftpFileSource _files;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<TftpRequestEvent> _events;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _loopDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Listener> _listeners = [];
    private readonly Dictionary<ulong, Session> _sessions = [];
    private readonly Dictionary<ClientKey, Session> _byClient = [];
    private readonly Dictionary<AddressKey, int> _perAddress = [];
    private readonly PriorityQueue<Session, TimeSpan> _deadlines = new();
    private readonly ConcurrentQueue<(Session Session, TftpLookup Lookup, Exception? Error)> _lookupsDone = new();
    private readonly ConcurrentDictionary<ulong, Task> _lookupsRunning = new();
    private readonly long _startTimestamp;
    private readonly byte[] _sendBuffer = GC.AllocateArray<byte>(65536 + 4, pinned: true);
    private readonly byte[] _receiveBuffer = GC.AllocateArray<byte>(ReceiveBufferLength, pinned: true);
    private readonly byte[] _controlBuffer = GC.AllocateArray<byte>(128, pinned: true);
    private readonly byte[] _addressBuffer = GC.AllocateArray<byte>(SocketAddressBytes.Capacity, pinned: true);
    private readonly TftpNegotiationLimits _limits;
    private readonly TftpRetryPolicy _retry;
    private int _epoll = -1;
    private int _wake = -1;
    private ITimer? _timer;
    private TimeSpan _armedDeadline = TimeSpan.MaxValue;
    private ulong _nextSessionId = 1;
    private int _nextPort;
    private long _bufferedBytes;
    private long _memoryRefusalsUnreported;
    private TimeSpan? _memoryReportedAt;
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
        _nextPort = options.PortRangeStart ?? 0;
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

        _epoll = LinuxNative.epoll_create1(LinuxNative.EPOLL_CLOEXEC);
        _wake = LinuxNative.eventfd(0, LinuxNative.EFD_NONBLOCK | LinuxNative.EFD_CLOEXEC);
        if (_epoll < 0 || _wake < 0)
        {
            throw new IOException($"epoll/eventfd failed (errno {Marshal.GetLastPInvokeError()})");
        }

        Register(_wake, WakeTag);
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

                var listener = Bind(endPoint);
                _listeners.Add(listener);
                Register(listener.Fd, ListenerTag | (uint)(_listeners.Count - 1));
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

    private Listener Bind(IPEndPoint endPoint)
    {
        Socket socket;
        try
        {
            socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        }
        catch (SocketException e)
        {
            throw new TftpListenException(endPoint, e);
        }

        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // [::]:69 and 0.0.0.0:69 are separate listeners, so v6 sockets stay v6 only.
                socket.DualMode = false;
            }

            var wildcard = endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any);
            if (wildcard)
            {
                // The destination address of each request, so transfers answer from it.
                socket.SetSocketOption(
                    endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP,
                    SocketOptionName.PacketInformation,
                    true);
            }

            socket.Bind(endPoint);
            socket.Blocking = false;
            var fd = (int)socket.Handle;
            SetReceiveBuffer(fd, (IPEndPoint)socket.LocalEndPoint!);
            return new Listener(socket, fd, (IPEndPoint)socket.LocalEndPoint!, wildcard);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new TftpListenException(endPoint, e);
        }
    }

    private unsafe void SetReceiveBuffer(int fd, IPEndPoint endPoint)
    {
        var wanted = _options.ReceiveBufferBytes;

        // SO_RCVBUFFORCE (with CAP_NET_ADMIN) passes net.core.rmem_max; otherwise the kernel caps SO_RCVBUF.
        if (LinuxNative.setsockopt(fd, LinuxNative.SOL_SOCKET, LinuxNative.SO_RCVBUFFORCE, &wanted, sizeof(int)) != 0)
        {
            LinuxNative.setsockopt(fd, LinuxNative.SOL_SOCKET, LinuxNative.SO_RCVBUF, &wanted, sizeof(int));
            // The kernel reports twice what it books for data (socket(7)).
            var actual = 0;
            var size = sizeof(int);
            LinuxNative.getsockopt(fd, LinuxNative.SOL_SOCKET, LinuxNative.SO_RCVBUF, &actual, &size);
            actual /= 2;
            if (actual < wanted)
            {
                Log.SmallReceiveBuffer(_logger, endPoint, actual, wanted);
            }
        }
    }

    private unsafe void Register(int fd, ulong tag)
    {
        var ev = stackalloc byte[16];
        LinuxNative.WriteEpollEvent(ev, LinuxNative.EPOLLIN, tag);
        if (LinuxNative.epoll_ctl(_epoll, LinuxNative.EPOLL_CTL_ADD, fd, ev) != 0)
        {
            throw new IOException($"epoll_ctl failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    private unsafe void Wake()
    {
        var fd = _wake;
        if (fd < 0)
        {
            return;
        }

        ulong one = 1;
        LinuxNative.write(fd, (byte*)&one, sizeof(ulong));
    }

    private unsafe void RunLoop()
    {
        var events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * LinuxNative.EpollEventSize));
        Exception? failure = null;
        try
        {
            while (!_stop)
            {
                var n = LinuxNative.epoll_wait(_epoll, events, MaxEvents, -1);
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == LinuxNative.EINTR)
                    {
                        continue;
                    }

                    throw new IOException($"epoll_wait failed (errno {Marshal.GetLastPInvokeError()})");
                }

                for (var i = 0; i < n && !_stop; i++)
                {
                    var (_, data) = LinuxNative.ReadEpollEvent(events, i);
                    switch (data & TagMask)
                    {
                        case WakeTag:
                            ulong value;
                            LinuxNative.read(_wake, (byte*)&value, sizeof(ulong));
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

    private unsafe void DrainListener(Listener listener)
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

                var local = listener.Wildcard ? DestinationOf(control, (int)msg.ControlLength, listener.EndPoint) : listener.EndPoint.Address;
                OnDatagram(listener, new ReadOnlySpan<byte>(buffer, n), new ReadOnlySpan<byte>(address, msg.NameLength), local);
            }
        }
    }

    private static unsafe IPAddress DestinationOf(byte* control, int length, IPEndPoint fallback)
    {
        var offset = 0;
        while (offset + 16 <= length)
        {
            var cmsgLength = (int)*(nint*)(control + offset);
            var level = *(int*)(control + offset + 8);
            var type = *(int*)(control + offset + 12);
            var data = control + offset + 16;
            if (level == 0 && type == 8 && cmsgLength >= 28)
            {
                // struct in_pktinfo { int ifindex; in_addr spec_dst; in_addr addr; }: the header's destination.
                var address = new IPAddress(new ReadOnlySpan<byte>(data + 8, 4));
                var b0 = data[8];
                return b0 >= 224 || address.Equals(IPAddress.Broadcast) ? new IPAddress(new ReadOnlySpan<byte>(data + 4, 4)) : address;
            }

            if (level == 41 && type == 50 && cmsgLength >= 36)
            {
                // struct in6_pktinfo { in6_addr addr; int ifindex; }
                var ifindex = *(int*)(data + 16);
                var address = new IPAddress(new ReadOnlySpan<byte>(data, 16));
                return address.IsIPv6LinkLocal ? new IPAddress(new ReadOnlySpan<byte>(data, 16), ifindex) : address;
            }

            if (cmsgLength <= 0)
            {
                break;
            }

            offset += (cmsgLength + 7) & ~7;
        }

        return fallback.Address;
    }

    private void OnDatagram(Listener listener, ReadOnlySpan<byte> packet, ReadOnlySpan<byte> sockaddr, IPAddress local)
    {
        var opcode = TftpPacketCodec.ReadOpcode(packet);
        if (opcode is null or TftpOpcode.Error)
        {
            // Too short to answer meaningfully, or an error: errors are never answered (RFC 1350).
            Interlocked.Increment(ref Counters.MalformedValue);
            return;
        }

        var client = SocketAddressBytes.ToEndPoint(sockaddr);
        var localEndPoint = new IPEndPoint(local, listener.EndPoint.Port);
        if (opcode is not (TftpOpcode.ReadRequest or TftpOpcode.WriteRequest))
        {
            Interlocked.Increment(ref Counters.MalformedValue);
            Log.MalformedDatagram(_logger, client, $"opcode {(ushort)opcode} on the request port");
            ReplyError(listener, sockaddr, local, TftpErrorCode.IllegalOperation, "only read requests are accepted here");
            return;
        }

        Interlocked.Increment(ref Counters.RequestsValue);
        var start = Now;
        if (!TftpPacketCodec.TryParseRequest(packet, out var request, out var malformed))
        {
            ReplyError(listener, sockaddr, local, malformed!.Error, malformed.Reason);
            Report(client, localEndPoint, "", TftpRequestOutcome.Malformed, $"{malformed.Reason} at byte {malformed.Position}", null, [], [], 0, start, 0);
            return;
        }

        if (!IsAllowed(client.Address))
        {
            if (_options.AnswerDeniedClients)
            {
                ReplyError(listener, sockaddr, local, TftpErrorCode.AccessViolation, "access denied");
            }

            Report(client, localEndPoint, request!.FileName, TftpRequestOutcome.Denied, "client address is not in the allowed networks", null, request.Options, [], 0, start, 0);
            return;
        }

        if (request!.Opcode == TftpOpcode.WriteRequest)
        {
            ReplyError(listener, sockaddr, local, TftpErrorCode.AccessViolation, "this server is read-only");
            Report(client, localEndPoint, request.FileName, TftpRequestOutcome.Denied, "write request to a read-only server", null, request.Options, [], 0, start, 0);
            return;
        }

        var key = SocketAddressBytes.KeyOf(sockaddr);
        if (_byClient.ContainsKey(key))
        {
            // The same client TID asked again (its RRQ timer fired before our answer arrived):
            // the transfer under way already answers it; a second one would double the stream.
            Interlocked.Increment(ref Counters.DuplicateRequestsValue);
            return;
        }

        if (_byClient.Count >= _options.MaxTransfers)
        {
            ReplyError(listener, sockaddr, local, TftpErrorCode.NotDefined, "server busy, try again");
            Report(client, localEndPoint, request.FileName, TftpRequestOutcome.Busy, $"{_options.MaxTransfers} transfers already running", null, request.Options, [], 0, start, 0);
            return;
        }

        var addressKey = key.Address;
        var perAddress = _perAddress.GetValueOrDefault(addressKey);
        if (perAddress >= _options.MaxTransfersPerClient)
        {
            ReplyError(listener, sockaddr, local, TftpErrorCode.NotDefined, "too many transfers from this address");
            Report(client, localEndPoint, request.FileName, TftpRequestOutcome.Busy, $"{perAddress} transfers already running for this address", null, request.Options, [], 0, start, 0);
            return;
        }

        var path = TftpPath.Normalize(request.FileName, out var refusal);
        if (path is null)
        {
            ReplyError(listener, sockaddr, local, TftpErrorCode.AccessViolation, "access violation");
            Report(client, localEndPoint, request.FileName, TftpRequestOutcome.Denied, $"name refused: {refusal}", null, request.Options, [], 0, start, 0);
            return;
        }

        var session = new Session(_nextSessionId++, listener, key, client, localEndPoint, request, start);
        sockaddr.CopyTo(session.ClientAddress.Bytes);
        session.ClientAddress.Length = sockaddr.Length;
        _byClient[key] = session;
        _perAddress[addressKey] = perAddress + 1;
        Interlocked.Increment(ref Counters.ActiveValue);
        Lookup(session, new TftpFileRequest(path, client, localEndPoint));
    }

    private bool IsAllowed(IPAddress address)
    {
        if (_options.AllowedNetworks.Count == 0)
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _options.AllowedNetworks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private void Lookup(Session session, TftpFileRequest request)
    {
        ValueTask<TftpLookup> pending;
        try
        {
            pending = _files.LookupAsync(request, _stopping.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CompleteLookupGuarded(session, default, e);
            return;
        }

        // Also true for an asynchronous lookup that finished before this check.
        if (pending.IsCompletedSuccessfully)
        {
            CompleteLookupGuarded(session, pending.Result, null);
            return;
        }

        // A source that needs real I/O: finish the lookup off the loop, then come back to it.
        _lookupsRunning[session.Id] = ContinueLookupAsync(session, pending);
    }

    private async Task ContinueLookupAsync(Session session, ValueTask<TftpLookup> pending)
    {
        var result = TftpLookup.NotHere;
        Exception? error = null;
        try
        {
            result = await pending;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error = e;
        }

        _lookupsDone.Enqueue((session, result, error));
        Wake();
    }

    // A bug met while starting one transfer (a content that throws, say) ends that transfer, not the loop.
    private void CompleteLookupGuarded(Session session, TftpLookup lookup, Exception? error)
    {
        try
        {
            CompleteLookup(session, lookup, error);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            FailSession(session, e);
        }
    }

    private void FailSession(Session session, Exception e)
    {
        Log.RequestFailed(_logger, e);
        session.Transfer?.Abort($"internal error: {e.Message}");
        EndSession(session, TftpRequestOutcome.Failed, $"internal error: {e.Message}");
    }

    private void CompleteLookup(Session session, TftpLookup lookup, Exception? error)
    {
        if (_stop)
        {
            lookup.Content?.Dispose();
            return;
        }

        var listener = session.Listener;
        var sockaddr = session.ClientAddress.Bytes.AsSpan(0, session.ClientAddress.Length);
        var local = session.Local.Address;
        if (error is not null)
        {
            Log.SourceFailed(_logger, session.Request.FileName, error);
            ReplyError(listener, sockaddr, local, TftpErrorCode.NotDefined, "server error");
            EndSession(session, TftpRequestOutcome.Failed, $"file source failed: {error.Message}");
            return;
        }

        switch (lookup.Status)
        {
            case TftpLookupStatus.NotHere:
                ReplyError(listener, sockaddr, local, TftpErrorCode.FileNotFound, "file not found");
                EndSession(session, TftpRequestOutcome.NotFound, "no file source has it");
                return;
            case TftpLookupStatus.NotFound:
                session.Source = lookup.Source;
                ReplyError(listener, sockaddr, local, TftpErrorCode.FileNotFound, "file not found");
                EndSession(session, TftpRequestOutcome.NotFound, lookup.Reason ?? "not found");
                return;
            case TftpLookupStatus.Denied:
                session.Source = lookup.Source;
                ReplyError(listener, sockaddr, local, TftpErrorCode.AccessViolation, "access violation");
                EndSession(session, TftpRequestOutcome.Denied, lookup.Reason ?? "denied");
                return;
        }

        var content = lookup.Content!;
        session.Source = lookup.Source;
        session.Description = content.Description;
        var netascii = session.Request.Mode == TftpMode.Netascii;
        if (netascii && content.Length > _options.MaxNetasciiBytes)
        {
            content.Dispose();
            ReplyError(listener, sockaddr, local, TftpErrorCode.NotDefined, "file too large for netascii, use octet");
            EndSession(session, TftpRequestOutcome.Denied, $"netascii refused for {content.Length} bytes (limit {_options.MaxNetasciiBytes})");
            return;
        }

        // Memory a transfer keeps of its own is charged to one budget: hundreds of phones that stop
        // acknowledging cannot grow the process past it. Shared and streamed content costs nothing.
        // Known before any reading, so a refusal costs no work.
        var charge = netascii ? NetasciiContent.BufferedBytesFor(content) : content.BufferedBytes;
        if (charge > 0 && _bufferedBytes + charge > _options.MaxBufferedBytes)
        {
            content.Dispose();
            OnMemoryRefusal();
            ReplyError(listener, sockaddr, local, TftpErrorCode.NotDefined, "server memory for transfers is used up, try again");
            EndSession(session, TftpRequestOutcome.Busy, $"memory budget: {charge} bytes needed, {_bufferedBytes} of {_options.MaxBufferedBytes} in use by other transfers");
            return;
        }

        if (netascii)
        {
            try
            {
                // Converted block by block as the transfer reads it: no converted copy is kept.
                content = NetasciiContent.Open(content);
            }
            catch (IOException e)
            {
                content.Dispose();
                ReplyError(listener, sockaddr, local, TftpErrorCode.NotDefined, "read error");
                EndSession(session, TftpRequestOutcome.Failed, e.Message);
                return;
            }
        }

        session.Charge = charge;
        _bufferedBytes += charge;
        Volatile.Write(ref Counters.BufferedBytesValue, _bufferedBytes);
        if (_bufferedBytes > Counters.BufferedBytesPeak)
        {
            Volatile.Write(ref Counters.BufferedBytesPeakValue, _bufferedBytes);
        }

        session.Content = content;
        if (!TftpNegotiation.TryNegotiate(session.Request.Options, _limits, content.Length, out var parameters, out var optionRefusal))
        {
            ReplyError(listener, sockaddr, local, TftpErrorCode.OptionRefused, optionRefusal!);
            EndSession(session, TftpRequestOutcome.OptionRefused, optionRefusal!);
            return;
        }

        if (!OpenTransferSocket(session, out var socketError))
        {
            ReplyError(listener, sockaddr, local, TftpErrorCode.NotDefined, "server busy, try again");
            EndSession(session, TftpRequestOutcome.Busy, socketError);
            return;
        }

        session.Transfer = new TftpTransfer(content, parameters, _retry);
        Apply(session, session.Transfer.Start(Now));
    }

    private bool OpenTransferSocket(Session session, out string error)
    {
        error = string.Empty;
        var local = session.Local.Address;
        var tries = _options.PortRangeStart is { } first ? _options.PortRangeEnd!.Value - first + 1 : 1;
        for (var attempt = 0; attempt < tries; attempt++)
        {
            var port = 0;
            if (_options.PortRangeStart is { } start)
            {
                port = _nextPort;
                _nextPort = _nextPort >= _options.PortRangeEnd!.Value ? start : _nextPort + 1;
            }

            var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                if (local.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    socket.DualMode = false;
                }

                socket.Bind(new IPEndPoint(local, port));
                socket.Blocking = false;
                session.Socket = socket;
                session.Fd = (int)socket.Handle;
                _sessions[session.Id] = session;
                Register(session.Fd, SessionTag | session.Id);
                return true;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt + 1 < tries)
            {
                socket.Dispose();
            }
            catch (SocketException e)
            {
                socket.Dispose();
                error = _options.PortRangeStart is null ? $"no transfer socket: {e.Message}" : $"no free port in {_options.PortRangeStart}–{_options.PortRangeEnd}: {e.Message}";
                Log.NoTransferSocket(_logger, local, e.Message);
                return false;
            }
        }

        error = $"no free port in {_options.PortRangeStart}–{_options.PortRangeEnd}";
        Log.NoTransferSocket(_logger, local, error);
        return false;
    }

    // ---------------------------------------------------------------- transfers

    private unsafe void DrainSession(Session session)
    {
        // One datagram per readiness: a transfer socket holds one ACK at a time in lock-step,
        // and epoll is level-triggered, so anything left is reported again. Not draining to
        // EAGAIN saves a system call on every packet.
        fixed (byte* buffer = _receiveBuffer)
        fixed (byte* address = _addressBuffer)
        {
            var addressLength = SocketAddressBytes.Capacity;
            var n = (int)LinuxNative.recvfrom(session.Fd, buffer, ReceiveBufferLength, LinuxNative.MSG_DONTWAIT, address, &addressLength);
            if (n < 0)
            {
                return;
            }

            var from = new ReadOnlySpan<byte>(address, addressLength);
            var packet = new ReadOnlySpan<byte>(buffer, n);
            if (SocketAddressBytes.KeyOf(from) != session.Key)
            {
                OnStranger(session, from);
            }
            else if (TftpPacketCodec.TryParseAck(packet, out var block))
            {
                Apply(session, session.Transfer!.OnAck(block, Now));
            }
            else if (TftpPacketCodec.TryParseError(packet, out var code, out var message))
            {
                session.Transfer!.OnClientError(code, message);
                EndSession(session, TftpRequestOutcome.Failed, session.Transfer.FailureReason!);
            }

            // Anything else from our client (DATA, a repeated RRQ to this port) is ignored:
            // the transfer goes on and its timer covers real loss.
        }
    }

    private unsafe void OnStranger(Session session, ReadOnlySpan<byte> from)
    {
        Interlocked.Increment(ref Counters.StrangerPacketsValue);

        // RFC 1350 §4: a packet from another port of the same host gets error 5 and the
        // transfer goes on. Another host is ignored: we do not reflect traffic at third parties.
        if (SocketAddressBytes.KeyOf(from).Address != session.Key.Address)
        {
            return;
        }

        fixed (byte* send = _sendBuffer)
        fixed (byte* to = from)
        {
            var length = TftpPacketCodec.WriteError(_sendBuffer, TftpErrorCode.UnknownTransferId, "unknown transfer ID");
            LinuxNative.sendto(session.Fd, send, length, 0, to, from.Length);
        }
    }

    private void Apply(Session session, TftpStep step)
    {
        if (session.Ended)
        {
            return;
        }

        var transfer = session.Transfer!;
        try
        {
            if (step.SendOptionAck)
            {
                var length = TftpPacketCodec.WriteOptionAck(_sendBuffer, transfer.Parameters.Acknowledged);
                SendToClient(session, length);
            }

            for (var i = 0; i < step.Count; i++)
            {
                var length = transfer.WriteData(step.FirstBlock + i, _sendBuffer);
                SendToClient(session, length);
            }
        }
        catch (IOException e)
        {
            // The content could not honour its snapshot (a streamed file changed): stop rather than tear.
            transfer.Abort(e.Message);
            var length = TftpPacketCodec.WriteError(_sendBuffer, TftpErrorCode.NotDefined, "file changed during transfer");
            SendToClient(session, length);
            EndSession(session, TftpRequestOutcome.Failed, e.Message);
            return;
        }

        switch (step.Status)
        {
            case TftpTransferStatus.Completed:
                EndSession(session, TftpRequestOutcome.Served, $"served {session.Description}");
                return;
            case TftpTransferStatus.Failed:
                EndSession(session, TftpRequestOutcome.Failed, transfer.FailureReason ?? "failed");
                return;
        }

        session.Deadline = step.Deadline;
        if (step.Deadline < session.QueuedDeadline)
        {
            session.QueuedDeadline = step.Deadline;
            _deadlines.Enqueue(session, step.Deadline);
        }
    }

    private unsafe void SendToClient(Session session, int length)
    {
        fixed (byte* send = _sendBuffer)
        fixed (byte* to = session.ClientAddress.Bytes)
        {
            // A full socket buffer or an ICMP error loses this datagram like the network could:
            // the retransmission timer recovers, so the result is not checked.
            LinuxNative.sendto(session.Fd, send, length, 0, to, session.ClientAddress.Length);
        }
    }

    private void ExpireDeadlines()
    {
        var now = Now;
        while (_deadlines.TryPeek(out var session, out var due) && due <= now)
        {
            _deadlines.Dequeue();
            if (session.Ended || due != session.QueuedDeadline)
            {
                continue;
            }

            session.QueuedDeadline = TimeSpan.MaxValue;
            if (session.Deadline > now)
            {
                // An ACK moved the deadline on since this entry was queued: queue it again (one
                // entry per session, instead of one per packet).
                session.QueuedDeadline = session.Deadline;
                _deadlines.Enqueue(session, session.Deadline);
                continue;
            }

            try
            {
                Apply(session, session.Transfer!.OnTimeout(now));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                FailSession(session, e);
            }
        }

        var next = _deadlines.TryPeek(out _, out var nextDue) ? nextDue : TimeSpan.MaxValue;
        if (next != _armedDeadline)
        {
            _armedDeadline = next;
            // The delay is measured from the clock as it is now, not from `now` above: time may
            // have moved while this round sent its packets.
            _timer!.Change(next == TimeSpan.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(Math.Max(0, (next - Now).Ticks)), Timeout.InfiniteTimeSpan);

            // If the clock passed the deadline while the timer was being armed, the timer counts
            // from too late: wake the loop now instead.
            if (next != TimeSpan.MaxValue && Now >= next)
            {
                Wake();
            }
        }
    }

    private unsafe void EndSession(Session session, TftpRequestOutcome outcome, string detail)
    {
        if (session.Ended)
        {
            return;
        }

        session.Ended = true;
        _byClient.Remove(session.Key);
        var addressKey = session.Key.Address;
        if (_perAddress.TryGetValue(addressKey, out var count))
        {
            if (count <= 1)
            {
                _perAddress.Remove(addressKey);
            }
            else
            {
                _perAddress[addressKey] = count - 1;
            }
        }

        Interlocked.Decrement(ref Counters.ActiveValue);
        if (session.Socket is not null)
        {
            _sessions.Remove(session.Id);
            LinuxNative.epoll_ctl(_epoll, LinuxNative.EPOLL_CTL_DEL, session.Fd, null);
            session.Socket.Dispose();
        }

        session.Content?.Dispose();
        _bufferedBytes -= session.Charge;
        session.Charge = 0;
        Volatile.Write(ref Counters.BufferedBytesValue, _bufferedBytes);
        var transfer = session.Transfer;
        var bytes = outcome == TftpRequestOutcome.Served ? session.Content!.Length : transfer?.BytesAcknowledged ?? 0;
        Report(session.Client, session.Local, session.Request.FileName, outcome, detail, session.Source, session.Request.Options,
            transfer?.Parameters.Acknowledged ?? [], bytes, session.Start, transfer?.Retransmits ?? 0);
    }

    private void OnMemoryRefusal()
    {
        Interlocked.Increment(ref Counters.MemoryRefusalsValue);
        _memoryRefusalsUnreported++;
        var now = Now;
        if (_memoryReportedAt is { } last && now - last < MemoryReportInterval)
        {
            return;
        }

        // One line per interval, however many requests a storm brings.
        Log.MemoryBudgetUsedUp(_logger, _options.MaxBufferedBytes, _memoryRefusalsUnreported, (long)MemoryReportInterval.TotalSeconds);
        _memoryReportedAt = now;
        _memoryRefusalsUnreported = 0;
    }

    private unsafe void ReplyError(Listener listener, ReadOnlySpan<byte> sockaddr, IPAddress local, TftpErrorCode code, string message)
    {
        var length = TftpPacketCodec.WriteError(_sendBuffer, code, message);
        fixed (byte* send = _sendBuffer)
        fixed (byte* to = sockaddr)
        {
            if (!listener.Wildcard)
            {
                LinuxNative.sendto(listener.Fd, send, length, 0, to, sockaddr.Length);
                return;
            }

            // From a wildcard listener, say which source address to use (IP_PKTINFO), so the
            // error leaves from the address the request was sent to.
            var control = stackalloc byte[40];
            new Span<byte>(control, 40).Clear();
            var iov = new LinuxNative.IoVec { Base = send, Length = length };
            var msg = new LinuxNative.MsgHdr { Name = to, NameLength = sockaddr.Length, Iov = &iov, IovLength = 1, Control = control };
            if (local.AddressFamily == AddressFamily.InterNetwork)
            {
                *(nint*)control = 16 + 12;
                *(int*)(control + 8) = 0;
                *(int*)(control + 12) = 8;
                local.TryWriteBytes(new Span<byte>(control + 16 + 4, 4), out _);
                msg.ControlLength = 32;
            }
            else
            {
                *(nint*)control = 16 + 20;
                *(int*)(control + 8) = 41;
                *(int*)(control + 12) = 50;
                local.TryWriteBytes(new Span<byte>(control + 16, 16), out _);
                msg.ControlLength = 40;
            }

            LinuxNative.sendmsg(listener.Fd, &msg, 0);
        }
    }

    private void Report(IPEndPoint client, IPEndPoint local, string fileName, TftpRequestOutcome outcome, string detail, string? source,
        IReadOnlyList<TftpOption> requested, IReadOnlyList<TftpOption> granted, long bytes, TimeSpan start, int retransmits)
    {
        var duration = Now - start;
        switch (outcome)
        {
            case TftpRequestOutcome.Served:
                Interlocked.Increment(ref Counters.ServedValue);
                Interlocked.Add(ref Counters.BytesValue, bytes);
                break;
            case TftpRequestOutcome.NotFound:
                Interlocked.Increment(ref Counters.NotFoundValue);
                break;
            case TftpRequestOutcome.Denied:
                Interlocked.Increment(ref Counters.DeniedValue);
                break;
            case TftpRequestOutcome.Malformed:
            case TftpRequestOutcome.OptionRefused:
                Interlocked.Increment(ref Counters.MalformedValue);
                break;
            case TftpRequestOutcome.Busy:
                Interlocked.Increment(ref Counters.BusyValue);
                break;
            default:
                Interlocked.Increment(ref Counters.FailedValue);
                break;
        }

        Interlocked.Add(ref Counters.RetransmitsValue, retransmits);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            Log.RequestEnded(_logger, client, fileName, outcome, detail, bytes, (long)duration.TotalMilliseconds, retransmits);
        }

        _events.Writer.TryWrite(new TftpRequestEvent(_time.GetUtcNow(), client, local, fileName, outcome, detail, source, requested, granted, bytes, duration, retransmits));
    }

    private void CloseAll()
    {
        foreach (var listener in _listeners)
        {
            listener.Socket.Dispose();
        }

        _listeners.Clear();
        if (_epoll >= 0)
        {
            LinuxNative.close(_epoll);
            _epoll = -1;
        }

        var wake = _wake;
        _wake = -1;
        if (wake >= 0)
        {
            LinuxNative.close(wake);
        }
    }

    private sealed record Listener(Socket Socket, int Fd, IPEndPoint EndPoint, bool Wildcard);

    private sealed class Session(ulong id, Listener listener, ClientKey key, IPEndPoint client, IPEndPoint local, TftpRequest request, TimeSpan start)
    {
        public ulong Id => id;

        public Listener Listener => listener;

        public ClientKey Key => key;

        public IPEndPoint Client => client;

        public IPEndPoint Local => local;

        public TftpRequest Request => request;

        public TimeSpan Start => start;

        public SocketAddressBytes ClientAddress { get; } = new();

        public Socket? Socket { get; set; }

        public int Fd { get; set; } = -1;

        public TftpTransfer? Transfer { get; set; }

        public TftpContent? Content { get; set; }

        public string? Source { get; set; }

        public string Description { get; set; } = string.Empty;

        /// <summary>Bytes charged to the memory budget for this transfer's content.</summary>
        public long Charge { get; set; }

        public TimeSpan Deadline { get; set; } = TimeSpan.MaxValue;

        public TimeSpan QueuedDeadline { get; set; } = TimeSpan.MaxValue;

        public bool Ended { get; set; }
    }
}
