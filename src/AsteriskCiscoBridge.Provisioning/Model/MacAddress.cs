using System.Diagnostics.CodeAnalysis;

namespace AsteriskCiscoBridge.Provisioning.Model;

/// <summary>
/// A phone's MAC address, normalised to 12 upper-case hex digits: the form 79x0 and 79x1
/// phones put in the names of the files they request (spec §1.1).
/// </summary>
public readonly record struct MacAddress
{
    private MacAddress(string value) => Value = value;

    /// <summary>Twelve upper-case hex digits, no separators.</summary>
    public string Value { get; }

    public string ToLowerInvariant() => Value.ToLowerInvariant();

    public override string ToString() => Value ?? string.Empty;

    /// <summary>
    /// Accepts <c>00:11:22:33:44:55</c>, <c>00-11-22-33-44-55</c>, <c>0011.2233.4455</c> and
    /// <c>001122334455</c> in any case; anything else is rejected with the reason.
    /// </summary>
    public static MacParseResult Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return MacParseResult.Fail("empty MAC address");
        }

        var s = text.AsSpan();
        return s.Length switch
        {
            12 => FromHex(s, text),
            17 when s[2] is ':' or '-' => Grouped(s, text, groupLength: 2, s[2]),
            14 when s[4] == '.' => Grouped(s, text, groupLength: 4, '.'),
            _ => MacParseResult.Fail($"'{Shown(text)}' is not a MAC address: expected 12 hex digits, as 001122334455, 00:11:22:33:44:55, 00-11-22-33-44-55 or 0011.2233.4455"),
        };
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out MacAddress? mac)
    {
        var result = Parse(text);
        mac = result.Mac;
        return result.Mac is not null;
    }

    private static MacParseResult Grouped(ReadOnlySpan<char> s, string text, int groupLength, char separator)
    {
        Span<char> digits = stackalloc char[12];
        var d = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var isSeparatorPosition = (i + 1) % (groupLength + 1) == 0;
            if (isSeparatorPosition)
            {
                if (s[i] != separator)
                {
                    return MacParseResult.Fail($"'{Shown(text)}': expected '{separator}' at position {i + 1}, found '{Shown(s[i].ToString())}' (separators must all be the same)");
                }
            }
            else
            {
                digits[d++] = s[i];
            }
        }

        return FromHex(digits, text);
    }

    private static MacParseResult FromHex(ReadOnlySpan<char> digits, string text)
    {
        Span<char> upper = stackalloc char[12];
        for (var i = 0; i < digits.Length; i++)
        {
            var c = digits[i];
            if (!char.IsAsciiHexDigit(c))
            {
                return MacParseResult.Fail($"'{Shown(text)}': '{Shown(c.ToString())}' is not a hex digit");
            }

            upper[i] = char.ToUpperInvariant(c);
        }

        return new MacParseResult(new MacAddress(new string(upper)), null);
    }

    // The reason may end up in a log or a terminal: show control characters escaped.
    private static string Shown(string text)
    {
        var capped = text.Length > 40 ? text[..40] + "…" : text;
        return string.Concat(capped.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}

/// <summary>The outcome of <see cref="MacAddress.Parse"/>: a MAC, or the reason there is none.</summary>
public sealed record MacParseResult(MacAddress? Mac, string? Error)
{
    public static MacParseResult Fail(string reason) => new(null, reason);
}
