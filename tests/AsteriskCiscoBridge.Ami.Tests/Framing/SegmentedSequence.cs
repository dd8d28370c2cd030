using System.Buffers;

namespace AsteriskCiscoBridge.Ami.Tests.Framing;

/// <summary>Builds a <see cref="ReadOnlySequence{T}"/> from pieces, so a parser sees data split where a test wants.</summary>
internal sealed class SegmentedSequence : ReadOnlySequenceSegment<byte>
{
    private SegmentedSequence(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Create(IEnumerable<byte[]> pieces)
    {
        SegmentedSequence? first = null;
        SegmentedSequence? last = null;
        foreach (var piece in pieces)
        {
            var segment = new SegmentedSequence(piece, last is null ? 0 : last.RunningIndex + last.Memory.Length);
            if (last is null)
            {
                first = segment;
            }
            else
            {
                last.Next = segment;
            }

            last = segment;
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] bytes) => Create(bytes.Select(b => new[] { b }));
}
