using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Storage.Tests;

public sealed class LogStoreTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("001122334455").Mac!.Value;
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Request_log_keeps_requests_newest_first_and_filters_by_mac()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var log = new RequestLog(db.Factory);
        await log.AppendAsync(new RequestRecord { At = Now, Client = "10.0.0.5:1024", FileName = "OS79XX.TXT", Outcome = "served", Bytes = 13 }, ct);
        await log.AppendAsync(new RequestRecord { At = Now.AddSeconds(1), Client = "10.0.0.5:1025", FileName = "SIP001122334455.cnf", Mac = Mac, Outcome = "served", Bytes = 900 }, ct);

        var all = await log.RecentAsync(null, 10, ct);
        var mine = await log.RecentAsync(Mac, 10, ct);

        Assert.Equal(["SIP001122334455.cnf", "OS79XX.TXT"], all.Select(r => r.FileName));
        Assert.Equal((Mac, Now.AddSeconds(1), 900L), (Assert.Single(mine).Mac!.Value, mine[0].At, mine[0].Bytes));
    }

    [Fact]
    public async Task Notify_log_round_trips()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var log = new NotifyLog(db.Factory);
        var record = new NotifyRecord { At = Now, Mac = Mac, Endpoint = "1001", Event = "check-sync", Outcome = "sent", Detail = "NOTIFY sent" };

        await log.AppendAsync(record, ct);

        Assert.Equal(record with { Id = 1 }, Assert.Single(await log.RecentAsync(Mac, 10, ct)));
    }

    [Fact]
    public async Task Site_files_store_only_what_changed()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var store = new ConfigStore(db.Factory);
        RenderedFile File(string name, string text) => new(name, FileScope.Site, Encoding.UTF8.GetBytes(text));

        var first = await store.SaveSiteFilesAsync([File("SIPDefault.cnf", "a"), File("dialplan.xml", "b")], Now, ct);
        var second = await store.SaveSiteFilesAsync([File("SIPDefault.cnf", "a"), File("dialplan.xml", "c")], Now, ct);

        Assert.Equal(["SIPDefault.cnf", "dialplan.xml"], first);
        Assert.Equal(["dialplan.xml"], second);
        Assert.Equal(["c"], (await store.SiteFilesAsync(ct)).Where(f => f.Name == "dialplan.xml").Select(f => Encoding.UTF8.GetString(f.Content)));
    }
}
