using System.Net;
using System.Net.Sockets;
using AsteriskCiscoBridge.Host.Diagnostics;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Services.Diagnostics;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Time;

namespace AsteriskCiscoBridge.Host.Tests.Diagnostics;

/// <summary>The AMI checks against the AMI test server (recorded wire format): each one's OK and FAIL path.</summary>
public sealed class AmiDoctorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AmiTestServer Asterisk()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "pw") with { Contacts = [new AmiTestContact("sip:6001@127.0.0.1:5070", "Cisco-CP7960G/8.0", "reg-6001")] });
        return AmiTestServer.Start(pbx);
    }

    private static AmiOptions User(AmiTestServer server, string user, string secret) =>
        new() { Host = "127.0.0.1", Port = server.Port, Username = user, Secret = secret };

    private static Dictionary<string, DoctorResult> ByCheck(AmiDoctorReport report) => report.Results.ToDictionary(r => r.Check);

    [Fact]
    public async Task Doctor_with_the_bridge_user_passes_every_ami_check_without_notifying_a_phone()
    {
        await using var server = Asterisk();

        var report = await AmiDoctor.RunAsync(User(server, "bridge", "bridgepw"), null, new CountingTimeProvider(), Ct);

        Assert.All(report.Results, r => Assert.Equal(DoctorStatus.Ok, r.Status));
        Assert.Equal(["ami.reachable", "ami.login", "ami.read-endpoints", "ami.read-config", "ami.notify"], report.Results.Select(r => r.Check));
        Assert.NotNull(report.Snapshot);
        Assert.Equal("6001", Assert.Single(report.Snapshot.Endpoints).Name);

        // The NOTIFY probe named the non-existent endpoint, never 6001.
        var notifies = new List<string?>();
        while (server.Received.TryRead(out var received))
        {
            if (received.Action["Action"] == "PJSIPNotify")
            {
                notifies.Add(received.Action["Endpoint"]);
            }
        }

        Assert.Equal([AmiDoctor.ProbeEndpoint], notifies);
        Assert.Equal(0, server.Notifies.Delivered);
    }

    [Fact]
    public async Task Doctor_with_a_reporting_only_user_fails_each_permission_with_the_manager_conf_fix()
    {
        await using var server = Asterisk();

        var report = await AmiDoctor.RunAsync(User(server, "readonly", "readonlypw"), null, new CountingTimeProvider(), Ct);
        var results = ByCheck(report);

        Assert.Equal(DoctorStatus.Ok, results["ami.login"].Status);
        foreach (var check in new[] { "ami.read-endpoints", "ami.read-config", "ami.notify", "ami.snapshot" })
        {
            Assert.Equal(DoctorStatus.Fail, results[check].Status);
            Assert.Contains("write = system", results[check].Fix, StringComparison.Ordinal);
        }

        Assert.Contains("Permission denied", results["ami.notify"].Line, StringComparison.Ordinal);
        Assert.Null(report.Snapshot);
    }

    [Fact]
    public async Task Doctor_with_a_wrong_secret_fails_the_login()
    {
        await using var server = Asterisk();

        var report = await AmiDoctor.RunAsync(User(server, "bridge", "wrong"), null, new CountingTimeProvider(), Ct);

        Assert.Equal(["ami.reachable", "ami.login"], report.Results.Select(r => r.Check));
        Assert.Equal(DoctorStatus.Ok, report.Results[0].Status);
        Assert.Equal(DoctorStatus.Fail, report.Results[1].Status);
        Assert.Contains("Authentication failed", report.Results[1].Line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_without_asterisk_fails_reachable()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var report = await AmiDoctor.RunAsync(new AmiOptions { Host = "127.0.0.1", Port = port, Username = "bridge", Secret = "bridgepw" }, null, new CountingTimeProvider(), Ct);

        var result = Assert.Single(report.Results);
        Assert.Equal(("ami.reachable", DoctorStatus.Fail), (result.Check, result.Status));
        Assert.Contains("manager.conf", result.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_without_ami_settings_says_which_to_set()
    {
        var report = await AmiDoctor.RunAsync(null, "invalid Ami configuration", new CountingTimeProvider(), Ct);

        var result = Assert.Single(report.Results);
        Assert.Equal(("ami.config", DoctorStatus.Fail, "invalid Ami configuration"), (result.Check, result.Status, result.Line));
    }
}
