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

    // The text the reflection serializer wrote before the store was compiled ahead of time (enums as names, nulls
    // left out, computed properties written and ignored on reading): stored rows must keep loading, byte for byte.
    private const string SnapshotRow = """
        [{"Name":"6004","Line":{"Extension":"6004","AuthUser":"6004","Password":"pw\u0022; DROP \u003C\u0026\u003E","DisplayName":"Zo\u00EB","CallerIdNumber":"6004","Server":{"Host":"10.0.0.5","Port":5060,"Protocol":"Tcp","Reason":"bind","IsRequestLocal":false,"ProtocolName":"tcp","Address":"10.0.0.5:5060/tcp"},"EffectiveAuthUser":"6004","EffectiveLabel":"Zo\u00EB"},"Macs":[{"Mac":"0006D7AA2A2E","Source":"Phoneprov","Origin":"6004-phone","Line":2,"Profile":"cisco","Order":1},{"Mac":"001122334455","Source":"SetVar","Origin":"CISCO_MAC","Order":0}],"Variables":[{"Key":"CISCO_MODEL","Value":"CP-7945G"}],"UserAgents":["Cisco-CP7945G/9.4.2"]},{"Name":"6005","Problem":"md5","Macs":[],"Variables":[],"UserAgents":[]}]
        """;

    [Fact]
    public async Task A_snapshot_row_written_before_source_generated_json_loads_and_is_written_again_byte_for_byte()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        await using (var connection = await db.Factory.OpenAsync(ct))
        {
            using var insert = connection.Command("INSERT INTO asterisk_snapshot (id, taken_at, endpoints) VALUES (1, '2026-12-04T08:00:16.1234567Z', @Endpoints)", ("@Endpoints", SnapshotRow));
            await insert.ExecuteNonQueryAsync(ct);
        }

        var store = new SnapshotStore(db.Factory);
        var loaded = await store.LoadAsync(ct);

        Assert.Equal(new DateTimeOffset(2026, 12, 4, 8, 0, 16, 123, TimeSpan.Zero).AddTicks(4567), loaded!.TakenAt);
        Assert.Equal(
            new LineInput("6004", "6004", "pw\"; DROP <&>", "Zoë", "6004", null, new SipServer("10.0.0.5", 5060, SipTransportProtocol.Tcp, "bind")),
            loaded.Endpoints[0].Line);
        Assert.Equal(
            [new MacDeclaration(Mac, LineSource.Phoneprov, "6004-phone", 2, "cisco", 1), new MacDeclaration(Bound, LineSource.SetVar, "CISCO_MAC")],
            loaded.Endpoints[0].Macs);
        Assert.Equal([new KeyValuePair<string, string>("CISCO_MODEL", "CP-7945G")], loaded.Endpoints[0].Variables);
        Assert.Equal(["Cisco-CP7945G/9.4.2"], loaded.Endpoints[0].UserAgents);
        Assert.Equal(("6005", null, "md5"), (loaded.Endpoints[1].Name, loaded.Endpoints[1].Line, loaded.Endpoints[1].Problem));
        Assert.Equal(SnapshotRow, SnapshotStore.Write(loaded.Endpoints));

        // The same endpoints again write nothing: the stored text is what this version writes.
        await store.SaveAsync(new StoredSnapshot(Now, loaded.Endpoints), ct);
        Assert.Equal("2026-12-04T08:00:16.1234567Z", await db.ScalarAsync<string>("SELECT taken_at FROM asterisk_snapshot", ct));
    }

    [Fact]
    public async Task A_snapshot_row_this_version_cannot_read_loads_as_none()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        await using (var connection = await db.Factory.OpenAsync(ct))
        {
            using var insert = connection.Command("INSERT INTO asterisk_snapshot (id, taken_at, endpoints) VALUES (1, '2026-12-04T08:00:16.0000000Z', '[{\"Name\":')");
            await insert.ExecuteNonQueryAsync(ct);
        }

        Assert.Null(await new SnapshotStore(db.Factory).LoadAsync(ct));
    }
}
