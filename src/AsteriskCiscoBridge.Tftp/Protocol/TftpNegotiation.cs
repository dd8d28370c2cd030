using System.Globalization;

namespace AsteriskCiscoBridge.Tftp.Protocol;

/// <summary>What the server allows clients to ask for.</summary>
/// <param name="MaxBlockSize">Largest blksize granted (RFC 2348 allows 8–65464; default 1468 = Ethernet MTU − 32, so nothing fragments).</param>
/// <param name="MaxWindowSize">Largest windowsize granted (RFC 7440 allows 1–65535).</param>
/// <param name="RefusedOptions">Options treated as unknown (never acknowledged), for clients that ask for an option and then mishandle it (tftpd-hpa's <c>--refuse</c>).</param>
public sealed record TftpNegotiationLimits(int MaxBlockSize = 1468, int MaxWindowSize = 32, IReadOnlySet<string>? RefusedOptions = null);

/// <summary>The parameters a transfer runs with, and the OACK to send (empty: no OACK, plain DATA 1).</summary>
public sealed record TftpTransferParameters(int BlockSize, int WindowSize, TimeSpan? Timeout, IReadOnlyList<TftpOption> Acknowledged)
{
    public static TftpTransferParameters Default { get; } = new(512, 1, null, []);
}

/// <summary>RFC 2347 option negotiation for a read request: pure.</summary>
public static class TftpNegotiation
{
    /// <summary>
    /// Decides what to grant. Unknown options are ignored; a repeated option counts once (the
    /// first); a known option with a value outside its RFC range refuses the request (error 8).
    /// Values above the server's limits are lowered (RFC 2348: the server may answer smaller).
    /// </summary>
    /// <param name="size">Transfer size for <c>tsize</c>, or null when unknown.</param>
    public static bool TryNegotiate(
        IReadOnlyList<TftpOption> requested,
        TftpNegotiationLimits limits,
        long? size,
        out TftpTransferParameters parameters,
        out string? refusal)
    {
        parameters = TftpTransferParameters.Default;
        refusal = null;
        var blockSize = 512;
        var windowSize = 1;
        TimeSpan? timeout = null;
        var granted = new List<TftpOption>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in requested)
        {
            if (!seen.Add(option.Name) || limits.RefusedOptions?.Contains(option.Name) == true)
            {
                continue;
            }

            switch (option.Name)
            {
                case "blksize":
                    if (!TryNumber(option.Value, out var b) || b < 8)
                    {
                        refusal = $"blksize '{option.Value}' is outside 8–65464 (RFC 2348)";
                        return false;
                    }

                    blockSize = (int)Math.Min(Math.Min(b, 65464), limits.MaxBlockSize);
                    granted.Add(new("blksize", blockSize.ToString(CultureInfo.InvariantCulture)));
                    break;
                case "timeout":
                    if (!TryNumber(option.Value, out var t) || t < 1 || t > 255)
                    {
                        refusal = $"timeout '{option.Value}' is outside 1–255 (RFC 2349)";
                        return false;
                    }

                    timeout = TimeSpan.FromSeconds(t);
                    granted.Add(new("timeout", t.ToString(CultureInfo.InvariantCulture)));
                    break;
                case "tsize":
                    // RFC 2349: in a read request the client sends 0; the server answers the size,
                    // and may leave the option out when it cannot know it.
                    if (!TryNumber(option.Value, out _))
                    {
                        refusal = $"tsize '{option.Value}' is not a number (RFC 2349)";
                        return false;
                    }

                    // An empty file's tsize is left out too: curl rejects "tsize 0" in an OACK
                    // as invalid and aborts, while every client accepts an OACK without it.
                    if (size is { } s && s > 0)
                    {
                        granted.Add(new("tsize", s.ToString(CultureInfo.InvariantCulture)));
                    }

                    break;
                case "windowsize":
                    if (!TryNumber(option.Value, out var w) || w < 1 || w > 65535)
                    {
                        refusal = $"windowsize '{option.Value}' is outside 1–65535 (RFC 7440)";
                        return false;
                    }

                    windowSize = (int)Math.Min(w, limits.MaxWindowSize);
                    granted.Add(new("windowsize", windowSize.ToString(CultureInfo.InvariantCulture)));
                    break;
            }
        }

        parameters = granted.Count == 0 ? TftpTransferParameters.Default : new(blockSize, windowSize, timeout, granted);
        return true;
    }

    /// <summary>Reads a decimal number; values too large for a long saturate (they are above every range anyway).</summary>
    private static bool TryNumber(string value, out long number)
    {
        number = 0;
        if (value.Length == 0)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            number = number > (long.MaxValue / 10) - 10 ? long.MaxValue : (number * 10) + (c - '0');
        }

        return true;
    }
}
