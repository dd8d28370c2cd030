using System.Net;
using System.Net.Sockets;
using System.Text;
using AsteriskCiscoBridge.Ami.Tests.Framing;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Time;

namespace AsteriskCiscoBridge.Ami.Tests;

public sealed class AmiConnectionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// An AMI peer that writes the recorded banner, waits for one action, and answers with the given bytes cut at the
    /// given read sizes (each write flushed on its own), then waits for the client to close.
    /// </summary>
    private sealed class ScriptedPeer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task _serve;

        private ScriptedPeer(byte[] answer, IReadOnlyList<int> sizes)
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _serve = ServeAsync(answer, sizes);
        }

        public int Port { get; }

        public static ScriptedPeer Start(byte[] answer, IReadOnlyList<int> sizes) => new(answer, sizes);

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await _serve;
            }
            catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
            {
            }
        }

        private async Task ServeAsync(byte[] answer, IReadOnlyList<int> sizes)
        {
            using var client = await _listener.AcceptTcpClientAsync();
            client.NoDelay = true;
            var stream = client.GetStream();
            var banner = AmiFixtures.ServerStream("login-plain");
            await stream.WriteAsync(banner.AsMemory(0, Array.IndexOf(banner, (byte)'\n') + 1));
            var received = new List<byte>();
            var chunk = new byte[4096];
            while (!Encoding.ASCII.GetString([.. received]).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(chunk);
                if (n == 0)
                {
                    return;
                }

                received.AddRange(chunk.AsSpan(0, n));
            }

            for (int offset = 0, i = 0; offset < answer.Length; i++)
            {
                var length = Math.Min(sizes[i % sizes.Count], answer.Length - offset);
                await stream.WriteAsync(answer.AsMemory(offset, length));
                await stream.FlushAsync();
                offset += length;
            }

            while (await stream.ReadAsync(chunk) > 0)
            {
            }
        }
    }

    private static AmiConnectionOptions Options(AmiTestServer server, string user = "bridge", string secret = "bridgepw") => new()
    {
        Port = server.Port,
        Username = user,
        Secret = secret,
        PingInterval = TimeSpan.Zero,
    };

    [Fact]
    public async Task SendAsync_in_flight_actions_fail_fast_when_the_connection_drops()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = AmiTestServer.Start();
        server.DropConnectionOn = a => a["Action"] == "GetConfig";
        await using var connection = await AmiConnection.ConnectAsync(Options(server), TimeProvider.System, null, ct);
        await connection.LoginAsync(ct);

        // The server answers in order, so the list after GetConfig is in flight when the socket closes.
        var endpoints = connection.SendAsync(new AmiAction("PJSIPShowEndpoints"), ct);
        var config = connection.SendAsync(new AmiAction("GetConfig").Add("Filename", "pjsip.conf"), ct);
        var auths = connection.SendAsync(new AmiAction("PJSIPShowAuths"), ct);

        Assert.True((await endpoints.WaitAsync(Bound, ct)).IsSuccess);
        await Assert.ThrowsAsync<AmiConnectionLostException>(() => config.WaitAsync(Bound, ct));
        await Assert.ThrowsAsync<AmiConnectionLostException>(() => auths.WaitAsync(Bound, ct));
        Assert.False(connection.IsOpen);
        await Assert.ThrowsAsync<AmiConnectionLostException>(() => connection.SendAsync(new AmiAction("Ping"), ct));
    }

    [Theory]
    [InlineData(AmiWriteMode.ByteByByte)]
    [InlineData(AmiWriteMode.SmallChunks)]
    public async Task SendAsync_lists_arrive_whole_when_the_server_writes_in_tiny_pieces(AmiWriteMode mode)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = AmiTestServer.Start();
        server.WriteMode = mode;
        await using var connection = await AmiConnection.ConnectAsync(Options(server), TimeProvider.System, null, ct);
        await connection.LoginAsync(ct);

        var response = await connection.SendAsync(new AmiAction("PJSIPShowAuths"), ct).WaitAsync(Bound, ct);

        Assert.Equal(5, response.Events.Count); // 6006 and notify-out have no auth
        Assert.Equal("5", response.Completion!["ListItems"]);
        Assert.Equal("zm;6003#utf8", response.Events.Single(e => e["ObjectName"] == "6003-auth")["Password"]);
    }

    [Theory]
    [InlineData(7, 3)]
    [InlineData(5000, 1000)]
    public async Task SendAsync_events_inside_a_list_go_to_the_events_and_the_list_arrives_whole_in_recorded_read_sizes(int items, int eventEvery)
    {
        // Reliability catalogue case 24: unsolicited events between the Response (EventList: start) and its items and
        // between items; with 5000 items the answer is over 1 MB, streamed in pjsip-show's recorded read sizes.
        var ct = TestContext.Current.CancellationToken;
        var stream = RecordedListStream.Build(items, eventEvery, out var events);
        await using var peer = ScriptedPeer.Start(stream, RecordedListStream.RecordedReadSizes);
        await using var connection = await AmiConnection.ConnectAsync(new AmiConnectionOptions { Port = peer.Port, PingInterval = TimeSpan.Zero }, TimeProvider.System, null, ct);

        var response = await connection.SendAsync(new AmiAction("PJSIPShowEndpoints").Add("ActionID", RecordedListStream.ActionId), ct).WaitAsync(Bound, ct);

        Assert.Equal("start", response.Response["EventList"]);
        Assert.Equal(Enumerable.Range(0, items).Select(RecordedListStream.ItemName), response.Events.Select(e => e["ObjectName"]));
        Assert.Equal(items.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Completion!["ListItems"]);
        var unsolicited = new List<string>();
        while (unsolicited.Count < events.Count)
        {
            unsolicited.Add((await connection.Events.ReadAsync(ct).AsTask().WaitAsync(Bound, ct)).EventName!);
        }

        Assert.Equal(events, unsolicited);
        Assert.False(connection.Events.TryRead(out _));
        Assert.True(connection.IsOpen);
    }

    [Fact]
    public async Task Events_a_slow_consumer_loses_the_oldest_events_and_they_are_counted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = AmiTestServer.Start();
        var options = new AmiConnectionOptions { Port = server.Port, Username = "bridge", Secret = "bridgepw", PingInterval = TimeSpan.Zero, EventBufferCapacity = 2 };
        await using var connection = await AmiConnection.ConnectAsync(options, TimeProvider.System, null, ct);
        await connection.LoginAsync(ct);
        for (var i = 0; i < 5; i++)
        {
            await server.SendContactStatusAsync("6001", "sip:6001@127.0.0.1:" + (5000 + i), "Reachable", ct);
        }

        // Answers are dispatched in arrival order: once Ping is answered every event before it was handled.
        await connection.SendAsync(new AmiAction("Ping"), ct).WaitAsync(Bound, ct);

        Assert.Equal(4, connection.DroppedEvents); // FullyBooted + 5 ContactStatus into a buffer of 2
        var first = await connection.Events.ReadAsync(ct);
        var second = await connection.Events.ReadAsync(ct);
        Assert.Equal("sip:6001@127.0.0.1:5003", first["URI"]);
        Assert.Equal("sip:6001@127.0.0.1:5004", second["URI"]);
    }

    [Fact]
    public async Task Keepalive_a_peer_that_stops_answering_Ping_is_declared_dead()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new CountingTimeProvider();
        await using var server = AmiTestServer.Start();
        server.AnswerPings = false;
        var options = new AmiConnectionOptions
        {
            Port = server.Port,
            Username = "bridge",
            Secret = "bridgepw",
            PingInterval = TimeSpan.FromSeconds(20),
            PingTimeout = TimeSpan.FromSeconds(10),
        };
        await using var connection = await AmiConnection.ConnectAsync(options, time, null, ct);
        await connection.LoginAsync(ct);

        time.Advance(TimeSpan.FromSeconds(20));
        await server.WaitForActionAsync("Ping", ct).WaitAsync(Bound, ct);
        Assert.True(connection.IsOpen);
        time.Advance(TimeSpan.FromSeconds(10));

        var reason = await connection.Closed.WaitAsync(Bound, ct);
        Assert.Contains("no answer to Ping", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keepalive_an_answered_Ping_keeps_the_connection()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new CountingTimeProvider();
        await using var server = AmiTestServer.Start();
        var options = new AmiConnectionOptions { Port = server.Port, Username = "bridge", Secret = "bridgepw", PingInterval = TimeSpan.FromSeconds(20) };
        await using var connection = await AmiConnection.ConnectAsync(options, time, null, ct);
        await connection.LoginAsync(ct);

        time.Advance(TimeSpan.FromSeconds(20));
        await server.WaitForActionAsync("Ping", ct).WaitAsync(Bound, ct);
        var pong = await connection.SendAsync(new AmiAction("Ping"), ct).WaitAsync(Bound, ct);
        time.Advance(TimeSpan.FromSeconds(15));

        Assert.Equal("Pong", pong.Response["Ping"]);
        Assert.True(connection.IsOpen);
    }

    [Fact]
    public async Task SendAsync_permission_denied_is_an_answer_not_a_dropped_connection()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = AmiTestServer.Start();
        await using var connection = await AmiConnection.ConnectAsync(Options(server, "readonly", "readonlypw"), TimeProvider.System, null, ct);
        await connection.LoginAsync(ct);

        var response = await connection.SendAsync(new AmiAction("PJSIPShowEndpoints"), ct);

        Assert.True(response.IsPermissionDenied);
        var ex = Assert.Throws<AmiActionException>(() => response.EnsureSuccess("PJSIPShowEndpoints"));
        Assert.True(ex.IsPermissionDenied);
        Assert.True((await connection.SendAsync(new AmiAction("Ping"), ct)).IsSuccess);
    }

    [Fact]
    public async Task SendAsync_cancelled_action_frees_its_id_and_its_late_answer_is_not_an_event()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = AmiTestServer.Start();
        server.AnswerPings = false;
        await using var connection = await AmiConnection.ConnectAsync(Options(server), TimeProvider.System, null, ct);
        await connection.LoginAsync(ct);
        _ = await connection.Events.ReadAsync(ct); // FullyBooted
        using var cancel = new CancellationTokenSource();

        var ping = connection.SendAsync(new AmiAction("Ping").Add("ActionID", "same"), cancel.Token);
        await server.WaitForActionAsync("Ping", ct).WaitAsync(Bound, ct);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ping);
        server.AnswerPings = true;
        var again = await connection.SendAsync(new AmiAction("Ping").Add("ActionID", "same"), ct).WaitAsync(Bound, ct);

        Assert.True(again.IsSuccess);
        Assert.False(connection.Events.TryRead(out _));
    }

    [Fact]
    public async Task ReadLoop_garbage_from_the_peer_closes_the_connection_with_the_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var serve = Task.Run(
                async () =>
                {
                    using var client = await listener.AcceptTcpClientAsync(ct);
                    var stream = client.GetStream();
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("Asterisk Call Manager/11.0.0\r\nthis is not ami\r\n\r\n"), ct);
                    var buffer = new byte[256];
                    while (await stream.ReadAsync(buffer, ct) > 0)
                    {
                    }
                },
                ct);
            var options = new AmiConnectionOptions { Port = port, Username = "x", Secret = "y", PingInterval = TimeSpan.Zero };
            await using var connection = await AmiConnection.ConnectAsync(options, TimeProvider.System, null, ct);

            var reason = await connection.Closed.WaitAsync(Bound, ct);

            Assert.Contains("malformed AMI data: line without a colon at byte 0", reason.Message, StringComparison.Ordinal);
            await serve.WaitAsync(Bound, ct);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task ConnectAsync_nothing_listening_is_a_connection_error()
    {
        var ct = TestContext.Current.CancellationToken;
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var ex = await Assert.ThrowsAsync<AmiConnectionLostException>(
            () => AmiConnection.ConnectAsync(new AmiConnectionOptions { Port = port }, TimeProvider.System, null, ct));
        Assert.Contains("cannot connect", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginAsync_md5_and_plain_both_log_in_and_a_wrong_secret_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = AmiTestServer.Start();
        foreach (var type in new[] { AmiAuthType.Md5, AmiAuthType.Plain })
        {
            var options = new AmiConnectionOptions { Port = server.Port, Username = "bridge", Secret = "bridgepw", AuthType = type, PingInterval = TimeSpan.Zero };
            await using var good = await AmiConnection.ConnectAsync(options, TimeProvider.System, null, ct);
            await good.LoginAsync(ct);
            Assert.Equal("FullyBooted", (await good.Events.ReadAsync(ct)).EventName);

            var bad = new AmiConnectionOptions { Port = server.Port, Username = "bridge", Secret = "nope", AuthType = type, PingInterval = TimeSpan.Zero };
            await using var refused = await AmiConnection.ConnectAsync(bad, TimeProvider.System, null, ct);
            await Assert.ThrowsAsync<AmiAuthenticationException>(() => refused.LoginAsync(ct));
        }

        Assert.Equal(2, server.LoginCount);
    }
}
