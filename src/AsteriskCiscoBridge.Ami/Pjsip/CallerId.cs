namespace AsteriskCiscoBridge.Ami.Pjsip;

/// <summary>A caller id split into its display name and number (either may be empty).</summary>
public readonly record struct CallerId(string Name, string Number)
{
    /// <summary>
    /// Pure parse of the forms Asterisk shows and admins write: <c>"Zoë Müller" &lt;6003&gt;</c>,
    /// <c>Front Desk &lt;6004&gt;</c> (GetConfig returns it verbatim, unquoted), <c>&lt;6001&gt;</c>, <c>6001</c>,
    /// a bare name. Non-ASCII is kept as is.
    /// </summary>
    public static CallerId Parse(string? text)
    {
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            return new CallerId(string.Empty, string.Empty);
        }

        var open = value.LastIndexOf('<');
        if (open >= 0 && value.EndsWith('>'))
        {
            var number = value[(open + 1)..^1].Trim();

            // PJSIPShowEndpoint prints an endpoint without callerid= as "<unknown>" (pjsip-show/09, notify-out).
            if (open == 0 && number == "unknown")
            {
                number = string.Empty;
            }

            return new CallerId(Unquote(value[..open].Trim()), number);
        }

        // No angle brackets: a number if it looks like one, otherwise a name.
        return value.All(c => char.IsAsciiDigit(c) || c is '+' or '*' or '#')
            ? new CallerId(string.Empty, value)
            : new CallerId(Unquote(value), string.Empty);
    }

    private static string Unquote(string name)
    {
        if (name.Length >= 2 && name[0] == '"' && name[^1] == '"')
        {
            name = name[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal);
        }

        return name;
    }
}
