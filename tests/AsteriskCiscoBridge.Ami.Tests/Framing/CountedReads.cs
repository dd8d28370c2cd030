using System.Buffers;

namespace AsteriskCiscoBridge.Ami.Tests.Framing;

/// <summary>
/// A byte stream cut into reads as a socket delivers it, each read one segment of a <see cref="ReadOnlySequence{T}"/>
/// whose memory counts how often its bytes are taken out to be looked at (<see cref="MemoryManager{T}.GetSpan"/>).
/// A parser that searches again what it searched before takes old reads out again: <see cref="Looks"/> grows with
/// the square of the reads instead of with their number.
/// </summary>
internal sealed class CountedReads
{
    private readonly Segment[] _segments;
    private readonly Counter[] _counters;

    public CountedReads(byte[] stream, IReadOnlyList<int> readSizes)
    {
        var segments = new List<Segment>();
        var counters = new List<Counter>();
        var offset = 0;
        for (var i = 0; offset < stream.Length; i++)
        {
            var length = Math.Min(readSizes[i % readSizes.Count], stream.Length - offset);
            var counter = new Counter(stream.AsMemory(offset, length));
            var segment = new Segment(counter.Memory, offset);
            if (segments.Count > 0)
            {
                segments[^1].Link(segment);
            }

            segments.Add(segment);
            counters.Add(counter);
            offset += length;
        }

        _segments = [.. segments];
        _counters = [.. counters];
    }

    /// <summary>How many reads the stream came in.</summary>
    public int Count => _segments.Length;

    /// <summary>How many times any read's bytes were taken out to be looked at.</summary>
    public long Looks => _counters.Sum(c => c.Looks);

    /// <summary>Where the stream starts.</summary>
    public SequencePosition Start => new(_segments[0], 0);

    /// <summary>What a pipe holds once read <paramref name="last"/> (0-based) has arrived, from <paramref name="from"/> (where the reader's last message ended).</summary>
    public ReadOnlySequence<byte> Buffer(SequencePosition from, int last) =>
        new((Segment)from.GetObject()!, from.GetInteger(), _segments[last], _segments[last].Memory.Length);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void Link(Segment next) => Next = next;
    }

    private sealed class Counter(Memory<byte> bytes) : MemoryManager<byte>
    {
        public long Looks { get; private set; }

        public override Span<byte> GetSpan()
        {
            Looks++;
            return bytes.Span;
        }

        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException("the frame reader never pins");

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
