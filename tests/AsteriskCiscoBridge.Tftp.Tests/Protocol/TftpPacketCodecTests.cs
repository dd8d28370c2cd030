using System.Text;
using AsteriskCiscoBridge.Testing.Tftp;
using AsteriskCiscoBridge.Tftp.Protocol;

namespace AsteriskCiscoBridge.Tftp.Tests.Protocol;

public sealed class TftpPacketCodecTests
{
    [Fact]
    public void TryParseRequest_reads_name_mode_and_options_in_order()
    {
        var packet = TftpTestClient.ReadRequest("SEP001122334455.cnf.xml", "octet", ("blksize", "1428"), ("TSize", "0"), ("windowsize", "4"));

        Assert.True(TftpPacketCodec.TryParseRequest(packet, out var request, out _));

        Assert.Equal(TftpOpcode.ReadRequest, request!.Opcode);
        Assert.Equal("SEP001122334455.cnf.xml", request.FileName);
        Assert.Equal(TftpMode.Octet, request.Mode);
        Assert.Equal(["blksize=1428", "tsize=0", "windowsize=4"], request.Options.Select(o => o.ToString()));
    }

    [Theory]
    [InlineData("NeTaScIi", TftpMode.Netascii)]
    [InlineData("netascii", TftpMode.Netascii)]
    [InlineData("OCTET", TftpMode.Octet)]
    public void TryParseRequest_accepts_mode_in_any_case(string mode, TftpMode expected)
    {
        Assert.True(TftpPacketCodec.TryParseRequest(TftpTestClient.ReadRequest("a", mode), out var request, out _));
        Assert.Equal(expected, request!.Mode);
    }

    [Theory]
    [InlineData(new byte[] { }, "shorter than 4 bytes", 0)]
    [InlineData(new byte[] { 0 }, "shorter than 4 bytes", 1)]
    [InlineData(new byte[] { 0, 1 }, "shorter than 4 bytes", 2)]
    [InlineData(new byte[] { 0, 1, 65 }, "shorter than 4 bytes", 3)]
    [InlineData(new byte[] { 0, 9, 65, 0, 66, 0 }, "opcode 9 is not a request", 0)]
    [InlineData(new byte[] { 0, 1, 65, 66, 67, 68 }, "file name is not NUL-terminated", 6)]
    [InlineData(new byte[] { 0, 1, 65, 0 }, "mode is missing", 4)]
    [InlineData(new byte[] { 0, 1, 65, 0, 111, 99 }, "mode is missing", 4)]
    [InlineData(new byte[] { 0, 1, 0, 111, 99, 116, 101, 116, 0 }, "empty file name", 2)]
    public void TryParseRequest_reports_reason_and_position_of_malformed_requests(byte[] packet, string reason, int position)
    {
        Assert.False(TftpPacketCodec.TryParseRequest(packet, out var request, out var malformed));

        Assert.Null(request);
        Assert.Contains(reason, malformed!.Reason, StringComparison.Ordinal);
        Assert.Equal(position, malformed.Position);
        Assert.Equal(TftpErrorCode.IllegalOperation, malformed.Error);
    }

