using System.Net;
using System.Net.Sockets;
using System.Text;
using AsteriskCiscoBridge.Testing.Phones;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Server;

namespace AsteriskCiscoBridge.Scenarios.Tests.Phones;

/// <summary>The phone simulator the scenarios rely on behaves as spec §1 and §4 say, against the real TFTP server and recorded NOTIFY bytes.</summary>
public sealed class PhoneSimulatorTests : IAsyncDisposable
{
    private const string Mac = "0011223344AA";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _root = new("acb-phone");
    private readonly DirectoryFileSource _files;
    private readonly TftpServer _server;

    public PhoneSimulatorTests()
    {
        _files = new DirectoryFileSource(_root.Path);
        _server = new TftpServer(new TftpServerOptions { Listen = [new IPEndPoint(IPAddress.Loopback, 0)] }, [_files]);
        _server.Start();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _files.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task A_7940_boots_in_spec_order_and_keeps_its_lines_and_sync()
    {
        _root.Write("OS79XX.TXT", "P0S3-08-12-00");
        _root.Write("SIPDefault.cnf", "sync: 1\nproxy1_address: \"10.0.0.1\"\n");
        _root.Write($"SIP{Mac}.cnf", "line1_name: 6001\nline1_authname: \"6001\"\nline1_password: \"s3cret; really\"\nsync: 4 ; per phone\n");
        await using var phone = new PhoneSimulator(PhoneFamily.Sip79x0, Mac, _server.LocalEndPoints[0], "P0S3-08-12-00");

        await phone.BootAsync(Ct);

        Assert.Equal(phone.BootSequence, phone.History.Where(h => h.Kind == "fetched").Select(h => h.Detail.Replace(" (not found)", string.Empty, StringComparison.Ordinal)));
        Assert.Null(phone.Files[$"CTLSEP{Mac}.tlv"]);
        Assert.Equal("4", phone.Sync);
        Assert.Equal([("6001", "s3cret; really")], phone.Lines);
    }

    [Fact]
    public async Task A_7961_without_its_own_file_asks_for_the_default()
    {
        _root.Write("XMLDefault.cnf.xml", "<Default/>");
        await using var phone = new PhoneSimulator(PhoneFamily.Sip79x1, Mac, _server.LocalEndPoints[0], "SIP41.9-4-2SR3-1S");

        await phone.BootAsync(Ct);

        Assert.Contains(phone.History, h => h.Detail == "XMLDefault.cnf.xml");
        Assert.Empty(phone.Lines);
    }

    [Fact]
    public async Task A_7940_answers_the_recorded_check_sync_notify_and_reboots_when_the_sync_differs()
    {
        _root.Write($"SIP{Mac}.cnf", "line1_name: 6001\nline1_password: \"old\"\nsync: 1\n");
        _root.Write("syncinfo.xml", "<SYNCINFO>\n<IMAGE VERSION=\"*\" SYNC=\"1\"/>\n</SYNCINFO>\n");
        await using var phone = new PhoneSimulator(PhoneFamily.Sip79x0, Mac, _server.LocalEndPoints[0], "P0S3-08-12-00");
        await phone.BootAsync(Ct);
        var recorded = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.AsteriskFixtures, "sip", "notify-6001-variable-event-check-sync.sip"), Ct);
        using var asterisk = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        asterisk.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        // Same sync in syncinfo.xml as in the config: nothing to do.
        await asterisk.SendToAsync(recorded, SocketFlags.None, phone.SipEndPoint, Ct);
        var ok = await ReceiveAsync(asterisk);
        await phone.WaitForAsync("unchanged", Wait, Ct);

        // The bridge bumps both: the phone now holds 1, syncinfo says 2 → reboot, new password.
        _root.Write($"SIP{Mac}.cnf", "line1_name: 6001\nline1_password: \"new\"\nsync: 2\n");
        _root.Write("syncinfo.xml", "<SYNCINFO>\n<IMAGE VERSION=\"*\" SYNC=\"2\"/>\n</SYNCINFO>\n");
        await asterisk.SendToAsync(recorded, SocketFlags.None, phone.SipEndPoint, Ct);
        await ReceiveAsync(asterisk);
        await phone.WaitForAsync("booted", Wait, Ct);

        var request = SipMessage.Parse(recorded)!;
        Assert.StartsWith("SIP/2.0 200 OK", ok.StartLine, StringComparison.Ordinal);
        Assert.Equal(request.Header("Call-ID"), ok.Header("Call-ID"));
        Assert.Equal(request.Header("CSeq"), ok.Header("CSeq"));
        Assert.Equal(request.Header("Via"), ok.Header("Via"));
        Assert.Equal([("6001", "new")], phone.Lines);
        Assert.Equal("2", phone.Sync);
    }

    [Fact]
    public async Task A_7961_restarts_only_on_a_service_control_naming_its_registration()
    {
        _root.Write($"SEP{Mac}.cnf.xml", "<device><sipLines><line button=\"1\"><authName>6001</authName><authPassword>pw</authPassword></line></sipLines></device>");
        await using var phone = new PhoneSimulator(PhoneFamily.Sip79x1, Mac, _server.LocalEndPoints[0], "SIP41.9-4-2SR3-1S");
        await phone.BootAsync(Ct);
        using var asterisk = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        asterisk.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        await asterisk.SendToAsync(ServiceControl("restart", "not-the-call-id"), SocketFlags.None, phone.SipEndPoint, Ct);
        await ReceiveAsync(asterisk);
        await phone.WaitForAsync("ignored", Wait, Ct);
        await asterisk.SendToAsync(ServiceControl("restart", phone.CallId), SocketFlags.None, phone.SipEndPoint, Ct);
        await ReceiveAsync(asterisk);
        await phone.WaitForAsync("booted", Wait, Ct);

        Assert.Equal(2, phone.Boots);
        Assert.Equal([("6001", "pw")], phone.Lines);
    }

    private static byte[] ServiceControl(string action, string callId) => Encoding.ASCII.GetBytes(
        "NOTIFY sip:6001@127.0.0.1:5070 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;rport;branch=z9hG4bKPj1\r\n"
        + "From: <sip:6001@127.0.0.1>;tag=a\r\nTo: <sip:6001@127.0.0.1>\r\nCall-ID: c1\r\nCSeq: 1 NOTIFY\r\n"
        + "Event: service-control\r\nSubscription-State: active\r\nContent-Type: text/plain\r\n\r\n"
        + $"action={action}\r\nRegisterCallId={{{callId}}}\r\n");

    private static async Task<SipMessage> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        var n = await socket.ReceiveAsync(buffer, Ct).AsTask().WaitAsync(Wait, Ct);
        return SipMessage.Parse(buffer.AsSpan(0, n))!;
    }
}
