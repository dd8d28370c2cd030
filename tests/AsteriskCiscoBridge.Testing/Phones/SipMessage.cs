using System.Text;

namespace AsteriskCiscoBridge.Testing.Phones;

/// <summary>
/// A SIP message as a phone sees it: start line, ordered headers (repeats kept), body. Just
/// enough of RFC 3261 for the simulator to answer a NOTIFY like a phone; never throws on bad
/// input (it returns null).
/// </summary>
public sealed record SipMessage(string StartLine, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    public bool IsRequest => !StartLine.StartsWith("SIP/2.0", StringComparison.Ordinal);

    public string Method => IsRequest ? StartLine.Split(' ')[0] : string.Empty;

    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public IEnumerable<string> HeaderValues(string name) => Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    /// <summary>The Event header's package without parameters (<c>check-sync;reboot=false</c> → <c>check-sync</c>).</summary>
    public string? EventPackage => Header("Event")?.Split(';')[0].Trim();

    /// <summary>Body lines of a <c>text/plain</c> service-control NOTIFY as name → value.</summary>
    public IReadOnlyDictionary<string, string> BodyFields =>
        Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);

    public static SipMessage? Parse(ReadOnlySpan<byte> datagram)
    {
        var text = Encoding.UTF8.GetString(datagram);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return null;
        }

        var lines = text[..split].Split("\r\n");
        if (lines.Length == 0 || lines[0].Length == 0)
        {
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return null;
            }

            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        return new SipMessage(lines[0], headers, text[(split + 4)..]);
    }

    /// <summary>The 200 OK a phone sends for a request: Via, From, Call-ID, CSeq echoed; a tag added to To.</summary>
    public byte[] OkResponse(string toTag, string userAgent) => Response(200, "OK", toTag, userAgent);

    /// <summary>A final response to a request, shaped like <see cref="OkResponse"/>.</summary>
    public byte[] Response(int status, string reason, string toTag, string userAgent)
    {
        var b = new StringBuilder("SIP/2.0 ").Append(status).Append(' ').Append(reason).Append("\r\n");
        foreach (var via in HeaderValues("Via"))
        {
            b.Append("Via: ").Append(via).Append("\r\n");
        }

        b.Append("From: ").Append(Header("From")).Append("\r\n");
        var to = Header("To") ?? string.Empty;
        b.Append("To: ").Append(to.Contains(";tag=", StringComparison.Ordinal) ? to : to + ";tag=" + toTag).Append("\r\n");
        b.Append("Call-ID: ").Append(Header("Call-ID")).Append("\r\n");
        b.Append("CSeq: ").Append(Header("CSeq")).Append("\r\n");
        b.Append("User-Agent: ").Append(userAgent).Append("\r\n");
        b.Append("Content-Length: 0\r\n\r\n");
        return Encoding.ASCII.GetBytes(b.ToString());
    }
}
