namespace AsteriskCiscoBridge.Tftp.Protocol;

/// <summary>
/// RFC 1350 / RFC 764 netascii: LF becomes CR LF and a bare CR becomes CR NUL. Converted piece by
/// piece as a transfer reads it (<see cref="Encode(ReadOnlySpan{byte}, Span{byte}, ref int, out int)"/>):
/// a pair cut by the end of a block keeps its second byte for the start of the next one (the
/// FreeBSD tftpd bug came from converting each block on its own and losing it).
/// </summary>
public static class Netascii
{
    /// <summary>Value of a <c>pending</c> argument when no byte is owed.</summary>
    public const int NothingPending = -1;

    /// <summary>Length of <paramref name="source"/> once converted.</summary>
    public static long EncodedLength(ReadOnlySpan<byte> source)
    {
        long extra = source.Count((byte)'\n') + source.Count((byte)'\r');
        return source.Length + extra;
    }

    /// <summary>Converts a whole file to netascii.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> source)
    {
        var output = new byte[EncodedLength(source)];
        var pending = NothingPending;
        Encode(source, output, ref pending, out _);
        return output;
    }

    /// <summary>
    /// Converts as much of <paramref name="source"/> as fits into <paramref name="destination"/>.
    /// When a pair does not fit whole, its CR is written and its second byte (LF or NUL) is left in
    /// <paramref name="pending"/>; the next call writes it first. Start a stream with
    /// <see cref="NothingPending"/>. Pure.
    /// </summary>
    /// <param name="consumed">Source bytes converted (a pair whose CR was written counts as consumed).</param>
    /// <returns>Bytes written to <paramref name="destination"/>.</returns>
    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination, ref int pending, out int consumed)
    {
        consumed = 0;
        var written = 0;
        if (pending != NothingPending)
        {
            if (destination.IsEmpty)
            {
                return 0;
            }

            destination[written++] = (byte)pending;
            pending = NothingPending;
        }

        while (written < destination.Length && consumed < source.Length)
        {
            var rest = source[consumed..];
            var take = Math.Min(rest.Length, destination.Length - written);
            var run = rest[..take].IndexOfAny((byte)'\r', (byte)'\n');
            if (run < 0)
            {
                rest[..take].CopyTo(destination[written..]);
                written += take;
                consumed += take;
                continue;
            }

            rest[..run].CopyTo(destination[written..]);
            written += run;
            consumed += run + 1;
            var second = rest[run] == (byte)'\n' ? (byte)'\n' : (byte)0;
            destination[written++] = (byte)'\r';
            if (written < destination.Length)
            {
                destination[written++] = second;
            }
            else
            {
                pending = second;
            }
        }

        return written;
    }
}
