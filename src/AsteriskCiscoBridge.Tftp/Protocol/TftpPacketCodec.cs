using System.Buffers.Binary;
using System.Text;

namespace AsteriskCiscoBridge.Tftp.Protocol;

/// <summary>
/// Reads and writes TFTP packets. Pure and total: bytes from the wire never cause an
/// exception; a request is either parsed or reported malformed with a reason and position.
/// </summary>
public static class TftpPacketCodec
{
    /// <summary>RFC 2347 §1: a request, options included, must fit in 512 bytes.</summary>
    public const int MaxRequestBytes = 512;

    /// <summary>Options beyond this count are ignored (they cannot all fit in 512 bytes anyway).</summary>
    public const int MaxOptions = 32;

    /// <summary>Longest option name or value we keep; longer ones are ignored, not truncated.</summary>
    public const int MaxOptionFieldLength = 64;

    /// <summary>Reads the opcode, or null when the datagram is shorter than two bytes.</summary>
    public static TftpOpcode? ReadOpcode(ReadOnlySpan<byte> packet) =>
        packet.Length < 2 ? null : (TftpOpcode)BinaryPrimitives.ReadUInt16BigEndian(packet);

    /// <summary>Parses an RRQ or WRQ (RFC 1350 §5, RFC 2347 §2).</summary>
    public static bool TryParseRequest(ReadOnlySpan<byte> packet, out TftpRequest? request, out TftpMalformed? malformed)
    {
        request = null;
        malformed = null;
        if (packet.Length < 4)
        {
            malformed = new(TftpErrorCode.IllegalOperation, "request shorter than 4 bytes", packet.Length);
            return false;
        }

        if (packet.Length > MaxRequestBytes)
        {
            malformed = new(TftpErrorCode.IllegalOperation, "request longer than 512 bytes (RFC 2347)", MaxRequestBytes);
            return false;
        }

        var opcode = (TftpOpcode)BinaryPrimitives.ReadUInt16BigEndian(packet);
        if (opcode is not (TftpOpcode.ReadRequest or TftpOpcode.WriteRequest))
        {
            malformed = new(TftpErrorCode.IllegalOperation, $"opcode {(ushort)opcode} is not a request", 0);
            return false;
        }

        var pos = 2;
        if (!TryReadField(packet, ref pos, out var nameBytes))
        {
            malformed = new(TftpErrorCode.IllegalOperation, "file name is not NUL-terminated", packet.Length);
            return false;
        }

        if (nameBytes.IsEmpty)
        {
            malformed = new(TftpErrorCode.IllegalOperation, "empty file name", 2);
            return false;
        }

        var modeStart = pos;
        if (!TryReadField(packet, ref pos, out var modeBytes))
        {
            malformed = new(TftpErrorCode.IllegalOperation, "mode is missing or not NUL-terminated", modeStart);
            return false;
        }

        TftpMode mode;
        if (Ascii.EqualsIgnoreCase(modeBytes, "octet"u8))
        {
            mode = TftpMode.Octet;
        }
        else if (Ascii.EqualsIgnoreCase(modeBytes, "netascii"u8))
        {
            mode = TftpMode.Netascii;
        }
        else if (Ascii.EqualsIgnoreCase(modeBytes, "mail"u8))
        {
            malformed = new(TftpErrorCode.IllegalOperation, "mode mail is obsolete and not supported", modeStart);
            return false;
        }
        else
        {
            malformed = new(TftpErrorCode.IllegalOperation, $"unknown mode '{Printable(modeBytes)}'", modeStart);
            return false;
        }

        // The name is kept as Latin-1 so every byte maps to one char: the path policy, not the
        // codec, decides which characters are acceptable, and it sees exactly what was sent.
        var fileName = Encoding.Latin1.GetString(nameBytes);
        var options = new List<TftpOption>();
        while (pos < packet.Length && options.Count < MaxOptions)
        {
            // A trailing name without a value, or a value without its NUL, is ignored (tolerant
            // like tftp-hpa); bytes never go past the end of the datagram.
            if (!TryReadField(packet, ref pos, out var optName) || !TryReadField(packet, ref pos, out var optValue))
            {
                break;
            }

            if (optName.IsEmpty || optName.Length > MaxOptionFieldLength || optValue.Length > MaxOptionFieldLength
                || !IsPrintableAscii(optName) || !IsPrintableAscii(optValue))
            {
                continue;
            }

            options.Add(new TftpOption(Encoding.ASCII.GetString(optName).ToLowerInvariant(), Encoding.ASCII.GetString(optValue)));
        }

        request = new TftpRequest(opcode, fileName, mode, options);
        return true;
    }

