using AsteriskCiscoBridge.Tftp.Protocol;

namespace AsteriskCiscoBridge.Tftp.Files;

/// <summary>
/// A content served in netascii, converted from its octet bytes block by block as the transfer
/// reads it, so no transfer holds a converted copy (hundreds of phones reading a 4 MiB file in
/// netascii used to hold hundreds of them). Opening reads the source once to learn the converted
/// length (tsize and the last block depend on it) and notes where each 64 KiB of source begins in
/// the converted stream: a retransmission that goes back starts from the note before it instead
/// of from the beginning. Reads are sequential and cheap; the source's snapshot rules still hold
/// (a file that changes under it makes a read throw <see cref="IOException"/>).
/// </summary>
internal sealed class NetasciiContent : TftpContent
{
    private const int CheckpointInterval = 64 * 1024;
    private const int ChunkBytes = 4096;

    private readonly TftpContent _source;
    private readonly long[] _checkpoints;
    private readonly long _length;
    private long _offset;
    private long _sourceOffset;
    private int _pending = Netascii.NothingPending;

    private NetasciiContent(TftpContent source, long[] checkpoints, long length)
    {
        _source = source;
        _checkpoints = checkpoints;
        _length = length;
    }

    public override long Length => _length;

    public override string Description => _source.Description + " (netascii)";

    /// <summary>The position notes (8 bytes per 64 KiB of source) and whatever the source holds for this transfer.</summary>
    public override long BufferedBytes => (_checkpoints.LongLength * sizeof(long)) + _source.BufferedBytes;

    /// <summary>What <see cref="BufferedBytes"/> will be for <paramref name="source"/>, known before the source is read.</summary>
    public static long BufferedBytesFor(TftpContent source) => (NotesFor(source.Length) * sizeof(long)) + source.BufferedBytes;

    /// <summary>Wraps <paramref name="source"/> (which it then owns), reading it once; throws <see cref="IOException"/> when the source cannot be read whole.</summary>
    public static NetasciiContent Open(TftpContent source)
    {
        var checkpoints = new long[NotesFor(source.Length)];
        Span<byte> chunk = stackalloc byte[ChunkBytes];
        long encoded = 0;
        for (long offset = 0; offset < source.Length; offset += ChunkBytes)
        {
            if (offset % CheckpointInterval == 0)
            {
                checkpoints[offset / CheckpointInterval] = encoded;
            }

            var n = ReadExactly(source, offset, chunk[..(int)Math.Min(ChunkBytes, source.Length - offset)]);
            encoded += Netascii.EncodedLength(chunk[..n]);
        }

        return new NetasciiContent(source, checkpoints, encoded);
    }

    public override int Read(long offset, Span<byte> destination)
    {
        if (offset >= _length || destination.IsEmpty)
        {
            return 0;
        }

        if (offset != _offset)
        {
            Seek(offset);
        }

        var want = (int)Math.Min(destination.Length, _length - offset);
        var written = 0;
        Span<byte> chunk = stackalloc byte[ChunkBytes];
        while (written < want)
        {
            // Every source byte makes at least one converted byte: never read more than can be used.
            var need = (int)Math.Min(Math.Min(ChunkBytes, want - written), _source.Length - _sourceOffset);
            var n = need > 0 ? ReadExactly(_source, _sourceOffset, chunk[..need]) : 0;
            var w = Netascii.Encode(chunk[..n], destination[written..want], ref _pending, out var consumed);
            if (w == 0)
            {
                throw new IOException($"netascii source ended early at byte {_sourceOffset} of {_source.Length}");
            }

            written += w;
            _sourceOffset += consumed;
        }

        _offset = offset + written;
        return written;
    }

    protected override void Dispose(bool disposing) => _source.Dispose();

    private static long NotesFor(long length) => Math.Max(1, (length + CheckpointInterval - 1) / CheckpointInterval);

    private static int ReadExactly(TftpContent source, long offset, Span<byte> destination)
    {
        var n = source.Read(offset, destination);
        if (n != destination.Length)
        {
            throw new IOException($"content returned {n} of {destination.Length} bytes at offset {offset}");
        }

        return n;
    }

    // Moves the cursor to converted offset `target`: from the last note at or before it, converting and dropping what lies between.
    private void Seek(long target)
    {
        var note = Array.BinarySearch(_checkpoints, target);
        if (note < 0)
        {
            note = ~note - 1;
        }

        // Several notes can hold the same value only for an empty source; the first is as good.
        _sourceOffset = (long)note * CheckpointInterval;
        _offset = _checkpoints[note];
        _pending = Netascii.NothingPending;
        Span<byte> chunk = stackalloc byte[ChunkBytes];
        Span<byte> dropped = stackalloc byte[ChunkBytes * 2];
        while (_offset < target)
        {
            var n = ReadExactly(_source, _sourceOffset, chunk[..(int)Math.Min(ChunkBytes, _source.Length - _sourceOffset)]);
            var encoded = Netascii.EncodedLength(chunk[..n]);
            if (_offset + encoded <= target)
            {
                _offset += encoded;
                _sourceOffset += n;
                continue;
            }

            // The target lies inside this chunk (maybe between a CR and its partner): convert up to it.
            var w = Netascii.Encode(chunk[..n], dropped[..(int)(target - _offset)], ref _pending, out var consumed);
            _offset += w;
            _sourceOffset += consumed;
        }
    }
}
