using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Protocol;

namespace AsteriskCiscoBridge.Tftp.Tests.Files;

public sealed class NetasciiContentTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(511)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(300_001)]
    public void Reads_in_blocks_forward_and_back_match_the_whole_conversion(int size)
    {
        var source = Text(size, seed: size);
        var expected = Netascii.Encode(source);
        using var content = NetasciiContent.Open(TftpContent.FromBytes(source, "text"));
        var random = new Random(size);

        Assert.Equal(expected.Length, content.Length);
        Assert.Equal(expected, ReadAll(content, 512));

        // Retransmissions: go back to any block, then on from there, as a transfer does.
        for (var i = 0; i < 200 && expected.Length > 0; i++)
        {
            var blockSize = random.Next(1, 1500);
            var offset = (long)random.Next(expected.Length);
            var buffer = new byte[blockSize];
            for (var k = 0; k < 3; k++, offset += blockSize)
            {
                var n = content.Read(offset, buffer);
                var want = (int)Math.Clamp(expected.Length - offset, 0, blockSize);
                Assert.Equal(want, n);
                Assert.True(expected.AsSpan((int)Math.Min(offset, expected.Length), want).SequenceEqual(buffer.AsSpan(0, n)), $"bytes at {offset}");
            }
        }
    }

    [Fact]
    public void Holds_no_converted_copy_only_a_few_position_notes()
    {
        // 4 MiB: one note per 64 KiB of source.
        using var content = NetasciiContent.Open(TftpContent.FromBytes(Text(4 << 20, seed: 4), "big"));

        Assert.Equal(64 * sizeof(long), content.BufferedBytes);
    }

    [Fact]
    public void Bytes_owned_by_the_source_are_charged_through_it()
    {
        using var content = NetasciiContent.Open(TftpContent.FromOwnedBytes(new byte[1000], "rendered"));

        Assert.Equal(1000 + sizeof(long), content.BufferedBytes);
    }

    [Fact]
    public void A_source_that_comes_up_short_makes_open_throw_an_io_exception()
    {
        Assert.Throws<IOException>(() => NetasciiContent.Open(new ShortContent()));
    }

    private static byte[] Text(int size, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = random.Next(20) switch { 0 => (byte)'\r', 1 => (byte)'\n', _ => (byte)random.Next(32, 127) };
        }

        return bytes;
    }

    private static byte[] ReadAll(TftpContent content, int blockSize)
    {
        var output = new List<byte>();
        var buffer = new byte[blockSize];
        for (long offset = 0; ; offset += blockSize)
        {
            var n = content.Read(offset, buffer);
            output.AddRange(buffer.AsSpan(0, n).ToArray());
            if (n < blockSize)
            {
                return [.. output];
            }
        }
    }

    private sealed class ShortContent : TftpContent
    {
        public override long Length => 10_000;

        public override string Description => "short";

        public override int Read(long offset, Span<byte> destination) => offset >= 5000 ? 0 : Math.Min(destination.Length, (int)(5000 - offset));
    }
}
