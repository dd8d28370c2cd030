namespace AsteriskCiscoBridge.Ami.Pjsip;

/// <summary>Outcome of reading a MAC address written by an admin.</summary>
/// <param name="Mac">Twelve upper-case hex digits, or null when rejected.</param>
/// <param name="Reason">Why it was rejected, or null.</param>
public readonly record struct MacParseResult(string? Mac, string? Reason)
{
    /// <summary>True when <see cref="Mac"/> holds a normalised address.</summary>
    public bool IsValid => Mac is not null;
}

/// <summary>
/// Pure MAC normalisation. Accepted spellings, any letter case: <c>00:11:22:33:44:55</c>,
/// <c>00-11-22-33-44-55</c>, <c>0011.2233.4455</c> (Cisco), <c>001122334455</c>. Result: <c>001122334455</c>
/// in upper case, the form Cisco file names use (<c>SEP001122334455.cnf.xml</c>).
/// </summary>
public static class MacAddressText
{
    /// <summary>Normalises <paramref name="text"/> or says why it is not a MAC address.</summary>
    public static MacParseResult Parse(string? text)
    {
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            return new MacParseResult(null, "empty MAC address");
        }

        string hex;
        switch (value.Length)
        {
            case 12:
                hex = value;
                break;
            case 17 when IsGrouped(value, 2, ':') || IsGrouped(value, 2, '-'):
                hex = string.Concat(value.Split(value[2]));
                break;
            case 14 when IsGrouped(value, 4, '.'):
                hex = string.Concat(value.Split('.'));
                break;
            default:
                return new MacParseResult(null, $"'{value}' is not a MAC address (expected 12 hex digits, as 00:11:22:33:44:55, 00-11-22-33-44-55, 0011.2233.4455 or 001122334455)");
        }

        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return new MacParseResult(null, $"'{value}' is not a MAC address ('{c}' is not a hex digit)");
            }
        }

        return new MacParseResult(hex.ToUpperInvariant(), null);
    }

    private static bool IsGrouped(string value, int group, char separator)
    {
        for (var i = group; i < value.Length; i += group + 1)
        {
            if (value[i] != separator)
            {
                return false;
            }
        }

        return value.Count(c => c == separator) == (value.Length - group) / (group + 1);
    }
}
