using System.Net;
using System.Net.Sockets;
using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Protocol;
using AsteriskCiscoBridge.Tftp.Transfer;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Tftp.Server;

// The transfer half of the event loop: an admitted request's lookup, the checks that can only be made
// once the content is known (netascii size, memory budget, options), the transfer socket, then every
// packet and timeout of the transfer until it ends and is reported. Runs on the loop thread only.
// Kept as one piece (a little over 400 lines): each step hands the same session to the next, and the
// end of every path is the one EndSession that releases what the session holds and reports it.
public sealed partial class TftpServer
{
    private void Lookup(TftpSession session, TftpFileRequest request)
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

    private async Task ContinueLookupAsync(TftpSession session, ValueTask<TftpLookup> pending)
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
    private void CompleteLookupGuarded(TftpSession session, TftpLookup lookup, Exception? error)
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

    private void FailSession(TftpSession session, Exception e)
    {
        Log.RequestFailed(_logger, e);
        session.Transfer?.Abort($"internal error: {e.Message}");
        EndSession(session, TftpRequestOutcome.Failed, $"internal error: {e.Message}");
    }

    private void CompleteLookup(TftpSession session, TftpLookup lookup, Exception? error)
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
            listener.SendError(_sendBuffer, sockaddr, local, TftpErrorCode.NotDefined, "server error");
            EndSession(session, TftpRequestOutcome.Failed, $"file source failed: {error.Message}");
            return;
        }

        switch (lookup.Status)
        {
            case TftpLookupStatus.NotHere:
                listener.SendError(_sendBuffer, sockaddr, local, TftpErrorCode.FileNotFound, "file not found");
                EndSession(session, TftpRequestOutcome.NotFound, "no file source has it");
                return;
            case TftpLookupStatus.NotFound:
                session.Source = lookup.Source;
                listener.SendError(_sendBuffer, sockaddr, local, TftpErrorCode.FileNotFound, "file not found");
                EndSession(session, TftpRequestOutcome.NotFound, lookup.Reason ?? "not found");
                return;
            case TftpLookupStatus.Denied:
                session.Source = lookup.Source;
                listener.SendError(_sendBuffer, sockaddr, local, TftpErrorCode.AccessViolation, "access violation");
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
            listener.SendError(_sendBuffer, sockaddr, local, TftpErrorCode.NotDefined, "file too large for netascii, use octet");
            EndSession(session, TftpRequestOutcome.Denied, $"netascii refused for {content.Length} bytes (limit {_options.MaxNetasciiBytes})");
            return;
        }

        // Memory a transfer keeps of its own is charged to one budget: hundreds of phones that stop
        // acknowledging cannot grow the process past it. Shared and streamed content costs nothing.
        // Known before any reading, so a refusal costs no work.
        var charge = netascii ? NetasciiContent.BufferedBytesFor(content) : content.BufferedBytes;
        if (!_memory.Fits(charge))
        {
            content.Dispose();
            if (_memory.Refused(Now, out var refused))
            {
                Log.MemoryBudgetUsedUp(_logger, _memory.Limit, refused, (long)TransferMemoryBudget.ReportInterval.TotalSeconds);
            }

            listener.SendError(_sendBuffer, sockaddr, local, TftpErrorCode.NotDefined, "server memory for transfers is used up, try again");
            EndSession(session, TftpRequestOutcome.Busy, $"memory budget: {charge} bytes needed, {_memory.InUse} of {_memory.Limit} in use by other transfers");
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
                listener.SendError(_sendBuffer, sockaddr, local, TftpErrorCode.NotDefined, "read error");
                EndSession(session, TftpRequestOutcome.Failed, e.Message);
                return;
            }
        }

        session.Charge = charge;
        _memory.Charge(charge);

        session.Content = content;
        if (!TftpNegotiation.TryNegotiate(session.Request.Options, _limits, content.Length, out var parameters, out var optionRefusal))
        {
            listener.SendError(_sendBuffer, sockaddr, local, TftpErrorCode.OptionRefused, optionRefusal!);
            EndSession(session, TftpRequestOutcome.OptionRefused, optionRefusal!);
            return;
        }

        if (!OpenTransferSocket(session, out var socketError))
        {
            listener.SendError(_sendBuffer, sockaddr, local, TftpErrorCode.NotDefined, "server busy, try again");
            EndSession(session, TftpRequestOutcome.Busy, socketError);
            return;
        }

        session.Transfer = new TftpTransfer(content, parameters, _retry);
        Apply(session, session.Transfer.Start(Now));
    }

    private bool OpenTransferSocket(TftpSession session, out string error)
    {
        error = string.Empty;
        var local = session.Local.Address;
        var tries = _ports.Attempts;
        for (var attempt = 0; attempt < tries; attempt++)
        {
            var port = _ports.Next();
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
                _epoll!.Add(session.Fd, SessionTag | session.Id);
                return true;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt + 1 < tries)
            {
                socket.Dispose();
            }
            catch (SocketException e)
            {
                socket.Dispose();
                error = _ports.Exhausted(e.Message);
                Log.NoTransferSocket(_logger, local, e.Message);
                return false;
            }
        }

        error = _ports.Exhausted(null);
        Log.NoTransferSocket(_logger, local, error);
        return false;
    }

    // ---------------------------------------------------------------- transfers

    private unsafe void DrainSession(TftpSession session)
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

    private unsafe void OnStranger(TftpSession session, ReadOnlySpan<byte> from)
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

    private void Apply(TftpSession session, TftpStep step)
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

        _deadlines.Schedule(session, step.Deadline);
    }

    private unsafe void SendToClient(TftpSession session, int length)
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
        while (_deadlines.TryTakeDue(now, out var session))
        {
            try
            {
                Apply(session, session.Transfer!.OnTimeout(now));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                FailSession(session, e);
            }
        }

        var next = _deadlines.NextDue;
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

    private unsafe void EndSession(TftpSession session, TftpRequestOutcome outcome, string detail)
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
            _epoll!.Remove(session.Fd);
            session.Socket.Dispose();
        }

        session.Content?.Dispose();
        _memory.Release(session.Charge);
        session.Charge = 0;
        var transfer = session.Transfer;
        var bytes = outcome == TftpRequestOutcome.Served ? session.Content!.Length : transfer?.BytesAcknowledged ?? 0;
        Report(session.Client, session.Local, session.Request.FileName, outcome, detail, session.Source, session.Request.Options,
            transfer?.Parameters.Acknowledged ?? [], bytes, session.Start, transfer?.Retransmits ?? 0);
    }

    private void Report(IPEndPoint client, IPEndPoint local, string fileName, TftpRequestOutcome outcome, string detail, string? source,
        IReadOnlyList<TftpOption> requested, IReadOnlyList<TftpOption> granted, long bytes, TimeSpan start, int retransmits)
    {
        var duration = Now - start;
        Counters.CountEnded(outcome, bytes, retransmits);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            Log.RequestEnded(_logger, client, fileName, outcome, detail, bytes, (long)duration.TotalMilliseconds, retransmits);
        }

        _events.Writer.TryWrite(new TftpRequestEvent(_time.GetUtcNow(), client, local, fileName, outcome, detail, source, requested, granted, bytes, duration, retransmits));
    }
}
