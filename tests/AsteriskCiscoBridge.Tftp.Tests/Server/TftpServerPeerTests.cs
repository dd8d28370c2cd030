using System.Net;
using AsteriskCiscoBridge.Testing.Tftp;
using AsteriskCiscoBridge.Testing.Time;
using AsteriskCiscoBridge.Tftp.Server;

namespace AsteriskCiscoBridge.Tftp.Tests.Server;

/// <summary>
/// Packets a transfer did not ask for (reliability catalogue §5.5 cases 4, 6 and 19): stale or
/// wrong ACKs, datagrams from another host, and clients outside the allowed networks.
/// </summary>
public sealed class TftpServerPeerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stale_and_wrong_acks_neither_send_data_nor_move_the_retransmission()
    {
        // Case 4. Time is fake: DATA 2 leaves at t=0, so its retransmission is due at t=1 s.
        var time = new CountingTimeProvider();
        await using var harness = new ServerHarness(new TftpServerOptions { Listen = ServerHarness.Loopback }, time);
        var bytes = harness.Write("a", 1500);
        using var client = new TftpTestClient();
        using var sameHostOtherPort = new TftpTestClient();
        await client.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);
        var data1 = await client.ReceiveAsync(Wait, Ct);
        var peer = data1.From;
        await client.SendAsync(TftpTestClient.Ack(1), peer, Ct);
        var data2 = await client.ReceiveAsync(Wait, Ct);
        Assert.Equal(2, data2.Block);

        time.Advance(TimeSpan.FromMilliseconds(600));
        // An old ACK, the duplicate of the last one, one for a block never sent, and one far off.
        foreach (var block in new ushort[] { 0, 1, 9, 65535 })
        {
            await client.SendAsync(TftpTestClient.Ack(block), peer, Ct);
        }

        // The transfer port answers packets in order: once this answer is here, the ACKs above were handled.
        await sameHostOtherPort.SendAsync(TftpTestClient.Ack(1), peer, Ct);
        Assert.Equal(5, (await sameHostOtherPort.ReceiveAsync(Wait, Ct)).ErrorCode);
        Assert.Equal(0, client.Available);

        // At t=1 s, on time as if no stray ACK had come: DATA 2 again.
        time.Advance(TimeSpan.FromMilliseconds(400));
        var again = await client.ReceiveAsync(Wait, Ct);
        Assert.Equal(2, again.Block);
        Assert.Equal(data2.Payload.ToArray(), again.Payload.ToArray());

        await client.SendAsync(TftpTestClient.Ack(2), peer, Ct);
        var data3 = await client.ReceiveAsync(Wait, Ct);
        Assert.Equal(3, data3.Block);
        await client.SendAsync(TftpTestClient.Ack(3), peer, Ct);
        var served = await harness.NextEventAsync(_ => true, Ct);

        Assert.Equal(bytes, (byte[])[.. data1.Payload, .. data2.Payload, .. data3.Payload]);
        Assert.Equal((TftpRequestOutcome.Served, 1), (served.Outcome, served.Retransmits));
    }

    [Fact]
    public async Task A_datagram_from_another_host_to_a_transfer_port_is_ignored_without_an_answer()
    {
        // Case 6: an error to another host would reflect traffic at a third party; the transfer goes on.
        await using var harness = new ServerHarness(new TftpServerOptions { Listen = ServerHarness.Loopback }, new CountingTimeProvider());
        var bytes = harness.Write("a", 1000);
        using var client = new TftpTestClient();
        using var otherHost = new TftpTestClient(IPAddress.Parse("127.0.0.2"));
        await client.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);
        var data1 = await client.ReceiveAsync(Wait, Ct);

        await otherHost.SendAsync(TftpTestClient.Ack(1), data1.From, Ct);
        await otherHost.SendAsync(TftpTestClient.Error(0, "go away"), data1.From, Ct);
        await otherHost.SendAsync(TftpTestClient.ReadRequest("a"), data1.From, Ct);
        await client.SendAsync(TftpTestClient.Ack(1), data1.From, Ct);
        var data2 = await client.ReceiveAsync(Wait, Ct);

        // DATA 2 came after the three strays were handled: nothing went back to their host.
        Assert.Equal(0, otherHost.Available);
        Assert.Equal(3, harness.Server.Counters.StrangerPackets);
        await client.SendAsync(TftpTestClient.Ack(2), data1.From, Ct);
        Assert.Equal(TftpRequestOutcome.Served, (await harness.NextEventAsync(_ => true, Ct)).Outcome);
        Assert.Equal(bytes, (byte[])[.. data1.Payload, .. data2.Payload]);
    }

    [Fact]
    public async Task A_client_outside_the_allowed_networks_gets_silence_when_refusals_are_not_answered()
    {
        // Case 19, silent mode (the answering mode: TftpServerTests.A_client_outside_the_allowed_networks_is_refused).
        await using var harness = new ServerHarness(new TftpServerOptions
        {
            Listen = ServerHarness.Loopback,
            AllowedNetworks = [IPNetwork.Parse("10.0.0.0/8")],
            AnswerDeniedClients = false,
        });
        harness.Write("a", 10);
        using var client = new TftpTestClient();

        await client.SendAsync(TftpTestClient.ReadRequest("a"), harness.EndPoint, Ct);
        var denied = await harness.NextEventAsync(_ => true, Ct);

        // The event is written after any answer would have been sent.
        Assert.Equal(TftpRequestOutcome.Denied, denied.Outcome);
        Assert.Equal(0, client.Available);
    }
}
