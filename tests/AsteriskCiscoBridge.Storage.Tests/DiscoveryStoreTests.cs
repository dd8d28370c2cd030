using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Requests;

namespace AsteriskCiscoBridge.Storage.Tests;

public sealed class DiscoveryStoreTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly MacAddress Other = MacAddress.Parse("0011223344BB").Mac!.Value;
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static DiscoveredPhone Row(MacAddress mac, DateTimeOffset seen, string files = "SEP0011223344AA.cnf.xml") =>
        new() { Mac = mac, LastAddress = "10.0.0.5", ModelGuess = "7941/7961 (SIP)", Files = files, FirstSeen = Now, LastSeen = seen, RequestCount = 1 };

    [Fact]
    public async Task The_inbox_keeps_one_row_per_mac_lists_newest_first_and_forgets_a_claimed_mac()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var inbox = new DiscoveryStore(db.Factory);

        Assert.True(await inbox.SaveAsync(Row(Mac, Now), ct));
        Assert.True(await inbox.SaveAsync(Row(Other, Now.AddSeconds(1)), ct));
        Assert.True(await inbox.SaveAsync(Row(Mac, Now.AddSeconds(2), "SEP0011223344AA.cnf.xml|SIP41.9-4-2SR3-1S.loads") with { RequestCount = 2, FirstSeen = Now.AddHours(1) }, ct));

        var listed = await inbox.ListAsync(ct);
        Assert.Equal([Mac, Other], listed.Select(p => p.Mac));
        Assert.Equal(["SEP0011223344AA.cnf.xml", "SIP41.9-4-2SR3-1S.loads"], listed[0].FileList);
        Assert.Equal((Now, Now.AddSeconds(2), 2L), (listed[0].FirstSeen, listed[0].LastSeen, listed[0].RequestCount));

        Assert.True(await inbox.RemoveAsync(Mac, ct));
        Assert.False(await inbox.RemoveAsync(Mac, ct));
        Assert.Null(await inbox.GetAsync(Mac, ct));
        Assert.Equal([Other], (await inbox.ListAsync(ct)).Select(p => p.Mac));
    }

    [Fact]
    public async Task A_bound_mac_is_never_written_nor_listed()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var inbox = new DiscoveryStore(db.Factory);
        var phones = new PhoneStore(db.Factory);
        await inbox.SaveAsync(Row(Other, Now), ct);
        await phones.BindAsync(Mac, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6001" }], "test", Now, ct);
        await phones.BindAsync(Other, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6002" }], "test", Now, ct);

        Assert.False(await inbox.SaveAsync(Row(Mac, Now), ct));
        Assert.Null(await inbox.GetAsync(Mac, ct));
        Assert.Empty(await inbox.ListAsync(ct));
    }

    [Fact]
    public async Task A_full_inbox_takes_no_new_mac_but_still_updates_those_it_holds()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var inbox = new DiscoveryStore(db.Factory);

        Assert.True(await inbox.SaveAsync(Row(Mac, Now), ct, maxPhones: 1));
        Assert.False(await inbox.SaveAsync(Row(Other, Now), ct, maxPhones: 1));
        Assert.True(await inbox.SaveAsync(Row(Mac, Now.AddSeconds(5)) with { RequestCount = 2 }, ct, maxPhones: 1));

        Assert.Equal((Mac, 2L), (Assert.Single(await inbox.ListAsync(ct)).Mac, (await inbox.GetAsync(Mac, ct))!.RequestCount));
    }

    [Fact]
    public async Task WasUnbound_tells_a_mac_an_admin_unbound()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var inbox = new DiscoveryStore(db.Factory);
        var phones = new PhoneStore(db.Factory);
        await phones.BindAsync(Mac, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6001" }], "test", Now, ct);

        Assert.False(await inbox.WasUnboundAsync(Mac, ct));
        await phones.UnbindAsync(Mac, "test", Now, ct);
        Assert.True(await inbox.WasUnboundAsync(Mac, ct));
        Assert.False(await inbox.WasUnboundAsync(Other, ct));
    }

    [Fact]
    public async Task Request_log_keeps_the_answering_layer_and_pages_forward_after_an_id()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var log = new RequestLog(db.Factory);
        for (var i = 0; i < 5; i++)
        {
            await log.AppendAsync(new RequestRecord { At = Now.AddSeconds(i), Client = "10.0.0.5:1024", FileName = $"f{i}", Mac = i % 2 == 0 ? Mac : null, Outcome = RequestOutcome.Parse("denied: x"), Source = i == 4 ? "rate-limit" : null }, ct);
        }

        var first = (await log.RecentAsync(null, 5, ct))[^1].Id;
        var after = await log.AfterAsync(first, null, 2, ct);
        var mine = await log.AfterAsync(first, Mac, 10, ct);

        Assert.Equal(["f1", "f2"], after.Select(r => r.FileName));
        Assert.Equal(["f2", "f4"], mine.Select(r => r.FileName));
        Assert.Equal("rate-limit", mine[1].Source);
        Assert.Null(mine[0].Source);
    }
}
