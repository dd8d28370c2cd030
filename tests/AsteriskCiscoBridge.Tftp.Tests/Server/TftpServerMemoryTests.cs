using System.Net;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using AsteriskCiscoBridge.Testing.Time;
using AsteriskCiscoBridge.Tftp.Protocol;
using AsteriskCiscoBridge.Tftp.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AsteriskCiscoBridge.Tftp.Tests.Server;

/// <summary>
/// Memory has a budget (reliability issue "what the PBX host must survive", item 4): hundreds of
/// phones that ask for a 4 MiB file and stop acknowledging after block 1 cannot grow the server past
/// a bound. Netascii is converted block by block (a transfer keeps 8 bytes per 64 KiB of file, never
/// a converted copy); octet content is shared (one cached copy) or streamed; whatever a transfer still
/// keeps of its own is charged to <see cref="TftpServerOptions.MaxBufferedBytes"/>, and past it a
/// new request is refused with "try again". Asserted through the server's own accounting; the process
/// RSS is measured in docs/benchmarks.md ("Memory under unacknowledged reads").
/// </summary>
public sealed class TftpServerMemoryTests
{
    private const int FileBytes = 4 << 20;
    private const int NotesPerTransfer = FileBytes / (64 * 1024) * sizeof(long);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Three_hundred_unacknowledged_reads_of_a_4_MiB_file_hold_no_copy_each()
    {
        // Fake time: no retransmission or expiry while the phones sit on block 1.
        await using var harness = new ServerHarness(Options(), new CountingTimeProvider());
        var text = WriteText(harness, "dialplan.xml");
        var netascii = Netascii.Encode(text);
        var phones = Phones(300);

        try
        {
            // Every other phone asks in netascii; a third of them negotiate options first.
            for (var i = 0; i < phones.Count; i++)
            {
                var options = i % 3 == 0 ? new[] { ("blksize", "512"), ("tsize", "0") } : [];
                await phones[i].SendAsync(TftpTestClient.ReadRequest("dialplan.xml", i % 2 == 0 ? "netascii" : "octet", options), harness.EndPoint, Ct);
            }

            for (var i = 0; i < phones.Count; i++)
            {
                var block2 = await AcknowledgeBlockOneOnlyAsync(phones[i]);
                var expected = i % 2 == 0 ? netascii : text;
                Assert.Equal(expected.AsSpan(512, 512).ToArray(), block2.Payload.ToArray());
            }

            var counters = harness.Server.Counters;
            Assert.Equal(300, counters.Active);
            // The stated bound: 150 netascii transfers of 4 MiB keep 512 bytes of notes each (75 KiB in
            // all, under one copy of the file); the 150 octet ones share the directory cache's one copy.
            Assert.Equal(150 * NotesPerTransfer, counters.BufferedBytesPeak);
            Assert.Equal(150 * NotesPerTransfer, counters.BufferedBytes);
            Assert.Equal(FileBytes, harness.Disk.CachedBytes);
            Assert.Equal(0, counters.MemoryRefusals);
        }
        finally
        {
            Dispose(phones);
        }
    }

