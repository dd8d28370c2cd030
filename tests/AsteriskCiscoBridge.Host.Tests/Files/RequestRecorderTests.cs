using System.Net;
using AsteriskCiscoBridge.Host.Tests.Cli;
using AsteriskCiscoBridge.Host.Tests.Provisioning;
using AsteriskCiscoBridge.Provisioning.Requests;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.Extensions.DependencyInjection;

namespace AsteriskCiscoBridge.Host.Tests.Files;

/// <summary>The request log under a hostile flood (catalogue cases 17 and 18 under load), through the whole service and real datagrams.</summary>
public sealed class RequestRecorderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_flood_of_refused_datagrams_adds_a_row_per_address_and_minute_while_a_phone_request_keeps_its_row()
    {
        using var cli = new CliHarness();
        using var firmware = new TempDirectory("acb-fw");
        var log = new RequestLog(new SqliteConnectionFactory(new StorageOptions { Database = cli.DatabasePath }));
        await using var app = PhoneDiscoveryTests.Build(cli, firmware, ("Tftp:AllowedNetworks:0", "127.0.0.0/29"));
        await app.StartAsync(Ct);
        var tftp = app.Services.GetRequiredService<TftpHostedService>().Server.LocalEndPoints[0];
        using var malformed = new TftpTestClient(IPAddress.Parse("127.0.0.2"));
        using var outside = new TftpTestClient(IPAddress.Parse("127.0.1.1"));
        const int Each = 900;
        for (var i = 0; i < Each; i++)
        {
            // An RRQ whose name has no terminating NUL; a request from outside Tftp:AllowedNetworks; a MAC
            // scan, each request from a new port (a repeat from the port of a transfer under way is ignored).
            await malformed.SendAsync([0, 1, .. "SEP0006D7AABBCC.cnf.xml"u8], tftp, Ct);
            await outside.SendAsync(TftpTestClient.ReadRequest("OS79XX.TXT"), tftp, Ct);
            using var scanner = new TftpTestClient(IPAddress.Parse("127.0.0.4"));
            await scanner.SendAsync(TftpTestClient.ReadRequest($"SEP{0x0006D7000000L + i:X12}.cnf.xml"), tftp, Ct);
        }

        await TftpTestClient.AskAsync(tftp, "127.0.0.5", "SIP0011223344AA.cnf", Ct);
        var counts = await Eventually.ValueAsync(
            () => log.RecentRefusedAsync(100, Ct),
            c => c.Sum(x => x.Malformed) == Each && c.Sum(x => x.Denied) == Each && c.Sum(x => x.Guarded + x.Busy) >= Each - 40,
            "every refusal counted",
            Ct);
        var rows = await Eventually.ValueAsync(() => log.RecentAsync(null, 10_000, Ct), r => r.Any(x => x.FileName == "SIP0011223344AA.cnf"), "the phone's request logged", Ct);

        Assert.InRange(counts.Count, 3, 6); // three addresses, the flood within one or two minutes
        Assert.Equal(["127.0.0.2", "127.0.0.4", "127.0.1.1"], counts.Select(c => c.Address).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal("OS79XX.TXT", counts.First(c => c.Address == "127.0.1.1").LastFile);
        Assert.InRange(rows.Count, 1, 40); // the phone, and the scan's first requests that reached the file tree
        Assert.DoesNotContain(rows, r => r.Outcome.Kind is RequestOutcomeKind.Malformed or RequestOutcomeKind.Denied or RequestOutcomeKind.Busy);
        await app.StopAsync(Ct);
    }

    [Fact]
    public async Task Requests_are_dropped_and_counted_never_waited_for_when_the_store_is_that_far_behind()
    {
        using var cli = new CliHarness();
        using var firmware = new TempDirectory("acb-fw");
        await using var app = PhoneDiscoveryTests.Build(cli, firmware, ("Storage:BusyTimeoutMilliseconds", "200"));
        await app.StartAsync(Ct);
        var recorder = app.Services.GetRequiredService<RequestRecorder>();
        var factory = new SqliteConnectionFactory(new StorageOptions { Database = cli.DatabasePath });
        const int Requests = 10_000;

        // Another writer holds the store: every write of the recorder waits its busy timeout, then fails.
        int logged;
        await using (var blocker = await factory.OpenAsync(Ct))
        {
            await using var transaction = blocker.BeginTransaction(deferred: false);
            for (var i = 0; i < Requests; i++)
            {
                recorder.Record(new FileRequest(DateTimeOffset.UtcNow, "tftp", new IPEndPoint(IPAddress.Loopback, 1024 + (i % 1000)), "nothing-here.bin", false, RequestOutcome.Parse("notfound: no file source has it"), 0));
            }

            Assert.InRange(recorder.Health.RequestsNotRecorded, Requests - RequestRecorder.Capacity - (2 * RequestRecorder.MaxBatch), Requests);
            await Eventually.TrueAsync(() => recorder.Health.WriteFailures > 0, "a write that failed on the lock", Ct);
            logged = recorder.LoggedCount.Value;
        }

        // Once the store is free, what is still queued is written.
        var log = new RequestLog(factory);
        await recorder.LoggedCount.ReachedAsync(logged + 1, Ct).WithinAsync(TimeSpan.FromSeconds(30), "queued requests written", Ct);
        Assert.InRange(await log.CountAsync(Ct), 1, RequestRecorder.Capacity + RequestRecorder.MaxBatch);
        Assert.False(recorder.Health.Full);
        await app.StopAsync(Ct);
    }
}
