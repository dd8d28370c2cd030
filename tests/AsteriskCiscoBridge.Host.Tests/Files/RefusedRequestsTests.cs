using System.Net;
using AsteriskCiscoBridge.Provisioning.Requests;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Tests.Files;

public sealed class RefusedRequestsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 14, 2, 7, TimeSpan.Zero);

    private static FileRequest Request(string outcome, string? source = null, string address = "203.0.113.7", string protocol = "tftp", string file = "SEP0006D7000001.cnf.xml", int second = 0) =>
        new(At.AddSeconds(second), protocol, new IPEndPoint(IPAddress.Parse(address), 40000 + second), file, outcome.StartsWith("served", StringComparison.Ordinal), RequestOutcome.Parse(outcome), 0, source);

    [Theory]
    [InlineData("malformed: RRQ without a NUL after the file name at byte 25", null, RefusalKind.Malformed)]
    [InlineData("optionrefused: blksize 7 is below 8", null, RefusalKind.Malformed)]
    [InlineData("denied: client address is not in the allowed networks", null, RefusalKind.Denied)]
    [InlineData("denied: write request to a read-only server", null, RefusalKind.Denied)]
    [InlineData("denied: name refused: parent directory", null, RefusalKind.Denied)]
    [InlineData("denied: asked for more than 20 MACs within 60 s: looks like a scan", "guard", RefusalKind.Guarded)]
    [InlineData("denied: more than 50 requests at once or 10/s from this address", "rate-limit", RefusalKind.Guarded)]
    [InlineData("busy: 16 transfers already running for this address", null, RefusalKind.Busy)]
    public void Refusals_an_attacker_can_send_without_limit_are_counted(string outcome, string? source, object kind)
    {
        Assert.Equal((RefusalKind)kind, RefusedRequests.KindOf(Request(outcome, source)));
    }

    [Theory]
    [InlineData("served: store: SIP0011223344AA.cnf", "store")]
    [InlineData("served: store: SIP0011223344AA.cnf", "pin-alert")]
    [InlineData("notfound: no file source has it", null)]
    [InlineData("notfound: 0011223344AA is not bound (unprovisioned policy: not found)", "unbound")]
    [InlineData("failed: the client stopped acknowledging", "disk:/srv/fw")]
    [InlineData("denied: 0011223344AA is pinned to 10.0.0.5, asked from 10.0.0.9", "pinning")]
    [InlineData("head: store: SEP0011223344AA.cnf.xml", "store")]
    public void Requests_that_reached_the_file_tree_keep_their_row(string outcome, string? source)
    {
        Assert.Null(RefusedRequests.KindOf(Request(outcome, source)));
    }

    [Fact]
    public void Counts_gather_per_address_and_minute_whatever_the_port_and_http_apart()
    {
        var counts = new RefusedRequestCounts();

        var first = counts.Add(Request("malformed: x", second: 0, file: ""), RefusalKind.Malformed);
        var second = counts.Add(Request("denied: g", "guard", second: 1), RefusalKind.Guarded);
        counts.Add(Request("denied: g", "guard", second: 2, file: "SEP0006D7000002.cnf.xml"), RefusalKind.Guarded);
        counts.Add(Request("denied: g", "guard", second: 60), RefusalKind.Guarded);
        counts.Add(Request("denied: x", protocol: "http", address: "::ffff:203.0.113.7"), RefusalKind.Denied);
        var taken = counts.Take();

        Assert.True(first);
        Assert.False(second);
        Assert.Empty(counts.Take());
        Assert.Equal(3, taken.Count);
        var minute = Assert.Single(taken, c => c.Address == "203.0.113.7" && c.Minute == new DateTimeOffset(2026, 11, 22, 14, 2, 0, TimeSpan.Zero));
        Assert.Equal((1L, 2L, 3L), (minute.Malformed, minute.Guarded, minute.Total));
        Assert.Equal((At, At.AddSeconds(2), "SEP0006D7000002.cnf.xml"), (minute.FirstAt, minute.LastAt, minute.LastFile));
        Assert.Equal(1L, Assert.Single(taken, c => c.Minute.Minute == 3).Guarded);
        Assert.Equal(1L, Assert.Single(taken, c => c.Address == "http:203.0.113.7").Denied);
    }

    [Fact]
    public void Addresses_of_a_minute_beyond_the_limit_are_counted_together()
    {
        var counts = new RefusedRequestCounts();
        for (var i = 0; i < RefusedRequestCounts.MaxAddressesPerMinute + 100; i++)
        {
            counts.Add(Request("denied: outside", address: $"198.51.{i / 250}.{(i % 250) + 1}"), RefusalKind.Denied);
            counts.Add(Request("denied: outside", address: "198.51.0.1"), RefusalKind.Denied);
        }

        var taken = counts.Take();

        Assert.Equal(RefusedRequestCounts.MaxAddressesPerMinute + 1, taken.Count);
        Assert.Equal(100L, Assert.Single(taken, c => c.Address == RefusedCount.OtherAddresses).Denied);
        Assert.Equal(RefusedRequestCounts.MaxAddressesPerMinute + 101L, Assert.Single(taken, c => c.Address == "198.51.0.1").Denied);
    }

    [Fact]
    public void Counts_whose_write_failed_come_back_with_the_next_take_and_a_hostile_name_is_kept_short_and_printable()
    {
        var counts = new RefusedRequestCounts();
        counts.Add(Request("denied: g", "guard", file: "SEP\u001b[31m" + new string('A', 500)), RefusalKind.Guarded);
        var failed = counts.Take();
        counts.Add(Request("denied: g", "guard", second: 5), RefusalKind.Guarded);

        Assert.Equal(0L, counts.Return(failed));
        var merged = Assert.Single(counts.Take());

        Assert.Equal(2L, merged.Guarded);
        Assert.Equal(RefusedCount.MaxFileLength, failed[0].LastFile!.Length);
        Assert.StartsWith("SEP?[31mAAA", failed[0].LastFile, StringComparison.Ordinal);
        Assert.Equal((At, At.AddSeconds(5)), (merged.FirstAt, merged.LastAt));
    }

    [Fact]
    public void Counts_waiting_for_a_store_that_cannot_be_written_are_bounded()
    {
        var counts = new RefusedRequestCounts();
        var failed = Enumerable.Range(0, RefusedRequestCounts.MaxPending + 10)
            .Select(i => new RefusedCount { Minute = At.AddMinutes(i), Address = "10.0.0.1", Busy = 2, FirstAt = At, LastAt = At })
            .ToArray();

        var lost = counts.Return(failed);

        Assert.Equal(20L, lost);
        Assert.Equal(RefusedRequestCounts.MaxPending, counts.Take().Count);
    }
}
