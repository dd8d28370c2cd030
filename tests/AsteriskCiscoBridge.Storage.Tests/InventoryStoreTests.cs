using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Storage.Tests;

/// <summary>What the store keeps for the inventory: learned models and the service's last snapshot.</summary>
public sealed class InventoryStoreTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("0006D7AA2A2E").Mac!.Value;
    private static readonly MacAddress Bound = MacAddress.Parse("001122334455").Mac!.Value;
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SyncModels_creates_phones_only_asterisk_declares_and_a_learned_model_never_overrides_acb_bind()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var store = new PhoneStore(db.Factory);
        await store.BindAsync(Bound, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "1001" }], "cli:test", Now, ct);

        var created = await store.SyncModelsAsync([(Mac, "", null), (Bound, "7960", "bind")], Now, ct);
        var again = await store.SyncModelsAsync([(Mac, "", null), (Bound, "7960", "bind")], Now, ct);
        var learned = await store.SetLearnedModelAsync(Mac, "79x1", "files", Now, ct);
        var overBind = await store.SetLearnedModelAsync(Bound, "79x1", "files", Now, ct);

        Assert.Equal([Mac], created);
        Assert.Empty(again);
        Assert.True(learned);
        Assert.False(overBind);
        var models = await store.ModelsAsync(ct);
        Assert.Equal([new StoredModel(Mac, "79x1", ModelSource.Files), new StoredModel(Bound, "7960", ModelSource.Bind)], models);
        Assert.False((await store.AllBindingsAsync(ct)).ContainsKey(Mac));
    }

    [Fact]
    public async Task A_bind_without_model_keeps_the_model_unknown_and_a_row_from_before_model_source_reads_as_bind()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var store = new PhoneStore(db.Factory);

        await store.BindAsync(Mac, null, [new BindingRow { Position = 1, Endpoint = "1001" }], "cli:test", Now, ct);
        var unknown = await store.GetAsync(Mac, ct);
        await using (var connection = await db.Factory.OpenAsync(ct))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE phones SET model = '7961', model_source = NULL";
            await command.ExecuteNonQueryAsync(ct);
        }

        Assert.Equal(("", null), (unknown!.Model, unknown.ModelSource));
        Assert.Equal(ModelSource.Bind, Assert.Single(await store.ModelsAsync(ct)).Source);
    }

    [Fact]
    public async Task The_last_snapshot_round_trips_with_its_lines_declarations_and_variables()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var store = new SnapshotStore(db.Factory);
        var endpoint = new InventoryEndpoint(
            "6004",
            new LineInput("6004", "6004", "pw\"; DROP", "Zoë", "6004"),
            null,
            [new MacDeclaration(Mac, LineSource.Phoneprov, "6004-phone", 2, "cisco", 1)],
            [new("CISCO_MODEL", "CP-7945G")],
            ["Cisco-CP7945G/9.4.2"]);

        Assert.Null(await store.LoadAsync(ct));
        await store.SaveAsync(new StoredSnapshot(Now, [endpoint, new InventoryEndpoint("6005", null, "md5", [], [], [])]), ct);
        var loaded = await store.LoadAsync(ct);

        Assert.Equal(Now, loaded!.TakenAt);
        Assert.Equal(2, loaded.Endpoints.Count);
        var back = loaded.Endpoints[0];
        Assert.Equal((endpoint.Name, endpoint.Line, endpoint.Problem), (back.Name, back.Line, back.Problem));
        Assert.Equal(endpoint.Macs, back.Macs);
        Assert.Equal(endpoint.Variables, back.Variables);
        Assert.Equal(endpoint.UserAgents, back.UserAgents);
        Assert.Equal("md5", loaded.Endpoints[1].Problem);
    }
}
