using System.Text.Json;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Tests.Cli;

public sealed class PhonesCommandTests
{
    [Fact]
    public async Task Phones_json_lists_each_phone_with_endpoints_and_versions_and_no_secret()
    {
        using var cli = new CliHarness();
        await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7965", "--line-data", cli.WriteLineData("""[{"endpoint":"1001","password":"topsecret"}]"""));
        await cli.RunAsync("bind", "0011.2233.4455", "2001,2002", "--model", "7940");

        var (exit, output, _) = await cli.RunAsync("phones", "--json");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("topsecret", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        var phones = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(["001122334455", "001122AABBCC"], phones.Select(p => p.GetProperty("mac").GetString()));
        Assert.Equal(["2001", "2002"], phones[0].GetProperty("endpoints").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((0, JsonValueKind.Null), (phones[0].GetProperty("syncCounter").GetInt32(), phones[0].GetProperty("renderedAt").ValueKind));
        Assert.Equal(1, phones[1].GetProperty("syncCounter").GetInt32());
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", phones[1].GetProperty("versionStamp").GetString());
        Assert.Equal("2026-11-22T08:00:00Z", phones[1].GetProperty("renderedAt").GetString());
    }

    [Fact]
    public async Task Phones_table_has_a_header_and_one_row_per_phone()
    {
        using var cli = new CliHarness();
        await cli.RunAsync("bind", "001122aabbcc", "1001,1002", "--model", "7960");

        var (_, output, _) = await cli.RunAsync("phones");

        var rows = output.TrimEnd('\n').Split('\n');
        Assert.Equal(2, rows.Length);
        Assert.StartsWith("MAC", rows[0], StringComparison.Ordinal);
        Assert.Matches("^001122AABBCC  7960 +0  - +- +- +1001,1002  - +-$", rows[1]);
    }

    [Fact]
    public async Task A_phone_that_never_acted_on_its_resync_shows_as_stale()
    {
        using var cli = new CliHarness();
        await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7961");
        var log = new AsteriskCiscoBridge.Storage.NotifyLog(new AsteriskCiscoBridge.Storage.SqliteConnectionFactory(new AsteriskCiscoBridge.Storage.StorageOptions { Database = cli.DatabasePath }));
        var mac = AsteriskCiscoBridge.Provisioning.Model.MacAddress.Parse("001122aabbcc").Mac!.Value;
        var at = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        await log.AppendAsync(new AsteriskCiscoBridge.Storage.NotifyRecord { At = at, Mac = mac, Endpoint = "1001", Event = "service-control", Outcome = "sent" }, TestContext.Current.CancellationToken);
        await log.AppendAsync(new AsteriskCiscoBridge.Storage.NotifyRecord { At = at.AddMinutes(6), Mac = mac, Endpoint = "1001", Event = "service-control", Outcome = "stale", Detail = "no fetch after 2 NOTIFYs" }, TestContext.Current.CancellationToken);

        var (_, table, _) = await cli.RunAsync("phones");
        var (_, json, _) = await cli.RunAsync("phones", "--json");

        Assert.Contains("stale 2026-11-22T09:06:00Z", table, StringComparison.Ordinal);
        Assert.Contains("\"resync\": \"stale 2026-11-22T09:06:00Z\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Phones_shows_where_each_phone_stands_in_the_resync_queue()
    {
        using var cli = new CliHarness();
        var ct = TestContext.Current.CancellationToken;
        string[] macs = ["001122AABB01", "001122AABB02", "001122AABB03", "001122AABB04", "001122AABB05"];
        foreach (var mac in macs)
        {
            await cli.RunAsync("bind", mac, "1001", "--model", "7961");
        }

        var connections = new SqliteConnectionFactory(new StorageOptions { Database = cli.DatabasePath });
        var queue = new ResyncQueue(connections);
        var at = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        MacAddress Mac(int i) => MacAddress.Parse(macs[i]).Mac!.Value;
        await queue.EnqueueAsync(macs.Select((_, i) => Mac(i)), "changed", at, ct);
        await queue.PlaceAsync([new ResyncPlacement(Mac(1), ResyncState.Deferred, at, at.AddMinutes(30)), new ResyncPlacement(Mac(2), ResyncState.WaitingContact, null, null)], at, ct);
        foreach (var i in new[] { 3, 4 })
        {
            await queue.BeginSendAsync(new ResyncSend(Mac(i), "1001", ResyncKind.Restart, 1), at, ct);
            await queue.CompleteSendsAsync([new ResyncSendResult(Mac(i), ResyncSendOutcome.Accepted, at.AddMinutes(3), new NotifyRecord { At = at, Mac = Mac(i), Endpoint = "1001", Event = "service-control", Outcome = "sent" })], at, ct);
        }

        await queue.BeginSendAsync(new ResyncSend(Mac(4), "1001", ResyncKind.Reset, 2), at.AddMinutes(3), ct);
        await queue.CompleteSendsAsync([new ResyncSendResult(Mac(4), ResyncSendOutcome.Accepted, at.AddMinutes(6), new NotifyRecord { At = at, Mac = Mac(4), Endpoint = "1001", Event = "service-control", Outcome = "sent" })], at, ct);
        await queue.MarkStaleAsync(Mac(4), new NotifyRecord { At = at.AddMinutes(6), Mac = Mac(4), Endpoint = "1001", Event = "service-control", Outcome = "stale", Detail = "no fetch after 2 NOTIFYs, the last service-control reset" }, ct);

        var (_, table, _) = await cli.RunAsync("phones");
        var (_, json, _) = await cli.RunAsync("phones", "--json");

        var rows = table.TrimEnd('\n').Split('\n')[1..];
        Assert.EndsWith("  pending", rows[0], StringComparison.Ordinal);
        Assert.EndsWith("  deferred (in call) until 2026-11-22T09:30:00Z", rows[1], StringComparison.Ordinal);
        Assert.EndsWith("  waiting for contact", rows[2], StringComparison.Ordinal);
        Assert.EndsWith("  awaiting fetch since 2026-11-22T09:00:00Z attempt 1", rows[3], StringComparison.Ordinal);
        Assert.EndsWith("  stale: no fetch after 2 NOTIFYs, the last service-control reset", rows[4], StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var fourth = document.RootElement[3].GetProperty("queue");
        Assert.Equal(("awaiting-fetch", 1, "2026-11-22T09:03:00Z"), (fourth.GetProperty("state").GetString(), fourth.GetProperty("attempt").GetInt32(), fourth.GetProperty("deadline").GetString()));
        Assert.Equal(JsonValueKind.Null, document.RootElement[0].GetProperty("queue").GetProperty("sentAt").ValueKind);
    }
}
