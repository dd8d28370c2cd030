using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Protocol;

namespace AsteriskCiscoBridge.Tftp.Transfer;

/// <summary>Where a transfer stands after a step.</summary>
public enum TftpTransferStatus
{
    Running = 0,
    Completed = 1,
    Failed = 2,
}

/// <summary>How long to wait for an ACK and how often to retransmit before giving up.</summary>
/// <param name="InitialTimeout">First retransmission timeout (doubled after each retransmission up to <paramref name="MaxTimeout"/>).</param>
/// <param name="MaxRetransmits">Retransmissions of the same packet before the transfer fails.</param>
public sealed record TftpRetryPolicy(TimeSpan InitialTimeout, TimeSpan MaxTimeout, int MaxRetransmits)
{
    public static TftpRetryPolicy Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), 5);
}

/// <summary>
/// What the shell must do after an input: send the OACK (if <see cref="SendOptionAck"/>), then
/// DATA blocks <see cref="FirstBlock"/> … <see cref="FirstBlock"/> + <see cref="Count"/> − 1
/// (absolute block numbers, from 1; <see cref="TftpTransfer.WriteData"/> writes each one), and
/// call <see cref="TftpTransfer.OnTimeout"/> at <see cref="Deadline"/> unless an ACK comes first.
/// </summary>
public readonly record struct TftpStep(bool SendOptionAck, long FirstBlock, int Count, TimeSpan Deadline, TftpTransferStatus Status)
{
    public bool IsFinished => Status != TftpTransferStatus.Running;
}

/// <summary>
/// The sending side of one read transfer (RFC 1350, RFC 2347 OACK, RFC 7440 windows), as a pure
/// state machine: inputs are ACKs, client errors and the passing of time (<c>now</c> is a
/// parameter); outputs are steps saying what to send and when to wake up. No sockets, no clock.
/// </summary>
public sealed class TftpTransfer
{
    private readonly TftpContent _content;
    private readonly TftpRetryPolicy _retry;
    private readonly TimeSpan _initialTimeout;
    private readonly bool _fixedTimeout;
    private readonly long _lastBlock;
    private bool _awaitingOptionAck;
    private long _acked;
    private long _sentUpTo;
    private int _attempts;
    private TimeSpan _currentTimeout;
    private TimeSpan _deadline;

    public TftpTransfer(TftpContent content, TftpTransferParameters parameters, TftpRetryPolicy retry)
    {
        _content = content;
        Parameters = parameters;
        _retry = retry;

        // RFC 2349: a negotiated timeout is the interval the client expects; we keep it fixed.
        _fixedTimeout = parameters.Timeout is not null;
        _initialTimeout = parameters.Timeout ?? retry.InitialTimeout;

        // RFC 1350: the last DATA is shorter than the block size, so a file whose length is a
        // multiple of it ends with an empty block.
        _lastBlock = (content.Length / parameters.BlockSize) + 1;
    }

    public TftpTransferParameters Parameters { get; }

    /// <summary>Number of DATA blocks in the whole transfer, the final short (maybe empty) one included.</summary>
    public long TotalBlocks => _lastBlock;

    /// <summary>Packets sent again because an ACK did not come in time or a window had a gap.</summary>
    public int Retransmits { get; private set; }

    /// <summary>Why the transfer failed, when it did.</summary>
    public string? FailureReason { get; private set; }

    public TftpTransferStatus Status { get; private set; }

    /// <summary>Highest block the client has acknowledged (0 before the first).</summary>
    public long AcknowledgedBlocks => _acked;

    /// <summary>Content bytes the client has acknowledged.</summary>
    public long BytesAcknowledged => Math.Min(_acked * Parameters.BlockSize, _content.Length);

    /// <summary>Begins the transfer: the OACK when options were granted, else DATA 1 (RFC 2347 §2).</summary>
    public TftpStep Start(TimeSpan now)
    {
        _currentTimeout = _initialTimeout;
        _deadline = now + _currentTimeout;
        if (Parameters.Acknowledged.Count > 0)
        {
            _awaitingOptionAck = true;
            return new TftpStep(true, 0, 0, _deadline, Status);
        }

        return SendWindow(1, now);
    }

