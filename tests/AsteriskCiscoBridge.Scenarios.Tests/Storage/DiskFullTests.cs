using System.CommandLine;
using System.Net;
using System.Text.Json;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Scenarios.Tests.Dashboard;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Testing;

namespace AsteriskCiscoBridge.Scenarios.Tests.Storage;

/// <summary>
/// The disk under the store fills up (made real with <c>Storage:MaxSizeMegabytes</c>: SQLite's page
/// limit fails writes with SQLITE_FULL, the error of a full disk): the service goes on serving the files
/// it published, counts the requests it cannot log, says so in <c>/metrics</c> and <c>acb doctor</c>,
/// keeps a provisioning round it cannot store from being half applied, and applies it once there is room.
/// </summary>
public sealed class DiskFullTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_the_store_full_phones_are_still_served_the_round_waits_intact_and_is_applied_once_there_is_room()
    {
        var endpoint = AmiTestEndpoint.Plain("6001", "first-secret", "\"Ann\" <6001>") with { Contacts = [new AmiTestContact("sip:6001@127.0.0.80:5060", "Cisco-CP7960G/8.0", "c1@127.0.0.80")] };
        var pbx = new AmiTestPbx();
        pbx.Set(endpoint);
        var logs = new FakeLoggerProvider();
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        service.Capture = logs;
        await service.BindAsync(Mac, PhoneModels.Cisco7960, Ct, new BindingRow { Position = 1, Endpoint = "6001" });
        await service.StartAsync(Ct, ("Storage:MaxSizeMegabytes", "2"), ("Ami:Sync:RetryDelay", "00:00:00.200"));
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "first provisioning round", Ct);
        Assert.Contains("first-secret", await AskAsync(service), StringComparison.Ordinal);
        var stored = await service.Phones.GetAsync(Mac, Ct);

        // The disk fills up; then the password changes in Asterisk, and a hundred phones are declared there
        // (a round that only rewrites rows in place needs no new page: this one needs room).
        var limited = new SqliteConnectionFactory(new StorageOptions { Database = service.Database, MaxSizeMegabytes = 2 });
        await FillAsync(limited);
        pbx.Set(endpoint with { Password = "second-secret" });
        for (var i = 0; i < 100; i++)
        {
            pbx.Set(AmiTestEndpoint.Plain($"{7000 + i}", $"pw-{i}", $"\"User {i}\" <{7000 + i}>") with { PhoneprovMac = $"0006D7{i:X6}" });
        }

        await service.Asterisk!.SendReloadAsync(Ct);
        await Eventually.TrueAsync(() => logs.Collector.GetSnapshot().Count(l => l.Id.Id is 6201 or 6221) >= 2, "the round failing, and failing again when retried", Ct, Bound);

        // Phones get what was published; the store holds the phone's old files and counter, nothing of the new round.
        Assert.Contains("first-secret", await AskAsync(service), StringComparison.Ordinal);
        Assert.Equal(stored!.SyncCounter, (await service.Phones.GetAsync(Mac, Ct))!.SyncCounter);
        Assert.All(await service.Phones.FilesAsync(Mac, Ct), f => Assert.DoesNotContain("second-secret"u8.ToArray(), f.Content));
        var metrics = await Eventually.ValueAsync(
            async () =>
            {
                await AskAsync(service);
                return await MetricsAsync(service);
            },
            m => m.Contains("\nacb_store_disk_full 1\n", StringComparison.Ordinal),
            "the request log's write failing on the full store",
            Ct,
            Bound);
        Assert.Matches(@"\nacb_store_write_failures_total [1-9][0-9]*\n", metrics);
        Assert.Matches(@"\nacb_request_log_dropped_total [1-9][0-9]*\n", metrics);
        var (exit, doctor) = await DoctorAsync(service);
        Assert.Equal(1, exit);
        Assert.StartsWith($"FAIL  store                {Path.GetFullPath(service.Database)} cannot be written: the disk is full or the store reached Storage:MaxSizeMegabytes (2 MB)", Assert.Single(doctor.Split('\n'), l => l.StartsWith("FAIL", StringComparison.Ordinal)), StringComparison.Ordinal);

        // Room again: the retried round stores and publishes the new file; the request log is written again.
        var (rounds, requested) = (service.Sync.Rounds, service.Sync.RequestedRounds);
        await using (var connection = await limited.OpenAsync(Ct))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE filler";
            await command.ExecuteNonQueryAsync(Ct);
        }

        await Task.WhenAny(service.Sync.RoundCount.ReachedAsync(rounds + 1, Ct), service.Sync.RequestedRoundCount.ReachedAsync(requested + 1, Ct)).Unwrap().WithinAsync(Bound, "a round stored once there is room", Ct);
        Assert.Contains("second-secret", await AskAsync(service), StringComparison.Ordinal);
        Assert.Equal(stored.SyncCounter + 1, (await service.Phones.GetAsync(Mac, Ct))!.SyncCounter);
        await Eventually.TrueAsync(
            async () =>
            {
                await AskAsync(service);
                return (await MetricsAsync(service)).Contains("\nacb_store_disk_full 0\n", StringComparison.Ordinal);
            },
            "the request log written again",
            Ct,
            Bound);
    }

    private static async Task<string> AskAsync(ServiceHarness service) =>
        (await TftpTestClient.AskAsync(service.Tftp, "127.0.0.80", $"SIP{Mac}.cnf", Ct)).Text ?? string.Empty;

    private static async Task<string> MetricsAsync(ServiceHarness service)
    {
        using var http = new HttpClient { BaseAddress = DashboardServiceTests.DashboardUri(service) };
        return await http.GetStringAsync(new Uri("metrics", UriKind.Relative), Ct);
    }

    private static async Task<(int Exit, string Output)> DoctorAsync(ServiceHarness service)
    {
        using var folder = new TempDirectory("acb-doctor");
        var http = service.App.Urls.Select(u => new Uri(u)).First(u => u.Port != DashboardServiceTests.DashboardUri(service).Port);
        var file = folder.Write("acb.json", JsonSerializer.Serialize(new
        {
            Ami = new { Host = "127.0.0.1", service.Asterisk!.Port, Username = "bridge", Secret = "bridgepw" },
            Tftp = new { Listen = new[] { service.Tftp.ToString() } },
            Http = new { Listen = new[] { $"127.0.0.1:{http.Port}" } },
            Storage = new { service.Database, MaxSizeMegabytes = 2 },
            Firmware = new { Directory = Path.Combine(folder.Path, "firmware") },
        }));
        var output = new StringWriter { NewLine = "\n" };
        var root = new RootCommand { DoctorCommand.Create() };
        var exit = await root.Parse(["doctor", "--config", file, "--timeout", "00:00:30"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, Ct);
        return (exit, output.ToString());
    }

    // Fills the store to its limit, big blobs first, then small ones into what is left.
    private static async Task FillAsync(SqliteConnectionFactory limited)
    {
        await using var connection = await limited.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE filler (data BLOB)";
        await command.ExecuteNonQueryAsync(Ct);
        foreach (var size in new[] { 100_000, 4_000, 500 })
        {
            for (var i = 0; i < 1_000; i++)
            {
                command.CommandText = $"INSERT INTO filler VALUES (zeroblob({size}))";
                try
                {
                    await command.ExecuteNonQueryAsync(Ct);
                }
                catch (SqliteException e) when (SqliteConnectionFactory.IsFull(e))
                {
                    break;
                }
            }
        }
    }
}
