using System.Net;
using AsteriskCiscoBridge.Host.Tests.Provisioning;
using AsteriskCiscoBridge.Host.Tests.Support;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Requests;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.Extensions.DependencyInjection;

namespace AsteriskCiscoBridge.Host.Tests.Cli;

public sealed class LogCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;


    [Fact]
    public async Task Log_explains_each_request_the_service_recorded_from_real_tftp_requests()
    {
        using var cli = new CliHarness();
        using var firmware = new TempDirectory("acb-fw");
        firmware.Write("P0S3-08-12-00.loads", "load descriptor");
        var log = new RequestLog(new SqliteConnectionFactory(new StorageOptions { Database = cli.DatabasePath }));
        await using (var app = PhoneDiscoveryTests.Build(cli, firmware, ("Tftp:AllowedNetworks:0", "127.0.0.0/26")))
        {
            await app.StartAsync(Ct);
            var tftp = app.Services.GetRequiredService<TftpHostedService>().Server.LocalEndPoints[0];
            var recorder = app.Services.GetRequiredService<RequestRecorder>();
            var logged = recorder.LoggedCount.Value;
            await TftpTestClient.AskAsync(tftp, "127.0.0.60", "ITLSEP0011223344AA.tlv", Ct);
            await TftpTestClient.AskAsync(tftp, "127.0.0.60", "SIP0011223344AA.cnf", Ct);
            await TftpTestClient.AskAsync(tftp, "127.0.0.60", "P0S3-08-12-00.sb2", Ct);
            await TftpTestClient.AskAsync(tftp, "127.0.0.60", "P0S3-08-12-00.loads", Ct);
            await TftpTestClient.AskAsync(tftp, "127.0.0.100", "OS79XX.TXT", Ct);
            await recorder.LoggedCount.ReachedAsync(logged + 4, Ct).WithinAsync(TimeSpan.FromSeconds(30), "four requests in the request log", Ct);
            Assert.Equal(4, (await log.RecentAsync(null, 10, Ct)).Count);
            await Eventually.TrueAsync(async () => (await log.RecentRefusedAsync(10, Ct)).Count == 1, "the refused one counted", Ct);
            await app.StopAsync(Ct);
        }

        var (exit, output, _) = await cli.RunAsync("log");
        var (_, mine, _) = await cli.RunAsync("log", "--mac", "00:11:22:33:44:aa");
        var (_, lastTwo, _) = await cli.RunAsync("log", "--limit", "2");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);

        // Lines come in the order requests ended: a transfer ends after its last ACK, a refusal at once.
        string LineOf(string name) => Assert.Single(lines, l => l.Contains($" asked {name}: ", StringComparison.Ordinal));
        Assert.EndsWith("asked ITLSEP0011223344AA.tlv: not found at once, normal: the bridge serves no CTL/ITL trust list, so the phone goes on in non-secure mode", LineOf("ITLSEP0011223344AA.tlv"), StringComparison.Ordinal);
        Assert.Matches(@"asked SIP0011223344AA\.cnf: served [0-9,]+ bytes of credential-free unprovisioned config: this MAC is bound to nothing: acb bind 0011223344AA ENDPOINT$", LineOf("SIP0011223344AA.cnf"));
        Assert.EndsWith("asked P0S3-08-12-00.sb2: missing from the firmware folder: acb firmware import the Cisco package (cmterm-….zip, .cop or .cop.sgn) that holds P0S3-08-12-00.sb2", LineOf("P0S3-08-12-00.sb2"), StringComparison.Ordinal);
        Assert.EndsWith("asked P0S3-08-12-00.loads: served 15 bytes from the firmware folder", LineOf("P0S3-08-12-00.loads"), StringComparison.Ordinal);
        // A refusal from outside the allowed networks is counted for its address and minute, not logged on its own.
        Assert.Matches(@"^\S+Z  127\.0\.0\.100            1 refused request \(denied 1\) between \d\d:\d\d and \d\d:\d\d( so far)?, last asked OS79XX\.TXT \(outside Tftp:AllowedNetworks, a write request or a refused name\)$", Assert.Single(lines, l => l.Contains("127.0.0.100", StringComparison.Ordinal)));
        Assert.Equal(2, mine.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(lines[3..], lastTwo.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Follow_prints_new_requests_as_the_store_gets_them_and_stops_cleanly_on_cancel()
    {
        using var cli = new CliHarness();
        var (created, _, _) = await cli.RunAsync("phones");
        Assert.Equal(0, created);
        var log = new RequestLog(new SqliteConnectionFactory(new StorageOptions { Database = cli.DatabasePath }));
        var mac = MacAddress.Parse("0011223344AA").Mac!.Value;
        var at = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
        await log.AppendAsync(new RequestRecord { At = at, Client = "10.0.0.5:1024", FileName = "CTLSEP0011223344AA.tlv", Mac = mac, Outcome = RequestOutcome.Parse("notfound: no file source has it") }, Ct);
        var output = new StringWriter { NewLine = "\n" };
        var synchronized = TextWriter.Synchronized(output);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        string Text()
        {
            lock (synchronized)
            {
                return output.ToString();
            }
        }

        var running = cli.InvokeAsync(synchronized, TextWriter.Null, stop.Token, "log", "--follow", "--mac", "0011223344AA");
        await Eventually.TrueAsync(() => Text().Contains("CTLSEP0011223344AA.tlv", StringComparison.Ordinal), "the existing request printed", Ct, TimeSpan.FromSeconds(30));
        await log.AppendAsync(new RequestRecord { At = at.AddSeconds(1), Client = "10.0.0.9:1024", FileName = "SEP0011223344BB.cnf.xml", Outcome = RequestOutcome.Parse("denied: x"), Source = "guard" }, Ct);
        await log.AppendAsync(new RequestRecord { At = at.AddSeconds(2), Client = "10.0.0.5:1025", FileName = "SEP0011223344AA.cnf.xml", Mac = mac, Outcome = RequestOutcome.Parse("served: store"), Source = "store", Bytes = 2048 }, Ct);
        Assert.DoesNotContain("SEP0011223344AA.cnf.xml", Text(), StringComparison.Ordinal);

        // The poll waits on the fake clock: nothing new is printed until time moves.
        await Eventually.TrueAsync(() => cli.Time.PendingTimers > 0, "the poll waiting", Ct, TimeSpan.FromSeconds(30));
        cli.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => Text().Contains("SEP0011223344AA.cnf.xml", StringComparison.Ordinal), "the new request printed", Ct, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        var exit = await running.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(0, exit);
        var lines = Text().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("2026-11-22T08:00:02Z  10.0.0.5:1025          asked SEP0011223344AA.cnf.xml: served 2,048 bytes (generated by the bridge)", lines[1]);
    }

    [Fact]
    public async Task Follow_prints_a_minute_of_refused_requests_so_far_and_again_once_it_is_over()
    {
        using var cli = new CliHarness();
        var (created, _, _) = await cli.RunAsync("phones");
        Assert.Equal(0, created);
        var log = new RequestLog(new SqliteConnectionFactory(new StorageOptions { Database = cli.DatabasePath }));
        var minute = cli.Time.GetUtcNow();
        RefusedCount Scan(long guarded, int second) => new() { Minute = minute, Address = "203.0.113.7", Guarded = guarded, FirstAt = minute.AddSeconds(second), LastAt = minute.AddSeconds(second), LastFile = "SEP0006D7000123.cnf.xml" };
        await log.AppendAsync([], [Scan(4_000, 2)], Ct);
        var output = new StringWriter { NewLine = "\n" };
        var synchronized = TextWriter.Synchronized(output);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        string Text()
        {
            lock (synchronized)
            {
                return output.ToString();
            }
        }

        var running = cli.InvokeAsync(synchronized, TextWriter.Null, stop.Token, "log", "--follow");
        await Eventually.TrueAsync(() => Text().Contains("so far", StringComparison.Ordinal), "the minute so far", Ct, TimeSpan.FromSeconds(30));
        await log.AppendAsync([], [Scan(800, 40) with { Malformed = 12 }], Ct);

        // Not over yet (nor its grace): nothing more is printed for it.
        await Eventually.TrueAsync(() => cli.Time.PendingTimers > 0, "the poll waiting", Ct, TimeSpan.FromSeconds(30));
        cli.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => cli.Time.PendingTimers > 0, "the next poll waiting", Ct, TimeSpan.FromSeconds(30));
        Assert.Single(Text().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        cli.Time.Advance(TimeSpan.FromSeconds(64));
        await Eventually.TrueAsync(() => Text().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2, "the minute once over", Ct, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        Assert.Equal(0, await running.WaitAsync(TimeSpan.FromSeconds(30), Ct));

        var lines = Text().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("2026-11-22T08:00:02Z  203.0.113.7            4,000 refused requests (guard-blocked 4,000) between 08:00 and 08:01 so far, last asked SEP0006D7000123.cnf.xml", lines[0]);
        Assert.Equal("2026-11-22T08:00:02Z  203.0.113.7            4,812 refused requests (malformed 12, guard-blocked 4,800) between 08:00 and 08:01, last asked SEP0006D7000123.cnf.xml", lines[1]);
    }

    [Fact]
    public async Task Refused_requests_are_left_out_of_one_phone_s_log()
    {
        using var cli = new CliHarness();
        await cli.RunAsync("phones");
        var log = new RequestLog(new SqliteConnectionFactory(new StorageOptions { Database = cli.DatabasePath }));
        var at = cli.Time.GetUtcNow();
        await log.AppendAsync(
            [new RequestRecord { At = at, Client = "10.0.0.5:1024", FileName = "SEP0011223344AA.cnf.xml", Mac = MacAddress.Parse("0011223344AA").Mac, Outcome = RequestOutcome.Parse("served: store"), Source = "store", Bytes = 10 }],
            [new RefusedCount { Minute = at, Address = "203.0.113.7", Denied = 3, FirstAt = at, LastAt = at }],
            Ct);

        var (_, all, _) = await cli.RunAsync("log");
        var (_, mine, _) = await cli.RunAsync("log", "--mac", "0011223344AA");

        Assert.Equal(2, all.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("3 refused requests (denied 3)", all, StringComparison.Ordinal);
        Assert.Equal("SEP0011223344AA.cnf.xml", Assert.Single(mine.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[3].TrimEnd(':'));
    }
}
