using System.Text;
using AsteriskCiscoBridge.Tftp.Protocol;

namespace AsteriskCiscoBridge.Tftp.Tests.Protocol;

public sealed class NetasciiTests
{
    [Theory]
    [InlineData("a\nb", "a\r\nb")]
    [InlineData("a\rb", "a\r\0b")]
    [InlineData("a\r\nb", "a\r\0\r\nb")]
    [InlineData("", "")]
    [InlineData("plain", "plain")]
    public void Encode_turns_lf_into_crlf_and_cr_into_cr_nul(string input, string expected)
    {
        var encoded = Netascii.Encode(Encoding.ASCII.GetBytes(input));

        Assert.Equal(expected, Encoding.ASCII.GetString(encoded));
        Assert.Equal(encoded.Length, Netascii.EncodedLength(Encoding.ASCII.GetBytes(input)));
    }

    [Fact]
    public void Encode_keeps_a_cr_pair_intact_when_it_straddles_a_block_boundary()
    {
        // 511 bytes then '\r': the CR is byte 512 of the stream and its NUL starts block 2.
        var input = Encoding.ASCII.GetBytes(new string('x', 511) + "\r" + "tail\n");
        var encoded = Netascii.Encode(input);

        Assert.Equal((byte)'\r', encoded[511]);
        Assert.Equal(0, encoded[512]);
        Assert.Equal(Decode(encoded), input);
    }

    [Fact]
    public void Encode_in_pieces_of_any_size_gives_the_same_stream_as_at_once()
    {
        // Seeded: pieces of 1–600 bytes over text dense in CR and LF, so pairs fall on every kind of
        // boundary (the CR as the last byte of a piece, its partner first in the next).
        var random = new Random(1350);
        for (var round = 0; round < 2000; round++)
        {
            var input = new byte[random.Next(0, 2000)];
            for (var i = 0; i < input.Length; i++)
            {
                input[i] = random.Next(6) switch { 0 => (byte)'\r', 1 => (byte)'\n', _ => (byte)random.Next(256) };
            }

            var expected = Netascii.Encode(input);
            var output = new List<byte>();
            var pending = Netascii.NothingPending;
            var consumedTotal = 0;
            while (output.Count < expected.Length)
            {
                var piece = new byte[random.Next(0, 600)];
                var written = Netascii.Encode(input.AsSpan(consumedTotal), piece, ref pending, out var consumed);
                Assert.True(written <= piece.Length);
                Assert.True(piece.Length == 0 || written > 0, "a non-empty piece always makes progress");
                output.AddRange(piece.AsSpan(0, written).ToArray());
                consumedTotal += consumed;
            }

            Assert.Equal(expected, output);
            Assert.Equal((input.Length, Netascii.NothingPending), (consumedTotal, pending));
        }
    }

    [Fact]
    public void Encode_keeps_the_partner_of_a_cr_that_ends_a_block_for_the_next_block()
    {
        var block = new byte[4];
        var pending = Netascii.NothingPending;

        var first = Netascii.Encode("abc\n"u8, block, ref pending, out var consumed);
        var firstBlock = Encoding.ASCII.GetString(block, 0, first);
        var second = Netascii.Encode(""u8, block, ref pending, out _);

        Assert.Equal((4, 4, "abc\r"), (first, consumed, firstBlock));
        Assert.Equal((1, (byte)'\n', Netascii.NothingPending), (second, block[0], pending));
    }

    private static byte[] Decode(byte[] netascii)
    {
        var output = new List<byte>();
        for (var i = 0; i < netascii.Length; i++)
        {
            if (netascii[i] == '\r' && i + 1 < netascii.Length)
            {
                output.Add(netascii[i + 1] == 0 ? (byte)'\r' : (byte)'\n');
                i++;
            }
            else
            {
                output.Add(netascii[i]);
            }
        }

        return [.. output];
    }
}
