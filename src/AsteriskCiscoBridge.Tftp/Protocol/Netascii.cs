namespace AsteriskCiscoBridge.Tftp.Protocol;

/// <summary>
/// RFC 1350 / RFC 764 netascii: LF becomes CR LF and a bare CR becomes CR NUL. The whole stream
/// is converted at once, so a CR that ends up as the last byte of a block keeps its partner in
/// the next block (the FreeBSD tftpd bug came from converting block by block).
/// </summary>
public static class Netascii
{
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
        var o = 0;
        foreach (var b in source)
        {
            switch (b)
            {
                case (byte)'\n':
                    output[o++] = (byte)'\r';
                    output[o++] = (byte)'\n';
                    break;
                case (byte)'\r':
                    output[o++] = (byte)'\r';
                    output[o++] = 0;
                    break;
                default:
                    output[o++] = b;
                    break;
            }
        }

        return output;
    }
}
