using System.Collections.Concurrent;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Time;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace AsteriskCiscoBridge.Host.Tests.Provisioning;

/// <summary>The watcher over a real SQLite file, its interval driven by a fake clock.</summary>
public sealed class StoreChangeWatcherTests
{
    private static readonly MacAddress MacA = MacAddress.Parse("0011223344E1").Mac!.Value;
    private static readonly MacAddress MacB = MacAddress.Parse("0011223344E2").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Admin_changes_ask_for_one_round_per_tick_and_the_bridges_own_auto_assignment_for_none()
    {
        using var folder = new TempDirectory("acb-watch");
        var connections = new SqliteConnectionFactory(new StorageOptions { Database = Path.Combine(folder.Path, "acb.db") });
        await connections.MigrateAsync(Ct);
        var phones = new PhoneStore(connections);
        var time = new CountingTimeProvider(Now);
        var requests = new ConcurrentQueue<string>();
        try
        {
            // What the store held at start is not a change: it is published at start.
            await phones.BindAsync(MacA, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6001" }], "cli:admin", Now, Ct);
            using var watcher = new StoreChangeWatcher(new AuditLog(connections), requests.Enqueue, new SyncOptions(), time, NullLogger<StoreChangeWatcher>.Instance);
            await watcher.StartAsync(Ct);
            await TickedAsync(watcher, time, 1);
            Assert.Empty(requests);

            // Two admin changes between two reads: one round asked for.
            await phones.SetSettingsAsync(MacA, [new("label", "Desk")], "cli:admin", Now, Ct);
            await new FirmwareStore(connections).PinAsync(MacA, "P0S3-08-11-00", "dashboard", Now, Ct);
            await TickedAsync(watcher, time, 2, advance: true);
            Assert.Single(requests);

            // Nothing new: nothing asked.
            await TickedAsync(watcher, time, 3, advance: true);
            Assert.Single(requests);

            // The bridge's own auto-assignment published its phone already: no round, so no round can feed itself.
            await phones.BindAsync(MacB, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6002" }], PhoneDiscovery.Actor, Now, Ct);
            await TickedAsync(watcher, time, 4, advance: true);
            Assert.Single(requests);

            // An admin change after it is seen.
            Assert.True(await phones.UnbindAsync(MacB, "cli:admin", Now, Ct));
            await TickedAsync(watcher, time, 5, advance: true);
            Assert.Equal(2, requests.Count);
            Assert.Equal(2, watcher.Requested);
            Assert.All(requests, r => Assert.StartsWith("store changed", r, StringComparison.Ordinal));

            await watcher.StopAsync(Ct);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    [Fact]
    public async Task A_change_made_after_the_start_up_publication_but_before_the_first_read_asks_for_a_round()
    {
        using var folder = new TempDirectory("acb-watch-mark");
        var connections = new SqliteConnectionFactory(new StorageOptions { Database = Path.Combine(folder.Path, "acb.db") });
        await connections.MigrateAsync(Ct);
        var phones = new PhoneStore(connections);
        var time = new CountingTimeProvider(Now);
        var requests = new ConcurrentQueue<string>();
        try
        {
            // The store was published at start with the audit log empty (mark 0); an acb bind lands before the
            // watcher's first read, as it can while the service is still starting.
            await phones.BindAsync(MacA, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6001" }], "cli:admin", Now, Ct);
            using var watcher = new StoreChangeWatcher(new AuditLog(connections), requests.Enqueue, new SyncOptions(), time, NullLogger<StoreChangeWatcher>.Instance, () => 0);
            await watcher.StartAsync(Ct);
            await TickedAsync(watcher, time, 1);

            Assert.Single(requests);
            await watcher.StopAsync(Ct);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    [Fact]
    public void Sync_section_gives_the_interval_and_refuses_a_bad_one_naming_the_key()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), SyncOptions.Read(Configuration()).StoreWatchInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), SyncOptions.Read(Configuration(("Sync:StoreWatchInterval", "00:00:02"))).StoreWatchInterval);
        Assert.Contains("Sync:StoreWatchInterval", Assert.Throws<InvalidOperationException>(() => SyncOptions.Read(Configuration(("Sync:StoreWatchInterval", "00:00:00")))).Message, StringComparison.Ordinal);
        Assert.Contains("Sync:StoreWatchInterval", Assert.Throws<InvalidOperationException>(() => SyncOptions.Read(Configuration(("Sync:StoreWatchInterval", "soon")))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Acb_run_stops_at_build_on_a_bad_interval()
    {
        using var data = new TempDirectory("acb-watch-run");
        var overrides = new Dictionary<string, string?>
        {
            ["Tftp:Listen:0"] = "127.0.0.1:0",
            ["Http:Listen:0"] = "127.0.0.1:0",
            ["Storage:Database"] = Path.Combine(data.Path, "acb.db"),
            ["Firmware:Directory"] = Path.Combine(data.Path, "firmware"),
            ["Sync:StoreWatchInterval"] = "-00:00:01",
        };

        var error = Assert.Throws<InvalidOperationException>(() => RunCommand.Build([], null, overrides));

        // The start-up check of every section names the key first.
        Assert.Equal("Sync:StoreWatchInterval '-00:00:01' is negative", error.Message);
    }

    // The watcher reads at start, then after each interval: advance the clock once its delay is armed, and
    // await the read that follows (its request, if any, is made before the read is counted).
    private static async Task TickedAsync(StoreChangeWatcher watcher, CountingTimeProvider time, int reads, bool advance = false)
    {
        if (advance)
        {
            await time.ArmedAsync(1, Ct).WithinAsync(Bound, "the watcher waiting for its next tick", Ct);
            time.Advance(new SyncOptions().StoreWatchInterval);
        }

        await watcher.ReadCount.ReachedAsync(reads, Ct).WithinAsync(Bound, $"read {reads} of the audit log", Ct);
        Assert.Equal(reads, watcher.Reads);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
