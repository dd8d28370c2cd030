using System.Net;
using System.Net.Sockets;
using System.Text;
using AsteriskCiscoBridge.Host.Diagnostics;
using AsteriskCiscoBridge.Services.Diagnostics;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Time;
using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Server;

namespace AsteriskCiscoBridge.Host.Tests.Diagnostics;

/// <summary>The port probes over real sockets: a real TFTP server answers, a silent port and a closed one do not.</summary>
public sealed class PortProbeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tftp_probe_is_ok_when_a_tftp_server_answers_with_an_error_packet()
    {
        using var root = new TempDirectory("acb-doctor-tftp");
        await using var server = new TftpServer(new TftpServerOptions { Listen = [new IPEndPoint(IPAddress.Loopback, 0)] }, [new DirectoryFileSource(root.Path)]);
        server.Start();

        var result = await PortProbe.TftpAsync(server.LocalEndPoints[0], TimeSpan.FromSeconds(30), TimeProvider.System, Ct);

        Assert.Equal(DoctorStatus.Ok, result.Status);
        Assert.Contains("error packet", result.Line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tftp_probe_sends_a_read_request_and_fails_when_nothing_answers_in_time()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var time = new CountingTimeProvider();
        var probe = PortProbe.TftpAsync((IPEndPoint)silent.Client.LocalEndPoint!, TimeSpan.FromSeconds(2), time, Ct);

        var request = await silent.ReceiveAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await Eventually.TrueAsync(() => time.PendingTimers > 0, "the probe's deadline is armed", Ct);
        time.Advance(TimeSpan.FromSeconds(2));
        var result = await probe.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal("\0\u0001acb-doctor-probe.txt\0octet\0", Encoding.ASCII.GetString(request.Buffer));
        Assert.Equal(DoctorStatus.Fail, result.Status);
        Assert.Equal("no answer within 2 s", result.Line);
        Assert.Contains("Tftp:Listen", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_probe_fails_on_a_closed_port()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var result = await PortProbe.HttpAsync(new IPEndPoint(IPAddress.Loopback, port), TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(DoctorStatus.Fail, result.Status);
        Assert.Contains("Http:Listen", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wildcard_listen_address_is_probed_on_loopback()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 69), PortProbe.Reachable(new IPEndPoint(IPAddress.Any, 69)));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 69), PortProbe.Reachable(new IPEndPoint(IPAddress.IPv6Any, 69)));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.5"), 69), PortProbe.Reachable(new IPEndPoint(IPAddress.Parse("192.0.2.5"), 69)));
    }
}
