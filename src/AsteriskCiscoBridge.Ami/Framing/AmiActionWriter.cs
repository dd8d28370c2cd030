using System.Buffers;
using System.Text;

namespace AsteriskCiscoBridge.Ami;

/// <summary>Pure writer: an action to the bytes AMI expects (<c>Key: value\r\n</c> lines, then a blank line).</summary>
public static class AmiActionWriter
{
    /// <summary>
    /// Writes <paramref name="action"/> to <paramref name="output"/>. A CR or LF inside a value is
    /// written as a space: AMI has no escape for a line end, and a raw one would let the value inject
    /// a field (or end the action) of the caller's choosing.
    /// </summary>
    public static void Write(AmiAction action, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(output);
        WriteLine(output, "Action", action.Name);
        foreach (var field in action.Fields)
        {
            WriteLine(output, field.Name, field.Value);
        }

        output.Write("\r\n"u8);
    }

    /// <summary>Writes the action into a new array (for tests and one-off sends).</summary>
    public static byte[] ToBytes(AmiAction action)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(action, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteLine(IBufferWriter<byte> output, string name, string value)
    {
        var max = name.Length + 2 + Encoding.UTF8.GetMaxByteCount(value.Length) + 2;
        var span = output.GetSpan(max);
        var n = Encoding.ASCII.GetBytes(name, span);
        span[n++] = (byte)':';
        span[n++] = (byte)' ';
        var valueBytes = Encoding.UTF8.GetBytes(value, span[n..]);
        foreach (ref var b in span.Slice(n, valueBytes))
        {
            if (b is (byte)'\r' or (byte)'\n')
            {
                b = (byte)' ';
            }
        }

        n += valueBytes;
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        output.Advance(n);
    }

    internal static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var c in name)
        {
            if (c is <= ' ' or > '~' or ':')
            {
                throw new ArgumentException($"An AMI field name is printable ASCII without ':' or spaces: '{name}'.", nameof(name));
            }
        }
    }
}
