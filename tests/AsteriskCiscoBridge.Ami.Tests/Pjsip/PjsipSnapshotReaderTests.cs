using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Testing.Ami;

namespace AsteriskCiscoBridge.Ami.Tests.Pjsip;

public sealed class PjsipSnapshotReaderTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static async Task<AmiConnection> ConnectAsync(AmiTestServer server, CancellationToken ct, string user = "bridge", string secret = "bridgepw")
    {
        var connection = await AmiConnection.ConnectAsync(
            new AmiConnectionOptions { Port = server.Port, Username = user, Secret = secret, PingInterval = TimeSpan.Zero },
            TimeProvider.System,
            null,
            ct);
        await connection.LoginAsync(ct);
        return connection;
    }

    private static async Task<List<string>> DrainActionsAsync(AmiTestServer server)
    {
        var names = new List<string>();
        while (server.Received.TryRead(out var received))
        {
            names.Add(received.Action["Action"]!);
        }

        await Task.CompletedTask;
        return names;
    }

    [Fact]
    public async Task ReadAsync_file_based_lab_takes_six_pipelined_actions_and_no_detail_reads()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = AmiTestServer.Start();
        await using var connection = await ConnectAsync(server, ct);
        await DrainActionsAsync(server);

        var result = await new PjsipSnapshotReader(connection, TimeProvider.System).ReadAsync(ct).WaitAsync(Bound, ct);

        Assert.True(result.IsComplete, result.Failure);
        var snapshot = result.Snapshot!;
        Assert.Equal(6, snapshot.ActionCount);
        Assert.Equal(
            ["GetConfig", "GetConfig", "GetConfig", "PJSIPShowAuths", "PJSIPShowContacts", "PJSIPShowEndpoints"],
            (await DrainActionsAsync(server)).Order(StringComparer.Ordinal));
        Assert.Equal(["6001", "6002", "6003", "6004", "6005", "6006", "notify-out"], snapshot.Endpoints.Select(e => e.Name));
        Assert.Equal([("6001", "001122334455"), ("6003", "0006d7b1c2d3")], snapshot.PhoneprovSections.Select(c => (c.Get("endpoint"), c.Get("MAC"))));
        Assert.Equal("0006D7AA2A2E", snapshot.Find("6004")!.SetVars.Single(v => v.Key == "CISCO_MAC").Value);
        Assert.Equal("Zoë Müller", snapshot.Find("6003")!.CallerIdName);
        Assert.False(snapshot.Find("6005")!.IsProvisionable);
        Assert.Equal(("transport-udp", "127.0.0.1", 5060, PjsipTransportSource.Config), (snapshot.Find("6001")!.SipTransport!.Name, snapshot.Find("6001")!.SipTransport!.BindHost, snapshot.Find("6001")!.SipTransport!.BindPort, snapshot.Find("6001")!.SipTransport!.Source));
    }

    [Fact]
    public async Task ReadAsync_a_transport_outside_pjsip_conf_is_read_from_one_endpoints_transport_detail()
    {
        var ct = TestContext.Current.CancellationToken;
        var pbx = AmiTestPbx.FromRecordedLab();
        pbx.Transports = [new AmiTestTransport("transport-udp", "udp", "10.0.0.5:5160", InConfigFile: false)];
        pbx.Set(AmiTestEndpoint.Plain("6010", "pw-6010") with { Transport = string.Empty });
        await using var server = AmiTestServer.Start(pbx);
        await using var connection = await ConnectAsync(server, ct);
        await DrainActionsAsync(server);

        var result = await new PjsipSnapshotReader(connection, TimeProvider.System).ReadAsync(ct).WaitAsync(Bound, ct);

        Assert.True(result.IsComplete, result.Failure);
        var snapshot = result.Snapshot!;
        Assert.Equal(7, snapshot.ActionCount);
        Assert.Equal(1, (await DrainActionsAsync(server)).Count(a => a == "PJSIPShowEndpoint"));
        var alice = snapshot.Find("6001")!;
        Assert.Equal(new PjsipTransport("transport-udp", "udp", "10.0.0.5", 5160, null, null, PjsipTransportSource.TransportDetail), alice.SipTransport);
        Assert.Equal(alice.SipTransport, snapshot.Find("notify-out")!.SipTransport);
        var noTransport = snapshot.Find("6010")!;
        Assert.Equal((alice.SipTransport, PjsipTransportChoice.FirstOfProtocol), (noTransport.SipTransport, noTransport.TransportChoice));
    }

    [Fact]
    public async Task ReadAsync_realtime_endpoints_get_a_targeted_detail_read_each()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = AmiTestServer.Start(AmiTestPbx.Generate(40, realtimeEvery: 4));
        await using var connection = await ConnectAsync(server, ct);
        await DrainActionsAsync(server);

        var result = await new PjsipSnapshotReader(connection, TimeProvider.System).ReadAsync(ct).WaitAsync(Bound, ct);

        Assert.True(result.IsComplete, result.Failure);
        var details = (await DrainActionsAsync(server)).Count(a => a == "PJSIPShowEndpoint");
        Assert.Equal(10, details);
        Assert.Equal(16, result.Snapshot!.ActionCount);
        var realtime = result.Snapshot.Find("100004")!;
        Assert.Equal(("User 4 Ünïcode", "100004"), (realtime.CallerIdName, realtime.CallerIdNumber));
        Assert.Equal("pw-100004-Zz9!", realtime.Auth!.Password);
        Assert.DoesNotContain(result.Snapshot.PhoneprovSections, c => c.Get("endpoint") == "100004"); // its phoneprov section would be in the file, and it is not there
        var registered = result.Snapshot.Find("100010")!;
        Assert.Equal("Cisco-CP7945G/9.4.2", Assert.Single(registered.Contacts).UserAgent);
        Assert.Equal("0006D7000001", result.Snapshot.Find("100001")!.SetVars.Single(v => v.Key == "ACB_MAC").Value);
    }

    [Fact]
    public async Task ReadAsync_no_endpoints_found_is_a_complete_empty_snapshot_not_a_failure()
    {
        // A PBX with nothing loaded (a realtime backend down, a read before FullyBooted) answers the lists with
        // errors, "No endpoints found" and "No Auths found", not empty lists: the snapshot says "none" so that the
        // service's removal guard, not a failed read, decides what to do with it.
        var ct = TestContext.Current.CancellationToken;
        await using var server = AmiTestServer.Start(new AmiTestPbx());
        await using var connection = await ConnectAsync(server, ct);

        var result = await new PjsipSnapshotReader(connection, TimeProvider.System).ReadAsync(ct).WaitAsync(Bound, ct);

        Assert.True(result.IsComplete, result.Failure);
        Assert.Empty(result.Snapshot!.Endpoints);
    }

    [Fact]
    public async Task ReadAsync_permission_denied_gives_no_snapshot_and_says_which_class()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = AmiTestServer.Start();
        await using var connection = await ConnectAsync(server, ct, "readonly", "readonlypw");

        var result = await new PjsipSnapshotReader(connection, TimeProvider.System).ReadAsync(ct).WaitAsync(Bound, ct);

        Assert.False(result.IsComplete);
        Assert.True(result.PermissionDenied);
        Assert.Contains("Permission denied", result.Failure, StringComparison.Ordinal);
        Assert.Contains("write=system", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_connection_lost_mid_read_gives_no_snapshot()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = AmiTestServer.Start(AmiTestPbx.Generate(20, realtimeEvery: 2));
        server.DropConnectionOn = a => a["Action"] == "PJSIPShowEndpoint" && a["Endpoint"] == "100010";
        await using var connection = await ConnectAsync(server, ct);

        var result = await new PjsipSnapshotReader(connection, TimeProvider.System).ReadAsync(ct).WaitAsync(Bound, ct);

        Assert.False(result.IsComplete);
        Assert.Contains("connection lost during the read", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_endpoint_removed_between_the_rounds_gives_no_snapshot()
    {
        var ct = TestContext.Current.CancellationToken;
        var pbx = AmiTestPbx.Generate(6, realtimeEvery: 3);
        await using var server = AmiTestServer.Start(pbx);
        server.DropConnectionOn = a =>
        {
            // The PBX loses the endpoint just before the detail read of it arrives.
            if (a["Action"] == "PJSIPShowEndpoint" && a["Endpoint"] == "100003")
            {
                pbx.Remove("100003");
            }

            return false;
        };
        await using var connection = await ConnectAsync(server, ct);

        var result = await new PjsipSnapshotReader(connection, TimeProvider.System).ReadAsync(ct).WaitAsync(Bound, ct);

        Assert.False(result.IsComplete);
        Assert.Contains("Unable to retrieve endpoint 100003", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_sees_endpoints_added_changed_and_removed_between_reads()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = AmiTestServer.Start();
        await using var connection = await ConnectAsync(server, ct);
        var reader = new PjsipSnapshotReader(connection, TimeProvider.System);
        var before = (await reader.ReadAsync(ct)).Snapshot!;

        server.Pbx.Set(AmiTestEndpoint.Plain("6007", "new-7", "Gate <6007>") with { SetVars = [new("ACB_MAC", "00-0b-82-00-00-07")] });
        server.Pbx.Set(server.Pbx.Find("6002")! with { Password = "rotated" });
        server.Pbx.Remove("6006");
        var after = (await reader.ReadAsync(ct)).Snapshot!;

        Assert.Null(before.Find("6007"));
        Assert.Equal([new("ACB_MAC", "00-0b-82-00-00-07")], after.Find("6007")!.SetVars);
        Assert.Equal("Bb-6002-secret!", before.Find("6002")!.Auth!.Password);
        Assert.Equal("rotated", after.Find("6002")!.Auth!.Password);
        Assert.NotNull(before.Find("6006"));
        Assert.Null(after.Find("6006"));
    }
}