    [Fact]
    public void TryParseRequest_refuses_mode_mail()
    {
        Assert.False(TftpPacketCodec.TryParseRequest(TftpTestClient.ReadRequest("a", "mail"), out _, out var malformed));
        Assert.Contains("mail", malformed!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseRequest_refuses_requests_over_512_bytes()
    {
        var packet = TftpTestClient.ReadRequest(new string('a', 600));

        Assert.False(TftpPacketCodec.TryParseRequest(packet, out _, out var malformed));
        Assert.Contains("512", malformed!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseRequest_ignores_an_option_missing_its_value_or_terminator()
    {
        byte[] packet = [.. TftpTestClient.ReadRequest("a", "octet", ("blksize", "1024")), .. "tsize\0"u8, .. "12"u8];

        Assert.True(TftpPacketCodec.TryParseRequest(packet, out var request, out _));
        Assert.Equal(["blksize=1024"], request!.Options.Select(o => o.ToString()));
    }

    [Fact]
    public void TryParseRequest_drops_options_with_unprintable_bytes_and_keeps_the_rest()
    {
        byte[] packet = [.. TftpTestClient.ReadRequest("a"), .. "bl\u0001k\0"u8, .. "1\0"u8, .. "blksize\0"u8, .. "900\0"u8];

        Assert.True(TftpPacketCodec.TryParseRequest(packet, out var request, out _));
        Assert.Equal(["blksize=900"], request!.Options.Select(o => o.ToString()));
    }

    [Fact]
    public void TryParseRequest_treats_every_prefix_of_a_valid_request_as_malformed_never_throwing()
    {
        var packet = TftpTestClient.ReadRequest("SIPDefault.cnf", "octet", ("blksize", "1428"));
        var modeEnd = Array.IndexOf(packet, (byte)0, Array.IndexOf(packet, (byte)0, 2) + 1) + 1;
        for (var length = 0; length < modeEnd; length++)
        {
            Assert.False(TftpPacketCodec.TryParseRequest(packet.AsSpan(0, length), out _, out var malformed));
            Assert.NotNull(malformed);
        }

        // Past the mode the request is valid; the unfinished option is simply ignored.
        for (var length = modeEnd; length <= packet.Length; length++)
        {
            Assert.True(TftpPacketCodec.TryParseRequest(packet.AsSpan(0, length), out var request, out _));
            Assert.Equal("SIPDefault.cnf", request!.FileName);
        }
    }

    [Fact]
    public void TryParseRequest_never_throws_on_random_or_mutated_bytes()
    {
        var random = new Random(7940);
        var seed = TftpTestClient.ReadRequest("SEP001122334455.cnf.xml", "octet", ("blksize", "1428"), ("tsize", "0"));
        for (var i = 0; i < 20_000; i++)
        {
            byte[] packet;
            if (i % 2 == 0)
            {
                packet = new byte[random.Next(0, 700)];
                random.NextBytes(packet);
                if (packet.Length >= 2 && i % 4 == 0)
                {
                    packet[0] = 0;
                    packet[1] = (byte)random.Next(0, 8);
                }
            }
            else
            {
                packet = (byte[])seed.Clone();
                for (var m = random.Next(1, 6); m > 0; m--)
                {
                    packet[random.Next(packet.Length)] = (byte)random.Next(256);
                }

                packet = packet[..random.Next(packet.Length + 1)];
            }

            var ok = TftpPacketCodec.TryParseRequest(packet, out var request, out var malformed);
            Assert.True(ok ? request is not null && malformed is null : request is null && malformed is not null);
        }
    }

    [Fact]
    public void WriteError_writes_code_and_printable_message_with_terminator()
    {
        var buffer = new byte[600];
        var length = TftpPacketCodec.WriteError(buffer, TftpErrorCode.FileNotFound, "no such file\n");

        Assert.Equal([0, 5, 0, 1, .. "no such file?"u8, 0], buffer[..length]);
        Assert.True(TftpPacketCodec.TryParseError(buffer.AsSpan(0, length), out var code, out var message));
        Assert.Equal(TftpErrorCode.FileNotFound, code);
        Assert.Equal("no such file?", message);
    }

    [Fact]
    public void WriteOptionAck_writes_name_value_pairs()
    {
        var buffer = new byte[100];
        var length = TftpPacketCodec.WriteOptionAck(buffer, [new("blksize", "1428"), new("tsize", "2100000")]);

        Assert.Equal("\0\u0006blksize\01428\0tsize\02100000\0", Encoding.ASCII.GetString(buffer, 0, length));
    }

    [Fact]
    public void TryParseAck_needs_four_bytes_and_the_ack_opcode()
    {
        Assert.True(TftpPacketCodec.TryParseAck([0, 4, 0xFF, 0xFE], out var block));
        Assert.Equal(65534, block);
        Assert.False(TftpPacketCodec.TryParseAck([0, 4, 1], out _));
        Assert.False(TftpPacketCodec.TryParseAck([0, 3, 0, 1], out _));
    }
}