    /// <summary>Reads the block number of an ACK (RFC 1350: opcode 4, 2-byte block).</summary>
    public static bool TryParseAck(ReadOnlySpan<byte> packet, out ushort block)
    {
        block = 0;
        if (packet.Length < 4 || BinaryPrimitives.ReadUInt16BigEndian(packet) != (ushort)TftpOpcode.Ack)
        {
            return false;
        }

        block = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        return true;
    }

    /// <summary>Reads an ERROR packet's code and message (message may lack its NUL).</summary>
    public static bool TryParseError(ReadOnlySpan<byte> packet, out TftpErrorCode code, out string message)
    {
        code = TftpErrorCode.NotDefined;
        message = string.Empty;
        if (packet.Length < 4 || BinaryPrimitives.ReadUInt16BigEndian(packet) != (ushort)TftpOpcode.Error)
        {
            return false;
        }

        code = (TftpErrorCode)BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var text = packet[4..];
        var nul = text.IndexOf((byte)0);
        message = Printable(nul >= 0 ? text[..nul] : text);
        return true;
    }

    /// <summary>Writes the 4-byte DATA header; the payload follows at offset 4.</summary>
    public static void WriteDataHeader(Span<byte> destination, ushort block)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Data);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], block);
    }

    /// <summary>Writes an ACK packet and returns its length (4).</summary>
    public static int WriteAck(Span<byte> destination, ushort block)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Ack);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], block);
        return 4;
    }

    /// <summary>Writes an ERROR packet (message ASCII, truncated to fit) and returns its length.</summary>
    public static int WriteError(Span<byte> destination, TftpErrorCode code, string message)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Error);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)code);
        var room = Math.Min(destination.Length - 5, 200);
        var n = 0;
        foreach (var c in message)
        {
            if (n >= room)
            {
                break;
            }

            destination[4 + n++] = c is >= ' ' and <= '~' ? (byte)c : (byte)'?';
        }

        destination[4 + n] = 0;
        return 5 + n;
    }

    /// <summary>Writes an OACK with the given options in order and returns its length.</summary>
    public static int WriteOptionAck(Span<byte> destination, IReadOnlyList<TftpOption> options)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.OptionAck);
        var pos = 2;
        foreach (var option in options)
        {
            pos += Encoding.ASCII.GetBytes(option.Name, destination[pos..]);
            destination[pos++] = 0;
            pos += Encoding.ASCII.GetBytes(option.Value, destination[pos..]);
            destination[pos++] = 0;
        }

        return pos;
    }

    private static bool TryReadField(ReadOnlySpan<byte> packet, ref int pos, out ReadOnlySpan<byte> field)
    {
        var rest = packet[pos..];
        var nul = rest.IndexOf((byte)0);
        if (nul < 0)
        {
            field = default;
            return false;
        }

        field = rest[..nul];
        pos += nul + 1;
        return true;
    }

    private static bool IsPrintableAscii(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return false;
            }
        }

        return true;
    }

    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var length = Math.Min(bytes.Length, 64);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = bytes[i] is >= 0x20 and <= 0x7E ? (char)bytes[i] : '?';
        }

        return new string(chars) + (bytes.Length > length ? "…" : string.Empty);
    }
}
