using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Provisioning.Requests;

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
        await log.AppendAsync(new RequestRecord { At = Now, Client = "10.0.0.5:1024", FileName = "OS79XX.TXT", Outcome = RequestOutcome.Parse("served"), Bytes = 13 }, ct);
        await log.AppendAsync(new RequestRecord { At = Now.AddSeconds(1), Client = "10.0.0.5:1025", FileName = "SIP001122334455.cnf", Mac = Mac, Outcome = RequestOutcome.Parse("served"), Bytes = 900 }, ct);

        var all = await log.RecentAsync(null, 10, ct);
        var mine = await log.RecentAsync(Mac, 10, ct);

        Assert.Equal(["SIP001122334455.cnf", "OS79XX.TXT"], all.Select(r => r.FileName));
        Assert.Equal((Mac, Now.AddSeconds(1), 900L), (Assert.Single(mine).Mac!.Value, mine[0].At, mine[0].Bytes));
    }

    [Fact]
    public async Task Request_outcomes_are_stored_as_the_kind_detail_text_older_versions_wrote_and_read_back_from_it()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var log = new RequestLog(db.Factory);

        // Rows as an older version left them: the outcome column is free text.
        await using (var connection = await db.Factory.OpenAsync(ct))
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO request_log (at, client, file_name, mac, outcome, bytes, source) VALUES
                ('2026-11-22T08:00:00.0000000Z', '10.0.0.5:1024', 'SEP001122334455.cnf.xml', '001122334455', 'served: store: SEP001122334455.cnf.xml', 2048, 'store'),
                ('2026-11-22T08:00:01.0000000Z', '10.0.0.5:1025', 'CTLSEP001122334455.tlv', '001122334455', 'notfound: no file source has it', 0, NULL),
                ('2026-11-22T08:00:02.0000000Z', '10.0.0.5:1026', 'OS79XX.TXT', NULL, 'served', 13, NULL),
                ('2026-11-22T08:00:03.0000000Z', 'http:10.0.0.5:1027', 'x', NULL, 'head: disk: x', 0, 'disk:/srv/fw'),
                ('2026-11-22T08:00:04.0000000Z', '10.0.0.5:1028', 'y', NULL, 'from a later version', 0, NULL)
                """;
            await command.ExecuteNonQueryAsync(ct);
        }

        var rows = (await log.RecentAsync(null, 10, ct)).Reverse().ToList();

        Assert.Equal(
            [
                new RequestOutcome(RequestOutcomeKind.Served, "store: SEP001122334455.cnf.xml"),
                new RequestOutcome(RequestOutcomeKind.NotFound, "no file source has it"),
                new RequestOutcome(RequestOutcomeKind.Served, string.Empty),
                new RequestOutcome(RequestOutcomeKind.Head, "disk: x"),
                new RequestOutcome(RequestOutcomeKind.Other, "from a later version"),
            ],
            rows.Select(r => r.Outcome));

        await log.AppendAsync(new RequestRecord { At = Now.AddMinutes(1), Client = "10.0.0.5:1029", FileName = "SEP001122334455.cnf.xml", Mac = Mac, Outcome = new RequestOutcome(RequestOutcomeKind.Denied, "0011AA is pinned to 10.0.0.5, asked from 10.0.0.9"), Source = "pinning" }, ct);
        await using (var connection = await db.Factory.OpenAsync(ct))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT outcome FROM request_log ORDER BY id DESC LIMIT 1";
            Assert.Equal("denied: 0011AA is pinned to 10.0.0.5, asked from 10.0.0.9", await command.ExecuteScalarAsync(ct));
        }
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
