using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AsteriskCiscoBridge.Services.Diagnostics;

/// <summary>
/// Asks the running service's listeners something harmless and checks an answer comes: a TFTP
/// read request for a name no phone asks for (the server answers an ERROR packet, RFC 1350 §5, or
/// data, which is then aborted) and an HTTP GET of the same name.
/// </summary>
internal static class PortProbe
{
    /// <summary>The file name the probes ask for; nothing serves it, so the answer is "not found".</summary>
    public const string ProbeName = "acb-doctor-probe.txt";

    /// <summary>A wildcard listen address is probed on loopback, as a phone would reach it from the machine itself.</summary>
    public static IPEndPoint Reachable(IPEndPoint listen) =>
        listen.Address.Equals(IPAddress.Any) ? new IPEndPoint(IPAddress.Loopback, listen.Port)
        : listen.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.IPv6Loopback, listen.Port)
        : listen;

    public static async Task<DoctorResult> TftpAsync(IPEndPoint listen, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var target = Reachable(listen);
        using var udp = new UdpClient(target.AddressFamily);
        return await ExchangeAsync(udp, target, timeout, time, cancellationToken);
    }

    private static async Task<DoctorResult> ExchangeAsync(UdpClient udp, IPEndPoint target, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var check = $"tftp {target}";
        var request = new List<byte> { 0, 1 };
        request.AddRange(Encoding.ASCII.GetBytes(ProbeName));
        request.Add(0);
        request.AddRange("octet"u8.ToArray());
        request.Add(0);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await udp.SendAsync(request.ToArray(), target, linked.Token);
            var reply = await udp.ReceiveAsync(linked.Token);
            var opcode = reply.Buffer.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(reply.Buffer) : 0;
            if (opcode == 3)
            {
                // A file by that name exists: stop the transfer politely (ERROR 0) instead of letting it time out.
                await udp.SendAsync(new byte[] { 0, 5, 0, 0, 0 }, reply.RemoteEndPoint, cancellationToken);
            }

            return opcode is 3 or 5 or 6
                ? DoctorResult.Ok(check, $"answers a read request ({(opcode == 5 ? "error packet for the probe name" : "data")})")
                : DoctorResult.Fail(check, $"answered with TFTP opcode {opcode}", "another program owns this port: stop it (ss -lunp) or move Tftp:Listen");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return DoctorResult.Fail(check, $"no answer within {timeout.TotalSeconds:0} s", "start the service (systemctl start asterisk-cisco-bridge) and check Tftp:Listen and the firewall (udp 69)");
        }
        catch (SocketException e)
        {
            return DoctorResult.Fail(check, e.Message, "start the service (systemctl start asterisk-cisco-bridge) and check Tftp:Listen");
        }
    }

    public static async Task<DoctorResult> HttpAsync(IPEndPoint listen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var target = Reachable(listen);
        var check = $"http {target}";
        using var client = new HttpClient { Timeout = timeout };
        try
        {
            var host = target.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{target.Address}]" : target.Address.ToString();
            using var response = await client.GetAsync(new Uri($"http://{host}:{target.Port}/{ProbeName}"), cancellationToken);
            return DoctorResult.Ok(check, $"answers HTTP ({(int)response.StatusCode} for the probe name)");
        }
        catch (HttpRequestException e)
        {
            return DoctorResult.Fail(check, e.Message, "start the service and check Http:Listen and the firewall (tcp 6970)");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DoctorResult.Fail(check, $"no answer within {timeout.TotalSeconds:0} s", "start the service and check Http:Listen and the firewall (tcp 6970)");
        }
    }
}
