using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Storage.Tests;

public sealed class AuditLogTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("00:11:22:33:44:66").Mac!.Value;
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LastId_moves_with_every_admin_change_and_not_with_a_refused_one()
    {
        await using var db = await TempDatabase.CreateAsync();
        var audit = new AuditLog(db.Factory);
        var phones = new PhoneStore(db.Factory);
        var firmware = new FirmwareStore(db.Factory);
        Assert.Equal(0, await audit.LastIdAsync(Ct));

        var seen = new List<long>();
        await phones.BindAsync(Mac, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6001" }], "cli:test", Now, Ct);
        seen.Add(await audit.LastIdAsync(Ct));
        await phones.SetSettingsAsync(Mac, [new("label", "Desk")], "cli:test", Now, Ct);
        seen.Add(await audit.LastIdAsync(Ct));
        await firmware.PinAsync(Mac, "P0S3-08-12-00", "cli:test", Now, Ct);
        seen.Add(await audit.LastIdAsync(Ct));
        await firmware.PinAsync(Mac, null, "dashboard", Now, Ct);
        seen.Add(await audit.LastIdAsync(Ct));
        await phones.UnbindAsync(Mac, "cli:test", Now, Ct);
        seen.Add(await audit.LastIdAsync(Ct));

        Assert.Equal([1L, 2, 3, 4, 5], seen);
        Assert.False(await phones.UnbindAsync(Mac, "cli:test", Now, Ct));
        Assert.False(await phones.SetSettingsAsync(Mac, [new("label", "Gone")], "cli:test", Now, Ct));
        Assert.Equal(5, await audit.LastIdAsync(Ct));
    }

    [Fact]
    public async Task AnyAfter_sees_only_rows_past_the_id_and_not_of_the_excepted_actor()
    {
        await using var db = await TempDatabase.CreateAsync();
        var audit = new AuditLog(db.Factory);
        var phones = new PhoneStore(db.Factory);
        await phones.BindAsync(Mac, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6001" }], "cli:test", Now, Ct);
        var first = await audit.LastIdAsync(Ct);
        await phones.BindAsync(MacAddress.Parse("001122334477").Mac!.Value, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6002" }], "bridge:auto-assign", Now, Ct);

        Assert.False(await audit.AnyAfterAsync(first, "bridge:auto-assign", Ct));
        Assert.True(await audit.AnyAfterAsync(first, "someone-else", Ct));
        Assert.True(await audit.AnyAfterAsync(0, "bridge:auto-assign", Ct));
        Assert.False(await audit.AnyAfterAsync(await audit.LastIdAsync(Ct), "someone-else", Ct));
    }
}
