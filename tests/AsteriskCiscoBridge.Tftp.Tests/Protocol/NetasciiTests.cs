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
