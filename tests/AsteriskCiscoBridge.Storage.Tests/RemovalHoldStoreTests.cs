using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Storage.Tests;

public sealed class RemovalHoldStoreTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("0006D7000001").Mac!.Value;
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RemovalHoldRow Held(string answer, DateTimeOffset at) =>
        new(answer, RemovalHoldReason.MassWithdrawal, at, at, 2, 4, [new WithdrawnLines(Mac, ["6001", "6002"], 1)]);

    [Fact]
    public async Task Hold_the_same_answer_again_keeps_its_first_sighting_and_acceptance_another_answer_starts_over()
    {
        await using var db = await TempDatabase.CreateAsync();
        var store = new RemovalHoldStore(db.Factory);
        Assert.Null(await store.GetAsync(Ct));

        var first = await store.HoldAsync(Held("aaaaaaaaaaaaaaaa", Now), Ct);
        Assert.Equal(Now, first.FirstSeen);
        var phone = Assert.Single(first.Phones);
        Assert.Equal((Mac, 1), (phone.Mac, phone.Kept));
        Assert.Equal(["6001", "6002"], phone.Endpoints);
        Assert.Equal("Asterisk's answer would withdraw lines from 1 of 4 bound phones", first.Describe());

        Assert.NotNull(await store.AcceptAsync("cli:test", Now.AddMinutes(1), Ct));
        var again = await store.HoldAsync(Held("aaaaaaaaaaaaaaaa", Now.AddMinutes(2)), Ct);
        Assert.Equal((Now, Now.AddMinutes(2), Now.AddMinutes(1), "cli:test"), (again.FirstSeen, again.LastSeen, again.AcceptedAt, again.AcceptedBy));

        var other = await store.HoldAsync(Held("bbbbbbbbbbbbbbbb", Now.AddMinutes(3)) with { Reason = RemovalHoldReason.EmptyAnswer, Endpoints = 0 }, Ct);
        Assert.Equal((Now.AddMinutes(3), null, null), (other.FirstSeen, other.AcceptedAt, other.AcceptedBy));
        Assert.Equal(RemovalHoldReason.EmptyAnswer, (await store.GetAsync(Ct))!.Reason);
    }

    [Fact]
    public async Task Accept_writes_an_audit_row_with_the_acceptance_and_nothing_when_nothing_is_held()
    {
        await using var db = await TempDatabase.CreateAsync();
        var store = new RemovalHoldStore(db.Factory);
        var audit = new AuditLog(db.Factory);

        Assert.Null(await store.AcceptAsync("cli:test", Now, Ct));
        Assert.Equal(0, await audit.LastIdAsync(Ct));

        await store.HoldAsync(Held("aaaaaaaaaaaaaaaa", Now), Ct);
        var accepted = await store.AcceptAsync("cli:test", Now.AddMinutes(1), Ct);
        Assert.Equal((Now.AddMinutes(1), "cli:test"), (accepted!.AcceptedAt, accepted.AcceptedBy));
        var row = Assert.Single(await audit.RecentAsync(10, Ct));
        Assert.Equal(("cli:test", "accept-removals"), (row.Actor, row.Action));
        Assert.Contains("1 of 4 bound phones", row.Detail, StringComparison.Ordinal);

        // A second acceptance keeps the first one's time and actor (and is audited: someone asked).
        var twice = await store.AcceptAsync("dashboard", Now.AddMinutes(2), Ct);
        Assert.Equal((Now.AddMinutes(1), "cli:test"), (twice!.AcceptedAt, twice.AcceptedBy));

        Assert.True(await store.ClearAsync(Ct));
        Assert.False(await store.ClearAsync(Ct));
        Assert.Null(await store.GetAsync(Ct));
    }

    // The text the reflection serializer wrote before the store was compiled ahead of time: camelCase, MACs as their digits.
    private const string PhonesColumn = """[{"mac":"0006D7000001","endpoints":["6001","6002"],"kept":1},{"mac":"001122334455","endpoints":[],"kept":0}]""";

    [Fact]
    public async Task A_hold_row_written_before_source_generated_json_reads_with_its_phones_and_is_written_again_byte_for_byte()
    {
        await using var db = await TempDatabase.CreateAsync();
        await using (var connection = await db.Factory.OpenAsync(Ct))
        {
            using var insert = connection.Command(
                """
                INSERT INTO removal_hold (id, answer, reason, first_seen, last_seen, endpoints, bound, phones, accepted_at, accepted_by)
                VALUES (1, 'aaaaaaaaaaaaaaaa', 'mass-withdrawal', '2026-11-22T10:00:00.0000000Z', '2026-11-22T10:05:00.0000000Z', 2, 4, @Phones, NULL, NULL)
                """,
                ("@Phones", PhonesColumn));
            await insert.ExecuteNonQueryAsync(Ct);
        }

        var held = await new RemovalHoldStore(db.Factory).GetAsync(Ct);

        Assert.Equal((RemovalHoldReason.MassWithdrawal, Now, Now.AddMinutes(5), 2, 4), (held!.Reason, held.FirstSeen, held.LastSeen, held.Endpoints, held.Bound));
        Assert.Equal(2, held.Phones.Length);
        Assert.Equal((Mac, 1), (held.Phones[0].Mac, held.Phones[0].Kept));
        Assert.Equal(["6001", "6002"], held.Phones[0].Endpoints);
        Assert.Equal(MacAddress.Parse("001122334455").Mac, held.Phones[1].Mac);
        Assert.Empty(held.Phones[1].Endpoints);
        Assert.Equal(PhonesColumn, RemovalHoldStore.WritePhones(held.Phones));
    }
}
