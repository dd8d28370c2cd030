using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace AsteriskCiscoBridge.Testing.Ami;

/// <summary>
/// What Asterisk does after answering PJSIPNotify: sends an out-of-dialog NOTIFY to every contact
/// of the endpoint. Header layout as recorded in tests/fixtures/asterisk/sip/notify-*.sip; the
/// Variable lines become headers and Content= lines the body (spec §4.4).
/// </summary>
public sealed partial class SipNotifyDelivery : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private int _delivered;

    public SipNotifyDelivery() => _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    /// <summary>NOTIFY datagrams sent so far.</summary>
    public int Delivered => Volatile.Read(ref _delivered);

    /// <summary>The datagram for one contact.</summary>
    public static byte[] Render(string contactUri, string endpoint, IReadOnlyList<string> variables, int viaPort)
    {
        var headers = new List<string>();
        var body = new List<string>();
        string? contentType = null;
        foreach (var variable in variables)
        {
            var equals = variable.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = equals < 0 ? (variable, string.Empty) : (variable[..equals], variable[(equals + 1)..]);
            switch (name)
            {
                case "Content":
                    body.Add(value);
                    break;
                case "Content-Type":
                    contentType = value;
                    break;
                default:
                    headers.Add($"{name}: {value}");
                    break;
            }
        }

        var content = body.Count == 0 ? string.Empty : string.Join("\r\n", body) + "\r\n";
        var b = new StringBuilder();
        b.Append("NOTIFY ").Append(contactUri).Append(" SIP/2.0\r\n");
        b.Append("Via: SIP/2.0/UDP 127.0.0.1:").Append(viaPort).Append(";rport;branch=z9hG4bKPj").Append(Guid.NewGuid()).Append("\r\n");
        b.Append("From: <sip:").Append(endpoint).Append("@127.0.0.1>;tag=").Append(Guid.NewGuid()).Append("\r\n");
        b.Append("To: <sip:").Append(endpoint).Append("@127.0.0.1>\r\n");
        b.Append("Contact: <sip:").Append(endpoint).Append("@127.0.0.1:5060>\r\n");
        b.Append("Call-ID: ").Append(Guid.NewGuid()).Append("\r\n");
        b.Append("CSeq: ").Append(Random.Shared.Next(1, 60000)).Append(" NOTIFY\r\n");
        if (!headers.Any(h => h.StartsWith("Subscription-State:", StringComparison.OrdinalIgnoreCase)))
        {
            b.Append("Subscription-State: terminated\r\n");
        }

        foreach (var header in headers)
        {
            b.Append(header).Append("\r\n");
        }

        b.Append("Max-Forwards: 70\r\n");
        b.Append("User-Agent: Asterisk PBX (provisioning lab)\r\n");
        if (contentType is not null)
        {
            b.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }

        b.Append("Content-Length:  ").Append(Encoding.UTF8.GetByteCount(content)).Append("\r\n\r\n").Append(content);
        return Encoding.UTF8.GetBytes(b.ToString());
    }

    /// <summary>Sends the NOTIFY to each contact whose URI names a loopback UDP host and port.</summary>
    public void Deliver(AmiTestEndpoint endpoint, IReadOnlyList<string> variables)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        foreach (var contact in endpoint.Contacts)
        {
            DeliverTo(contact.Uri, endpoint.Name, variables);
        }
    }

    /// <summary>Sends the NOTIFY to one URI (PJSIPNotify <c>URI:</c>) from <paramref name="from"/> when it names a loopback UDP host and port.</summary>
    public void DeliverTo(string uri, string from, IReadOnlyList<string> variables)
    {
        var match = UriAddress().Match(uri);
        // Loopback only: a test never sends to an address it did not create.
        if (!match.Success || !IPAddress.TryParse(match.Groups[1].Value, out var address) || !IPAddress.IsLoopback(address))
        {
            return;
        }

        var datagram = Render(uri, from, variables, ((IPEndPoint)_socket.LocalEndPoint!).Port);
        _socket.SendTo(datagram, new IPEndPoint(address, int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Interlocked.Increment(ref _delivered);
    }

    public void Dispose() => _socket.Dispose();

    [GeneratedRegex("^sips?:[^@]+@([0-9.]+):([0-9]+)")]
    private static partial Regex UriAddress();
}