    [Fact]
    public async Task Past_the_budget_a_new_transfer_is_refused_with_try_again_and_one_log_line()
    {
        // Room for the notes of 100 netascii transfers of the 4 MiB file.
        var logs = new FakeLoggerProvider();
        var time = new CountingTimeProvider();
        await using var harness = new ServerHarness(Options(maxBufferedBytes: 100 * NotesPerTransfer), time, logger: new FakeLogger<TftpServer>(logs.Collector));
        var text = WriteText(harness, "dialplan.xml");
        var phones = Phones(300);
        var octet = Phones(50);

        try
        {
            // A 255 s timeout: the admitted transfers outlive the minute the test lets pass.
            foreach (var phone in phones)
            {
                await phone.SendAsync(TftpTestClient.ReadRequest("dialplan.xml", "netascii", ("timeout", "255")), harness.EndPoint, Ct);
            }

            foreach (var phone in octet)
            {
                await phone.SendAsync(TftpTestClient.ReadRequest("dialplan.xml", "octet"), harness.EndPoint, Ct);
            }

            var answers = new List<Datagram>();
            foreach (var phone in phones)
            {
                answers.Add(await phone.ReceiveAsync(Wait, Ct));
            }

            // Octet transfers keep nothing of their own: the budget never refuses them.
            foreach (var phone in octet)
            {
                Assert.Equal(text.AsSpan(0, 512).ToArray(), (await phone.ReceiveAsync(Wait, Ct)).Payload.ToArray());
            }

            var counters = harness.Server.Counters;
            Assert.Equal(100, answers.Count(a => a.IsOptionAck));
            var refusals = answers.Where(a => a.IsError).ToList();
            Assert.Equal(200, refusals.Count);
            Assert.All(refusals, r => Assert.Equal((0, "server memory for transfers is used up, try again"), (r.ErrorCode, r.ErrorMessage)));
            Assert.Equal(200, counters.MemoryRefusals);
            Assert.True(counters.BufferedBytes <= 100 * NotesPerTransfer);
            Assert.Equal(100 * NotesPerTransfer, counters.BufferedBytesPeak);
            // Counted, and told once per minute: the first refusal at once, the rest with the next report.
            Assert.EndsWith("since the last report: 1 (one report per 60 s at most)", Assert.Single(logs.Collector.GetSnapshot(), l => l.Id.Id == 2009).Message, StringComparison.Ordinal);
            time.Advance(TimeSpan.FromSeconds(61));
            using (var oneMore = new TftpTestClient())
            {
                await oneMore.SendAsync(TftpTestClient.ReadRequest("dialplan.xml", "netascii"), harness.EndPoint, Ct);
                Assert.True((await oneMore.ReceiveAsync(Wait, Ct)).IsError);
            }

            Assert.Equal(
                ["since the last report: 1 ", "since the last report: 200 "],
                logs.Collector.GetSnapshot().Where(l => l.Id.Id == 2009).Select(l => l.Message[l.Message.IndexOf("since", StringComparison.Ordinal)..(l.Message.IndexOf('(', l.Message.IndexOf("since", StringComparison.Ordinal)))]));

            // The admitted phones give up (ERROR from the client ends a transfer): their memory is
            // given back, and the next netascii request is served again.
            foreach (var (phone, answer) in phones.Zip(answers).Where(p => p.Second.IsOptionAck))
            {
                await phone.SendAsync(TftpTestClient.Error(0, "gave up"), answer.From, Ct);
            }

            await Eventually.TrueAsync(() => counters.BufferedBytes == 0, "the budget given back", Ct);
            using var late = new TftpTestClient();
            await late.SendAsync(TftpTestClient.ReadRequest("dialplan.xml", "netascii"), harness.EndPoint, Ct);
            Assert.True((await late.ReceiveAsync(Wait, Ct)).IsData);
        }
        finally
        {
            Dispose(phones);
            Dispose(octet);
        }
    }

    private static TftpServerOptions Options(long maxBufferedBytes = 64L << 20) => new()
    {
        Listen = ServerHarness.Loopback,
        // Every phone of the test is 127.0.0.1.
        MaxTransfersPerClient = 1000,
        MaxBufferedBytes = maxBufferedBytes,
    };

    private static byte[] WriteText(ServerHarness harness, string name)
    {
        var random = new Random(42);
        var text = new byte[FileBytes];
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = random.Next(40) switch { 0 => (byte)'\n', 1 => (byte)'\r', _ => (byte)random.Next(32, 127) };
        }

        File.WriteAllBytes(Path.Combine(harness.Root, name), text);
        return text;
    }

    private static List<TftpTestClient> Phones(int count) => [.. Enumerable.Range(0, count).Select(_ => new TftpTestClient(IPAddress.Loopback))];

    private static void Dispose(List<TftpTestClient> phones)
    {
        foreach (var phone in phones)
        {
            phone.Dispose();
        }
    }

    // OACK → ACK 0 → DATA 1 (or DATA 1 at once), ACK 1 → DATA 2, and never another ACK.
    private static async Task<Datagram> AcknowledgeBlockOneOnlyAsync(TftpTestClient phone)
    {
        var first = await phone.ReceiveAsync(Wait, Ct);
        if (first.IsOptionAck)
        {
            await phone.SendAsync(TftpTestClient.Ack(0), first.From, Ct);
            first = await phone.ReceiveAsync(Wait, Ct);
        }

        Assert.Equal(1, first.Block);
        await phone.SendAsync(TftpTestClient.Ack(1), first.From, Ct);
        var second = await phone.ReceiveAsync(Wait, Ct);
        Assert.Equal(2, second.Block);
        return second;
    }
}
