using System.Net;
using System.Net.Sockets;
using System.Text;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using AsteriskCiscoBridge.Testing.Time;
using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Server;

namespace AsteriskCiscoBridge.Tftp.Tests.Server;

public sealed class TftpServerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(1536)]
    [InlineData(100_000)]
    public async Task Serves_files_of_every_size_byte_for_byte(int size)
    {
        await using var harness = new ServerHarness();
        var bytes = harness.Write("file.bin", size);
        using var client = new TftpTestClient();

        var (received, options) = await client.DownloadAsync(harness.EndPoint, "file.bin", Ct);

        Assert.Equal(bytes, received);
        Assert.Empty(options);
    }

    [Fact]
    public async Task Negotiates_blksize_tsize_and_windowsize_with_an_oack()
    {
        await using var harness = new ServerHarness();
        var bytes = harness.Write("P0S3-08-12-00.sb2", 100_000);
        using var client = new TftpTestClient();

        var (received, options) = await client.DownloadAsync(harness.EndPoint, "P0S3-08-12-00.sb2", Ct, "octet", ("BLKSIZE", "1428"), ("tsize", "0"), ("windowsize", "8"), ("unknown", "1"));

        Assert.Equal(bytes, received);
        Assert.Equal(new Dictionary<string, string> { ["blksize"] = "1428", ["tsize"] = "100000", ["windowsize"] = "8" }, options);
        var e = await harness.NextEventAsync(e => e.Outcome == TftpRequestOutcome.Served, Ct);
        Assert.Equal(["blksize=1428", "tsize=100000", "windowsize=8"], e.GrantedOptions.Select(o => o.ToString()));
        Assert.Equal(4, e.RequestedOptions.Count);
    }

    [Fact]
    public async Task Every_request_is_reported_with_client_file_outcome_source_and_bytes()
    {
        await using var harness = new ServerHarness();
        harness.Write("SIPDefault.cnf", 700);
        using var client = new TftpTestClient();

        await client.DownloadAsync(harness.EndPoint, "sipdefault.CNF", Ct);

        var e = await harness.NextEventAsync(_ => true, Ct);
        Assert.Equal(client.LocalEndPoint, e.Client);
        Assert.Equal(harness.EndPoint, e.Local);
        Assert.Equal("sipdefault.CNF", e.FileName);
        Assert.Equal(TftpRequestOutcome.Served, e.Outcome);
        Assert.Equal(700, e.Bytes);
        Assert.Equal(harness.Disk.Name, e.Source);
        Assert.EndsWith("SIPDefault.cnf", e.Detail, StringComparison.Ordinal);
        Assert.Equal(0, e.Retransmits);
    }

    [Fact]
    public async Task A_missing_file_gets_error_1_at_once()
    {
        await using var harness = new ServerHarness();
        using var client = new TftpTestClient();

        await client.SendAsync(TftpTestClient.ReadRequest("CTLSEP001122334455.tlv"), harness.EndPoint, Ct);
        var reply = await client.ReceiveAsync(Wait, Ct);

        Assert.Equal(1, reply.ErrorCode);
        var e = await harness.NextEventAsync(_ => true, Ct);
        Assert.Equal(TftpRequestOutcome.NotFound, e.Outcome);
        Assert.Equal("CTLSEP001122334455.tlv", e.FileName);
    }

    [Fact]
    public async Task A_write_request_gets_error_2_and_writes_nothing()
    {
        await using var harness = new ServerHarness();
        using var client = new TftpTestClient();
        byte[] wrq = [0, 2, .. "upload.bin\0octet\0"u8];

        await client.SendAsync(wrq, harness.EndPoint, Ct);
        var reply = await client.ReceiveAsync(Wait, Ct);

        Assert.Equal(2, reply.ErrorCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(harness.Root));
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("..\\..\\secret.txt")]
    [InlineData("foo/../../secret.txt")]
    [InlineData("C:secret.txt")]
    [InlineData("escape/secret.txt")]
    [InlineData("link-to-secret")]
    public async Task Path_tricks_get_error_2_and_no_byte_from_outside_the_root(string name)
    {
        await using var harness = new ServerHarness();
        var outside = Path.Combine(Path.GetDirectoryName(harness.Root)!, "secret.txt");
        await File.WriteAllTextAsync(outside, "SECRET", Ct);
        Directory.CreateSymbolicLink(Path.Combine(harness.Root, "escape"), Path.GetDirectoryName(harness.Root)!);
        File.CreateSymbolicLink(Path.Combine(harness.Root, "link-to-secret"), outside);
        using var client = new TftpTestClient();

        await client.SendAsync(TftpTestClient.ReadRequest(name), harness.EndPoint, Ct);
        var reply = await client.ReceiveAsync(Wait, Ct);

        Assert.Equal(2, reply.ErrorCode);
        Assert.DoesNotContain("SECRET", Encoding.Latin1.GetString(reply.Bytes), StringComparison.Ordinal);
        Assert.Equal(TftpRequestOutcome.Denied, (await harness.NextEventAsync(_ => true, Ct)).Outcome);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(490)]
    public async Task Over_long_names_are_refused(int length)
    {
        await using var harness = new ServerHarness();
        using var client = new TftpTestClient();

        await client.SendAsync(TftpTestClient.ReadRequest(new string('a', length)), harness.EndPoint, Ct);

        Assert.Equal(2, (await client.ReceiveAsync(Wait, Ct)).ErrorCode);
    }

    [Theory]
    [InlineData("mail")]
    [InlineData("binary")]
    public async Task Unsupported_modes_get_error_4(string mode)
    {
        await using var harness = new ServerHarness();
        harness.Write("a", 10);
        using var client = new TftpTestClient();

        await client.SendAsync(TftpTestClient.ReadRequest("a", mode), harness.EndPoint, Ct);

        Assert.Equal(4, (await client.ReceiveAsync(Wait, Ct)).ErrorCode);
    }

    [Fact]
    public async Task An_option_out_of_range_gets_error_8()
    {
        await using var harness = new ServerHarness();
        harness.Write("a", 10);
        using var client = new TftpTestClient();

        await client.SendAsync(TftpTestClient.ReadRequest("a", "octet", ("blksize", "7")), harness.EndPoint, Ct);

        Assert.Equal(8, (await client.ReceiveAsync(Wait, Ct)).ErrorCode);
        Assert.Equal(TftpRequestOutcome.OptionRefused, (await harness.NextEventAsync(_ => true, Ct)).Outcome);
    }

    [Fact]
    public async Task An_option_refusal_is_counted_on_its_own_not_as_malformed()
    {
        await using var harness = new ServerHarness();
        harness.Write("a", 10);
        using var client = new TftpTestClient();

        await client.SendAsync(TftpTestClient.ReadRequest("a", "octet", ("blksize", "7")), harness.EndPoint, Ct);
        await harness.NextEventAsync(e => e.Outcome == TftpRequestOutcome.OptionRefused, Ct);

        Assert.Equal((1L, 0L, 1L), (harness.Server.Counters.OptionRefused, harness.Server.Counters.Malformed, harness.Server.Counters.Requests));
    }

    [Fact]
    public async Task Netascii_converts_line_ends_even_across_block_boundaries()
    {
        await using var harness = new ServerHarness();
        var text = new string('x', 511) + "\r" + new string('y', 509) + "\n" + "end\n";
        await File.WriteAllTextAsync(Path.Combine(harness.Root, "dialplan.xml"), text, Ct);
        using var client = new TftpTestClient();

        var (received, _) = await client.DownloadAsync(harness.EndPoint, "dialplan.xml", Ct, "netascii");

        Assert.Equal(text.Replace("\r", "\r\0", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal), Encoding.ASCII.GetString(received));
    }

    [Fact]
    public async Task Each_transfer_answers_from_a_new_port()
    {
        await using var harness = new ServerHarness();
        harness.Write("a", 10);
        using var one = new TftpTestClient();
        using var two = new TftpTestClient();

        await one.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);
        await two.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);
        var first = await one.ReceiveAsync(Wait, Ct);
        var second = await two.ReceiveAsync(Wait, Ct);

        Assert.NotEqual(harness.EndPoint.Port, first.From.Port);
        Assert.NotEqual(first.From.Port, second.From.Port);
    }

    [Fact]
    public async Task A_repeated_request_from_the_same_client_port_does_not_start_a_second_transfer()
    {
        await using var harness = new ServerHarness();
        var bytes = harness.Write("a", 2000);
        using var client = new TftpTestClient();

        await client.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);
        var data1 = await client.ReceiveAsync(Wait, Ct);
        await client.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);
        await Eventually.TrueAsync(() => harness.Server.Counters.DuplicateRequests == 1, "duplicate counted", Ct);

        var received = new List<byte>(data1.Payload.ToArray());
        var peer = data1.From;
        for (ushort block = 1; ; block++)
        {
            await client.SendAsync(TftpTestClient.Ack(block), peer, Ct);
            if (received.Count == bytes.Length && block == 4)
            {
                break;
            }

            var next = await client.ReceiveAsync(Wait, Ct);
            Assert.Equal(block + 1, next.Block);
            received.AddRange(next.Payload.ToArray());
        }

        Assert.Equal(bytes, received);
        await Eventually.TrueAsync(() => harness.Server.Counters.Served == 1, "one transfer served", Ct);
        Assert.Equal(1, harness.Server.Counters.Requests - harness.Server.Counters.DuplicateRequests);
    }

    [Fact]
    public async Task Duplicate_acks_never_double_the_data_stream()
    {
        await using var harness = new ServerHarness();
        var bytes = harness.Write("a", 4 * 512);
        using var client = new TftpTestClient();
        await client.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);
        var packet = await client.ReceiveAsync(Wait, Ct);
        var peer = packet.From;
        var received = new List<byte>(packet.Payload.ToArray());

        for (ushort block = 1; block <= 4; block++)
        {
            // Every ACK is sent twice, as a network that duplicates packets would.
            await client.SendAsync(TftpTestClient.Ack(block), peer, Ct);
            await client.SendAsync(TftpTestClient.Ack(block), peer, Ct);
            packet = await client.ReceiveAsync(Wait, Ct);
            Assert.Equal(block + 1, packet.Block);
            received.AddRange(packet.Payload.ToArray());
        }

        await client.SendAsync(TftpTestClient.Ack(5), peer, Ct);
        Assert.Equal(bytes, received);
        await Eventually.TrueAsync(() => harness.Server.Counters.Served == 1, "served", Ct);
    }

    [Fact]
    public async Task A_stranger_port_gets_error_5_and_the_transfer_goes_on()
    {
        await using var harness = new ServerHarness();
        var bytes = harness.Write("a", 1500);
        using var client = new TftpTestClient();
        using var stranger = new TftpTestClient();
        await client.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);
        var data1 = await client.ReceiveAsync(Wait, Ct);

        await stranger.SendAsync(TftpTestClient.Ack(1), data1.From, Ct);
        var rebuff = await stranger.ReceiveAsync(Wait, Ct);

        Assert.Equal(5, rebuff.ErrorCode);
        var received = new List<byte>(data1.Payload.ToArray());
        for (ushort block = 1; block <= 2; block++)
        {
            await client.SendAsync(TftpTestClient.Ack(block), data1.From, Ct);
            var next = await client.ReceiveAsync(Wait, Ct);
            Assert.Equal(block + 1, next.Block);
            received.AddRange(next.Payload.ToArray());
        }

        await client.SendAsync(TftpTestClient.Ack(3), data1.From, Ct);
        Assert.Equal(bytes, received);
        Assert.Equal(1, harness.Server.Counters.StrangerPackets);
    }

    [Fact]
    public async Task Without_acks_the_block_is_resent_with_backoff_then_the_session_is_freed()
    {
        var time = new CountingTimeProvider();
        await using var harness = new ServerHarness(new TftpServerOptions { Listen = ServerHarness.Loopback, MaxRetransmits = 2 }, time);
        harness.Write("a", 2000);
        using var client = new TftpTestClient();
        await client.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);
        Assert.Equal(1, (await client.ReceiveAsync(Wait, Ct)).Block);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await client.ReceiveAsync(Wait, Ct)).Block);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, (await client.ReceiveAsync(Wait, Ct)).Block);
        time.Advance(TimeSpan.FromSeconds(4));

        var e = await harness.NextEventAsync(_ => true, Ct);
        Assert.Equal(TftpRequestOutcome.Failed, e.Outcome);
        Assert.Contains("no acknowledgement after 2 retransmissions", e.Detail, StringComparison.Ordinal);
        Assert.Equal(2, e.Retransmits);
        Assert.Equal(0, harness.Server.Counters.Active);
    }

    [Fact]
    public async Task Over_the_per_client_limit_a_request_gets_an_error_at_once()
    {
        await using var harness = new ServerHarness(new TftpServerOptions { Listen = ServerHarness.Loopback, MaxTransfersPerClient = 1 });
        harness.Write("a", 5000);
        using var first = new TftpTestClient();
        using var second = new TftpTestClient();
        await first.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);
        var data1 = await first.ReceiveAsync(Wait, Ct);

        await second.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);
        var refused = await second.ReceiveAsync(Wait, Ct);

        Assert.Equal(0, refused.ErrorCode);
        Assert.Contains("too many", refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, data1.Block);
        Assert.Equal(TftpRequestOutcome.Busy, (await harness.NextEventAsync(e => e.Client.Equals(second.LocalEndPoint), Ct)).Outcome);
    }

    [Fact]
    public async Task Over_the_global_limit_a_request_gets_an_error_at_once()
    {
        await using var harness = new ServerHarness(new TftpServerOptions { Listen = ServerHarness.Loopback, MaxTransfers = 1 });
        harness.Write("a", 5000);
        using var first = new TftpTestClient();
        using var second = new TftpTestClient();
        await first.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);
        await first.ReceiveAsync(Wait, Ct);

        await second.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);

        Assert.Contains("busy", (await second.ReceiveAsync(Wait, Ct)).ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_outside_the_allowed_networks_is_refused()
    {
        await using var harness = new ServerHarness(new TftpServerOptions { Listen = ServerHarness.Loopback, AllowedNetworks = [IPNetwork.Parse("10.0.0.0/8")] });
        harness.Write("a", 10);
        using var client = new TftpTestClient();

        await client.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);

        Assert.Equal(2, (await client.ReceiveAsync(Wait, Ct)).ErrorCode);
        Assert.Contains("allowed networks", (await harness.NextEventAsync(_ => true, Ct)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_inside_the_allowed_networks_is_served()
    {
        await using var harness = new ServerHarness(new TftpServerOptions { Listen = ServerHarness.Loopback, AllowedNetworks = [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("127.0.0.0/8")] });
        var bytes = harness.Write("a", 10);
        using var client = new TftpTestClient();

        Assert.Equal(bytes, (await client.DownloadAsync(harness.EndPoint, "a", Ct)).Bytes);
    }

    [Theory]
    [InlineData("127.0.0.2")]
    [InlineData("127.0.0.3")]
    public async Task Replies_leave_from_the_address_the_request_was_sent_to(string address)
    {
        await using var harness = new ServerHarness(new TftpServerOptions { Listen = [new IPEndPoint(IPAddress.Any, 0)] });
        var bytes = harness.Write("a", 600);
        var target = new IPEndPoint(IPAddress.Parse(address), harness.EndPoint.Port);
        using var client = new TftpTestClient();
        using var other = new TftpTestClient();

        await client.SendAsync(TftpTestClient.ReadRequest("a"), target, Ct);
        var data = await client.ReceiveAsync(Wait, Ct);
        await other.SendAsync(TftpTestClient.ReadRequest("missing"), target, Ct);
        var error = await other.ReceiveAsync(Wait, Ct);

        Assert.Equal(IPAddress.Parse(address), data.From.Address);
        Assert.Equal(IPAddress.Parse(address), error.From.Address);
        Assert.Equal(target.Port, error.From.Port);
        Assert.Equal(1, error.ErrorCode);
        Assert.Equal(bytes[..512], data.Payload.ToArray());
    }

    [Fact]
    public async Task Serves_over_ipv6()
    {
        await using var harness = new ServerHarness(new TftpServerOptions { Listen = [new IPEndPoint(IPAddress.IPv6Loopback, 0)] });
        var bytes = harness.Write("a", 3000);
        using var client = new TftpTestClient(IPAddress.IPv6Loopback);

        Assert.Equal(bytes, (await client.DownloadAsync(harness.EndPoint, "a", Ct, "octet", ("blksize", "1024"))).Bytes);
    }

    [Fact]
    public async Task Listens_on_several_addresses_at_once()
    {
        await using var harness = new ServerHarness(new TftpServerOptions { Listen = [new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.IPv6Loopback, 0)] });
        var bytes = harness.Write("a", 100);
        using var v4 = new TftpTestClient();
        using var v6 = new TftpTestClient(IPAddress.IPv6Loopback);

        Assert.Equal(bytes, (await v4.DownloadAsync(harness.Server.LocalEndPoints[0], "a", Ct)).Bytes);
        Assert.Equal(bytes, (await v6.DownloadAsync(harness.Server.LocalEndPoints[1], "a", Ct)).Bytes);
    }

    [Fact]
    public async Task A_file_rewritten_during_a_transfer_reaches_the_client_whole_as_it_was()
    {
        await using var harness = new ServerHarness();
        var original = Enumerable.Repeat((byte)'a', 3000).ToArray();
        var path = Path.Combine(harness.Root, "SEP001122334455.cnf.xml");
        await File.WriteAllBytesAsync(path, original, Ct);
        using var client = new TftpTestClient();
        await client.SendAsync(TftpTestClient.ReadRequest("SEP001122334455.cnf.xml"), harness.EndPoint, Ct);
        var packet = await client.ReceiveAsync(Wait, Ct);
        var received = new List<byte>(packet.Payload.ToArray());

        await File.WriteAllBytesAsync(path, Enumerable.Repeat((byte)'b', 3000).ToArray(), Ct);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(10));
        for (ushort block = 1; packet.Payload.Length == 512; block++)
        {
            await client.SendAsync(TftpTestClient.Ack(block), packet.From, Ct);
            packet = await client.ReceiveAsync(Wait, Ct);
            received.AddRange(packet.Payload.ToArray());
        }

        Assert.Equal(original, received);
    }

    [Fact]
    public async Task When_the_port_range_is_used_up_a_request_gets_an_error_and_the_server_recovers()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        await using var harness = new ServerHarness(new TftpServerOptions { Listen = ServerHarness.Loopback, PortRangeStart = port, PortRangeEnd = port });
        var bytes = harness.Write("a", 700);
        using var holder = new TftpTestClient();
        using var late = new TftpTestClient();
        await holder.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);
        var data1 = await holder.ReceiveAsync(Wait, Ct);
        Assert.Equal(port, data1.From.Port);

        await late.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);
        Assert.Contains("busy", (await late.ReceiveAsync(Wait, Ct)).ErrorMessage, StringComparison.Ordinal);

        await holder.SendAsync(TftpTestClient.Ack(1), data1.From, Ct);
        await holder.ReceiveAsync(Wait, Ct);
        await holder.SendAsync(TftpTestClient.Ack(2), data1.From, Ct);
        await Eventually.TrueAsync(() => harness.Server.Counters.Served == 1, "first transfer done", Ct);
        using var again = new TftpTestClient();
        Assert.Equal(bytes, (await again.DownloadAsync(harness.EndPoint, "a", Ct)).Bytes);
    }

    [Fact]
    public async Task Earlier_sources_win_over_later_ones_and_misses_fall_through()
    {
        var store = new InMemoryFileSource("store");
        store.Replace([new("SEP001122334455.cnf.xml", "generated"u8.ToArray())]);
        await using var harness = new ServerHarness(before: [store]);
        await File.WriteAllTextAsync(Path.Combine(harness.Root, "SEP001122334455.cnf.xml"), "on disk", Ct);
        var firmware = harness.Write("P0S3-08-12-00.sb2", 1000);
        using var client = new TftpTestClient();

        Assert.Equal("generated", Encoding.ASCII.GetString((await client.DownloadAsync(harness.EndPoint, "sep001122334455.cnf.xml", Ct)).Bytes));
        using var client2 = new TftpTestClient();
        Assert.Equal(firmware, (await client2.DownloadAsync(harness.EndPoint, "P0S3-08-12-00.sb2", Ct)).Bytes);
    }

    [Fact]
    public async Task A_source_that_answers_asynchronously_is_served_the_same()
    {
        await using var harness = new ServerHarness(before: [new SlowSource()]);
        using var client = new TftpTestClient();

        Assert.Equal("slow", Encoding.ASCII.GetString((await client.DownloadAsync(harness.EndPoint, "slow.txt", Ct)).Bytes));
    }

    [Fact]
    public async Task A_failing_source_gets_an_error_and_the_server_keeps_serving()
    {
        await using var harness = new ServerHarness(before: [new FailingSource()]);
        using var client = new TftpTestClient();

        await client.SendAsync(TftpTestClient.ReadRequest("boom"), harness.EndPoint, Ct);

        Assert.Equal(0, (await client.ReceiveAsync(Wait, Ct)).ErrorCode);
        Assert.Contains("file source failed", (await harness.NextEventAsync(_ => true, Ct)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_error_after_the_oack_ends_the_transfer()
    {
        await using var harness = new ServerHarness();
        harness.Write("a", 3000);
        using var client = new TftpTestClient();
        await client.SendAsync(TftpTestClient.ReadRequest("a", "octet", ("blksize", "1428")), harness.EndPoint, Ct);
        var oack = await client.ReceiveAsync(Wait, Ct);
        Assert.True(oack.IsOptionAck);

        await client.SendAsync(TftpTestClient.Error(8, "blksize not acceptable"), oack.From, Ct);

        var e = await harness.NextEventAsync(_ => true, Ct);
        Assert.Equal(TftpRequestOutcome.Failed, e.Outcome);
        Assert.Contains("error 8", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Thousands_of_malformed_datagrams_neither_crash_nor_stall_the_server()
    {
        await using var harness = new ServerHarness(new TftpServerOptions { Listen = ServerHarness.Loopback, MaxTransfersPerClient = 2000 });
        var bytes = harness.Write("SEP001122334455.cnf.xml", 3000);
        var random = new Random(79);
        using var attacker = new TftpTestClient();
        using var victim = new TftpTestClient();

        // A transfer in progress, hit by junk on its own port too.
        await victim.SendAsync(TftpTestClient.ReadRequest("SEP001122334455.cnf.xml"), harness.EndPoint, Ct);
        var data1 = await victim.ReceiveAsync(Wait, Ct);
        byte[][] shapes =
        [
            [], [0], [0, 1], [0, 1, 65], [0, 4], [0, 4, 0], [0, 3, 0, 1, 9, 9], [0, 6, 0], [0, 9, 1, 2], [0, 5, 0, 1],
            [0, 1, .. "name-without-nul"u8], [0, 1, .. "a\0"u8], [0, 1, .. "a\0mail\0"u8],
            [0, 1, .. "a\0octet\0blksize\0"u8], [0, 1, .. "a\0octet\0blksize\099999999999999999999999\0tsize\0\0"u8],
            [0, 1, .. "a\0octet\0blksize\0512\0blksize\0513\0"u8], [0, 1, .. Enumerable.Repeat((byte)'a', 600), 0, .. "octet\0"u8],
        ];
        for (var i = 0; i < 3000; i++)
        {
            byte[] junk;
            if (i < shapes.Length * 10)
            {
                junk = shapes[i % shapes.Length];
            }
            else
            {
                junk = new byte[random.Next(0, 700)];
                random.NextBytes(junk);
                if (junk.Length >= 2 && i % 3 == 0)
                {
                    junk[0] = 0;
                    junk[1] = (byte)random.Next(1, 7);
                }
            }

            await attacker.SendAsync(junk, i % 4 == 0 ? data1.From : harness.EndPoint, Ct);
        }

        // The transfer under attack still completes...
        var received = new List<byte>(data1.Payload.ToArray());
        var peer = data1.From;
        var packet = data1;
        for (ushort block = 1; packet.Payload.Length == 512; block++)
        {
            await victim.SendAsync(TftpTestClient.Ack(block), peer, Ct);
            for (var attempt = 0; ; attempt++)
            {
                // The flood can overflow the transfer socket's buffer and drop our ACK. Like a real
                // client, the victim acknowledges a resent block again, and resends its ACK when
                // nothing comes for a second (bounded: 20 tries).
                Assert.True(attempt < 20, $"block {block + 1} never came");
                var next = await victim.TryReceiveAsync(TimeSpan.FromSeconds(1), Ct);
                if (next is { } got && got.Block == block + 1)
                {
                    packet = got;
                    break;
                }

                if (next is null || next.Block == block)
                {
                    await victim.SendAsync(TftpTestClient.Ack(block), peer, Ct);
                }
            }

            received.AddRange(packet.Payload.ToArray());
        }

        Assert.Equal(bytes, received);

        // ...and a new client is served normally.
        using var after = new TftpTestClient();
        Assert.Equal(bytes, (await after.DownloadAsync(harness.EndPoint, "SEP001122334455.cnf.xml", Ct, "octet", ("blksize", "1024"))).Bytes);
        Assert.True(harness.Server.Counters.Malformed > 100);
    }

    private sealed class SlowSource : ITftpFileSource
    {
        public string Name => "slow";

        public async ValueTask<TftpLookup> LookupAsync(TftpFileRequest request, CancellationToken cancellationToken)
        {
            await Task.Yield();
            await Task.Delay(1, cancellationToken);
            return request.Path == "slow.txt" ? TftpLookup.Found(TftpContent.FromBytes("slow"u8.ToArray(), "slow")) : TftpLookup.NotHere;
        }
    }

    private sealed class FailingSource : ITftpFileSource
    {
        public string Name => "failing";

        public ValueTask<TftpLookup> LookupAsync(TftpFileRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("database is gone");
    }
}