    /// <summary>
    /// An ACK arrived. A duplicate or stale ACK sends nothing (no Sorcerer's Apprentice);
    /// an ACK inside the window moves it and sends from the next block (RFC 7440 §4).
    /// </summary>
    public TftpStep OnAck(ushort wireBlock, TimeSpan now)
    {
        if (Status != TftpTransferStatus.Running)
        {
            return Idle();
        }

        if (_awaitingOptionAck)
        {
            if (wireBlock != 0)
            {
                return Idle();
            }

            _awaitingOptionAck = false;
            return SendWindow(1, now);
        }

        // Block numbers wrap at 65535 → 0; map the 16-bit number to the one absolute block in
        // (acked, sentUpTo] that it can mean. Anything else is old news.
        var distance = (ushort)(wireBlock - (ushort)_acked);
        if (distance == 0 || _acked + distance > _sentUpTo)
        {
            return Idle();
        }

        _acked += distance;
        if (_acked == _lastBlock)
        {
            Status = TftpTransferStatus.Completed;
            return new TftpStep(false, 0, 0, TimeSpan.MaxValue, Status);
        }

        var resend = _sentUpTo - _acked;
        if (resend > 0)
        {
            // The client acknowledged the middle of a window: it missed what followed. The
            // blocks after the ACK go again (RFC 7440 §4), counted as retransmits.
            Retransmits += (int)resend;
        }

        return SendWindow(_acked + 1, now);
    }

    /// <summary>Time passed. Past the deadline: retransmit from the first unacknowledged block, with backoff, or fail.</summary>
    public TftpStep OnTimeout(TimeSpan now)
    {
        if (Status != TftpTransferStatus.Running || now < _deadline)
        {
            return Idle();
        }

        if (_attempts >= _retry.MaxRetransmits)
        {
            Status = TftpTransferStatus.Failed;
            FailureReason = $"no acknowledgement after {_attempts} retransmissions";
            return new TftpStep(false, 0, 0, TimeSpan.MaxValue, Status);
        }

        _attempts++;
        if (!_fixedTimeout)
        {
            _currentTimeout = TimeSpan.FromTicks(Math.Min(_currentTimeout.Ticks * 2, _retry.MaxTimeout.Ticks));
        }

        _deadline = now + _currentTimeout;
        if (_awaitingOptionAck)
        {
            Retransmits++;
            return new TftpStep(true, 0, 0, _deadline, Status);
        }

        var first = _acked + 1;
        var count = (int)Math.Min(Parameters.WindowSize, _lastBlock - _acked);
        Retransmits += count;
        return new TftpStep(false, first, count, _deadline, Status);
    }

    /// <summary>The client sent an ERROR (e.g. 8 after an OACK it does not accept): the transfer ends.</summary>
    public void OnClientError(TftpErrorCode code, string message)
    {
        if (Status == TftpTransferStatus.Running)
        {
            Status = TftpTransferStatus.Failed;
            FailureReason = $"client sent error {(int)code}: {message}";
        }
    }

    /// <summary>The transfer cannot go on (e.g. the file changed under a streamed read).</summary>
    public void Abort(string reason)
    {
        if (Status == TftpTransferStatus.Running)
        {
            Status = TftpTransferStatus.Failed;
            FailureReason = reason;
        }
    }

    /// <summary>Writes DATA for absolute block <paramref name="block"/> (header included) and returns its length.</summary>
    public int WriteData(long block, Span<byte> destination)
    {
        TftpPacketCodec.WriteDataHeader(destination, unchecked((ushort)block));
        var offset = (block - 1) * Parameters.BlockSize;
        var want = (int)Math.Clamp(_content.Length - offset, 0, Parameters.BlockSize);
        var read = want == 0 ? 0 : _content.Read(offset, destination.Slice(4, want));
        if (read != want)
        {
            throw new IOException($"content returned {read} of {want} bytes at offset {offset}");
        }

        return 4 + read;
    }

    private TftpStep SendWindow(long first, TimeSpan now)
    {
        var count = (int)Math.Min(Parameters.WindowSize, _lastBlock - first + 1);
        _sentUpTo = Math.Max(_sentUpTo, first + count - 1);
        _attempts = 0;
        _currentTimeout = _initialTimeout;
        _deadline = now + _currentTimeout;
        return new TftpStep(false, first, count, _deadline, Status);
    }

    private TftpStep Idle() => new(false, 0, 0, Status == TftpTransferStatus.Running ? _deadline : TimeSpan.MaxValue, Status);
}
