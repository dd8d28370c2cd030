using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Storage.Tests;

public sealed class PhoneStoreTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("00:11:22:33:44:55").Mac!.Value;
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(2));

    private static StoredPhoneFiles Rendering(string content, MacAddress? mac = null)
    {
        var m = mac ?? Mac;
        return new StoredPhoneFiles(m, [new RenderedFile($"SEP{m.Value}.cnf.xml", FileScope.Phone, Encoding.UTF8.GetBytes(content))], null, "stamp-" + content);
    }

    [Fact]
    public async Task Bind_stores_the_phone_bindings_in_order_and_an_audit_row()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var store = new PhoneStore(db.Factory);

        var isNew = await store.BindAsync(Mac, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "1001", Password = "pw" }, new BindingRow { Position = 2, Endpoint = "1002" }], "cli:test", Now, ct);
        var again = await store.BindAsync(Mac, PhoneModels.Cisco7940, [new BindingRow { Position = 1, Endpoint = "2001" }], "cli:test", Now.AddMinutes(1), ct);

        var phone = await store.GetAsync(Mac, ct);
        Assert.True(isNew);
        Assert.False(again);
        Assert.Equal((Mac, "7940", 0L), (phone!.Mac, phone.Model, phone.SyncCounter));
        Assert.Equal(Now.UtcDateTime, phone.CreatedAt.UtcDateTime);
        Assert.Equal(TimeSpan.Zero, phone.CreatedAt.Offset);
        Assert.Equal(["2001"], (await store.BindingsAsync(Mac, ct)).Select(b => b.Endpoint));
        var audit = await new AuditLog(db.Factory).RecentAsync(10, ct);
        Assert.Equal(["rebind", "bind"], audit.Select(a => a.Action));
        Assert.Equal("model 7960; endpoints 1001,1002", audit[1].Detail);
        Assert.DoesNotContain(audit, a => a.Detail!.Contains("pw", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Timestamps_are_stored_as_utc_iso_8601_text()
    {
        await using var db = await TempDatabase.CreateAsync();
        await new PhoneStore(db.Factory).BindAsync(Mac, PhoneModels.Cisco7960, [], "cli:test", Now, TestContext.Current.CancellationToken);

        Assert.Equal("2026-11-22T08:00:00.0000000Z", await db.ScalarAsync<string>("SELECT created_at FROM phones", TestContext.Current.CancellationToken));
        Assert.Equal("001122334455", await db.ScalarAsync<string>("SELECT mac FROM phones", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task New_content_bumps_the_counter_and_unchanged_content_bumps_nothing()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var store = new PhoneStore(db.Factory);
        await store.BindAsync(Mac, PhoneModels.Cisco7965, [], "cli:test", Now, ct);

        var first = await store.SaveRenderedAsync(Rendering("a"), Now, ct);
        var same = await store.SaveRenderedAsync(Rendering("a"), Now.AddHours(1), ct);
        var afterSame = await store.GetAsync(Mac, ct);
        var changed = await store.SaveRenderedAsync(Rendering("b"), Now.AddHours(2), ct);

        Assert.Equal(new SaveResult(SaveOutcome.Updated, 1), first);
        Assert.Equal(new SaveResult(SaveOutcome.Unchanged, 1), same);
        Assert.Equal((1L, "stamp-a", Now.UtcDateTime), (afterSame!.SyncCounter, afterSame.VersionStamp, afterSame.RenderedAt!.Value.UtcDateTime));
        Assert.Equal(new SaveResult(SaveOutcome.Updated, 2), changed);
        var files = await store.FilesAsync(Mac, ct);
        Assert.Equal("b", Encoding.UTF8.GetString(Assert.Single(files).Content));
        Assert.Equal(ContentHash.Sha256Hex("b"u8), files[0].Sha256);
    }

    [Fact]
    public async Task Saving_for_an_unknown_phone_writes_nothing()
    {
        await using var db = await TempDatabase.CreateAsync();

        var result = await new PhoneStore(db.Factory).SaveRenderedAsync(Rendering("a"), Now, TestContext.Current.CancellationToken);

        Assert.Equal(SaveOutcome.UnknownPhone, result.Outcome);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM rendered_files", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Batch_save_bumps_only_the_phones_whose_content_changed()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var store = new PhoneStore(db.Factory);
        var other = MacAddress.Parse("0011.2233.4466").Mac!.Value;
        await store.BindAsync(Mac, PhoneModels.Cisco7965, [], "t", Now, ct);
        await store.BindAsync(other, PhoneModels.Cisco7965, [], "t", Now, ct);
        await store.SaveRenderedAsync([Rendering("a"), Rendering("x", other)], Now, ct);

        var results = await store.SaveRenderedAsync([Rendering("a"), Rendering("y", other)], Now, ct);

        Assert.Equal([new SaveResult(SaveOutcome.Unchanged, 1), new SaveResult(SaveOutcome.Updated, 2)], results);
        Assert.Equal(["SEP001122334455.cnf.xml", "SEP001122334466.cnf.xml"], (await store.AllFilesAsync(ct)).Select(f => f.Name));
    }

    [Fact]
    public async Task Unbind_removes_bindings_and_files_and_is_audited()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var store = new PhoneStore(db.Factory);
        await store.BindAsync(Mac, PhoneModels.Cisco7965, [new BindingRow { Position = 1, Endpoint = "1001" }], "t", Now, ct);
        await store.SaveRenderedAsync(Rendering("a"), Now, ct);

        var removed = await store.UnbindAsync(Mac, "cli:test", Now, ct);
        var again = await store.UnbindAsync(Mac, "cli:test", Now, ct);

        Assert.Equal((true, false), (removed, again));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT (SELECT count(*) FROM bindings) + (SELECT count(*) FROM rendered_files) + (SELECT count(*) FROM phones)", TestContext.Current.CancellationToken));
        Assert.Equal("unbind", (await new AuditLog(db.Factory).RecentAsync(1, ct))[0].Action);
    }

    [Fact]
    public async Task All_bindings_come_back_grouped_by_phone_in_button_order()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var store = new PhoneStore(db.Factory);
        await store.BindAsync(Mac, PhoneModels.Cisco7960, [new BindingRow { Position = 2, Endpoint = "b" }, new BindingRow { Position = 1, Endpoint = "a", Password = "p", DisplayName = "A" }], "t", Now, ct);

        var all = await store.AllBindingsAsync(ct);

        Assert.Equal(["a", "b"], all[Mac].Select(b => b.Endpoint));
        Assert.Equal(new LineInput("a", null, "p", "A"), all[Mac][0].ToLine());
        Assert.Null(all[Mac][1].ToLine());
    }

    [Fact]
    public async Task Concurrent_writers_wait_for_the_lock_instead_of_failing()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var macs = Enumerable.Range(0, 8).Select(i => MacAddress.Parse($"0000000000{i:X2}").Mac!.Value).ToArray();
        var store = new PhoneStore(db.Factory);
        foreach (var mac in macs)
        {
            await store.BindAsync(mac, PhoneModels.Cisco7965, [], "t", Now, ct);
        }

        // Each task has its own connection; SQLite allows one writer at a time.
        await Task.WhenAll(macs.Select(mac => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await new PhoneStore(db.Factory).SaveRenderedAsync(Rendering($"v{i}", mac), Now, ct);
            }
        }, ct)));

        Assert.All(await store.ListAsync(ct), p => Assert.Equal(20, p.SyncCounter));
    }

    [Fact]
    public async Task Settings_are_replaced_whole_audited_by_name_only_and_go_with_the_phone()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var store = new PhoneStore(db.Factory);
        await store.BindAsync(Mac, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "1001" }], "cli:test", Now, ct);

        Assert.True(await store.SetSettingsAsync(Mac, [new("phone_password", "9876"), new("cnf:call_waiting", "0")], "cli:test", Now, ct));
        Assert.True(await store.SetSettingsAsync(Mac, [new("label", "Desk")], "cli:test", Now, ct));
        var unknown = await store.SetSettingsAsync(MacAddress.Parse("001122334466").Mac!.Value, [new("label", "x")], "cli:test", Now, ct);

        Assert.False(unknown);
        Assert.Equal([new KeyValuePair<string, string>("label", "Desk")], await store.SettingsAsync(Mac, ct));
        var audit = await new AuditLog(db.Factory).RecentAsync(10, ct);
        Assert.Contains(audit, a => a.Detail == "settings phone_password,cnf:call_waiting");
        Assert.DoesNotContain(audit, a => a.Detail!.Contains("9876", StringComparison.Ordinal));

        await store.UnbindAsync(Mac, "cli:test", Now, ct);
        Assert.Empty(await store.SettingsAsync(Mac, ct));
    }
}
