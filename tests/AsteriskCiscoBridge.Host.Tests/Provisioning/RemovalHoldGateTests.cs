using System.Globalization;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Host.Tests.Support;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Time;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Testing;

namespace AsteriskCiscoBridge.Host.Tests.Provisioning;

/// <summary>The gate over a real SQLite file, its hold measured by a fake clock.</summary>
public sealed class RemovalHoldGateTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _folder = new("acb-hold");
    private readonly SqliteConnectionFactory _connections;
    private readonly CountingTimeProvider _time = new(Now);
    private readonly FakeLoggerProvider _log = new();

    public RemovalHoldGateTests()
    {
        _connections = new SqliteConnectionFactory(new StorageOptions { Database = Path.Combine(_folder.Path, "acb.db") });
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MacAddress Mac(int i) => MacAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"0011223300{i:X2}")).Mac!.Value;

    private static PjsipSnapshot Answer(params int[] endpoints) => TestEndpoints.Snapshot([.. endpoints.Select(i => TestEndpoints.Plain((6000 + i).ToString(CultureInfo.InvariantCulture)))]);

    private RemovalHoldStore Holds => new(_connections);

    // Four phones on 6001-6004; the last applied answer (what the service stored) had all four and 6005.
    private async Task<RemovalHoldGate> GateAsync(TimeSpan? hold = null)
    {
        await _connections.MigrateAsync(Ct);
        var phones = new PhoneStore(_connections);
        for (var i = 1; i <= 4; i++)
        {
            await phones.BindAsync(Mac(i), PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = (6000 + i).ToString(CultureInfo.InvariantCulture) }], "cli:test", Now, Ct);
        }

        var snapshots = new SnapshotStore(_connections);
        await snapshots.SaveAsync(new StoredSnapshot(Now, InventoryReading.EndpointsOf(Answer(1, 2, 3, 4, 5))), Ct);
        return new RemovalHoldGate(phones, snapshots, Holds, new SyncOptions { RemovalHold = hold ?? TimeSpan.FromMinutes(10) }, _time, new FakeLogger<RemovalHoldGate>(_log.Collector));
    }

    [Fact]
    public async Task Admit_holds_a_stripping_answer_warns_once_and_applies_the_same_answer_when_the_hold_is_over()
    {
        var gate = await GateAsync();

        var first = await gate.AdmitAsync(Answer(4, 5), Ct);
        Assert.False(first.Apply);
        Assert.Equal(Now.AddMinutes(10), first.DueAt);
        Assert.Equal(RemovalHoldReason.MassWithdrawal, first.Hold!.Reason);
        Assert.Equal([Mac(1), Mac(2), Mac(3)], first.Hold.Phones.Select(p => p.Mac));

        // The same answer read again (its passwords rotated meanwhile) keeps its first sighting; still one Warning.
        _time.Advance(TimeSpan.FromMinutes(9));
        var again = await gate.AdmitAsync(TestEndpoints.Snapshot(TestEndpoints.Plain("6004", "rotated"), TestEndpoints.Plain("6005")), Ct);
        Assert.False(again.Apply);
        Assert.Equal(Now.AddMinutes(10), again.DueAt);
        Assert.Single(_log.Collector.GetSnapshot(), l => l.Id.Id == 6260);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await gate.AdmitAsync(Answer(4, 5), Ct)).Apply);
        Assert.Null(await Holds.GetAsync(Ct));
        Assert.Single(_log.Collector.GetSnapshot(), l => l.Id.Id == 6263);

        // Applied, it is the answer compared with: read again, it strips nothing.
        Assert.True((await gate.AdmitAsync(Answer(4, 5), Ct)).Apply);
    }

    [Fact]
    public async Task Admit_another_stripping_answer_starts_a_new_hold_with_its_own_warning()
    {
        var gate = await GateAsync();

        Assert.False((await gate.AdmitAsync(Answer(4, 5), Ct)).Apply);
        _time.Advance(TimeSpan.FromMinutes(9));
        var other = await gate.AdmitAsync(Answer(5), Ct);

        Assert.False(other.Apply);
        Assert.Equal(Now.AddMinutes(19), other.DueAt);
        Assert.Equal(2, _log.Collector.GetSnapshot().Count(l => l.Id.Id == 6260));
        Assert.Equal(4, other.Hold!.Phones.Length);
    }

    [Fact]
    public async Task Admit_an_accepted_answer_applies_at_once_and_an_answer_as_before_clears_the_hold()
    {
        var gate = await GateAsync();
        Assert.False((await gate.AdmitAsync(Answer(), Ct)).Apply);
        Assert.Equal(RemovalHoldReason.EmptyAnswer, (await Holds.GetAsync(Ct))!.Reason);

        // Asterisk is back: nothing held any more, the answer is applied (and it changes nothing).
        Assert.True((await gate.AdmitAsync(Answer(1, 2, 3, 4, 5), Ct)).Apply);
        Assert.Null(await Holds.GetAsync(Ct));
        Assert.Single(_log.Collector.GetSnapshot(), l => l.Id.Id == 6261);

        Assert.False((await gate.AdmitAsync(Answer(), Ct)).Apply);
        Assert.NotNull(await Holds.AcceptAsync("cli:test", _time.GetUtcNow(), Ct));
        Assert.True((await gate.AdmitAsync(Answer(), Ct)).Apply);
        Assert.Null(await Holds.GetAsync(Ct));
        Assert.Single(_log.Collector.GetSnapshot(), l => l.Id.Id == 6262);
    }

    [Fact]
    public async Task Admit_a_small_removal_applies_at_once_and_a_zero_hold_applies_everything()
    {
        Assert.True((await (await GateAsync()).AdmitAsync(Answer(2, 3, 4, 5), Ct)).Apply);

        var off = new RemovalHoldGate(new PhoneStore(_connections), new SnapshotStore(_connections), Holds, new SyncOptions { RemovalHold = TimeSpan.Zero }, _time, new FakeLogger<RemovalHoldGate>(_log.Collector));
        Assert.True((await off.AdmitAsync(Answer(), Ct)).Apply);
        Assert.Null(await Holds.GetAsync(Ct));
    }

    [Fact]
    public async Task Admit_after_a_restart_keeps_the_hold_the_last_process_recorded()
    {
        var gate = await GateAsync();
        Assert.False((await gate.AdmitAsync(Answer(4, 5), Ct)).Apply);

        // A new process: the answer it compares with is the one stored, and the hold keeps its first sighting.
        _time.Advance(TimeSpan.FromMinutes(5));
        var restarted = new RemovalHoldGate(new PhoneStore(_connections), new SnapshotStore(_connections), Holds, new SyncOptions(), _time, new FakeLogger<RemovalHoldGate>(_log.Collector));
        var held = await restarted.AdmitAsync(Answer(4, 5), Ct);

        Assert.False(held.Apply);
        Assert.Equal(Now.AddMinutes(10), held.DueAt);
    }

    [Fact]
    public void Sync_RemovalHold_defaults_to_ten_minutes_and_a_negative_value_is_refused_naming_the_key()
    {
        static IConfiguration Configuration(params (string Key, string Value)[] values) =>
            new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

        Assert.Equal(TimeSpan.FromMinutes(10), SyncOptions.Read(Configuration()).RemovalHold);
        Assert.Equal(TimeSpan.Zero, SyncOptions.Read(Configuration(("Sync:RemovalHold", "00:00:00"))).RemovalHold);
        Assert.Contains("Sync:RemovalHold", Assert.Throws<InvalidOperationException>(() => SyncOptions.Read(Configuration(("Sync:RemovalHold", "-00:01:00")))).Message, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
