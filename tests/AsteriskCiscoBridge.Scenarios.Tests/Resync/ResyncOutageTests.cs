using System.Collections.Concurrent;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;

namespace AsteriskCiscoBridge.Scenarios.Tests.Resync;

/// <summary>
/// End to end: Asterisk goes away in the middle of a staggered resync round (the AMI test server
/// closes the socket on the third PJSIPNotify, before acting on it); the service reconnects with its
/// retry, reads the endpoints again, and every changed phone ends up with exactly one accepted NOTIFY.
/// </summary>
public sealed class ResyncOutageTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_ami_outage_in_the_middle_of_a_round_loses_no_phone_and_tells_none_twice()
    {
        const int Count = 6;
        var pbx = new AmiTestPbx();
        var macs = Enumerable.Range(0, Count).Select(i => MacAddress.Parse($"0011223344{0xC0 + i:X2}").Mac!.Value).ToArray();
        for (var i = 0; i < Count; i++)
        {
            var name = $"700{i}";
            pbx.Set(AmiTestEndpoint.Plain(name, "first") with { Contacts = [new AmiTestContact($"sip:{name}@127.0.0.1:9", "Cisco-CP7960G/8.0", $"reg-{name}")] });
        }

        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        for (var i = 0; i < Count; i++)
        {
            await service.BindAsync(macs[i], PhoneModels.Cisco7960, Ct, new BindingRow { Position = 1, Endpoint = $"700{i}" });
        }

        var asterisk = service.Asterisk!;
        var received = new ConcurrentBag<string>();
        var dropped = new ConcurrentBag<string>();
        asterisk.DropConnectionOn = action =>
        {
            if (action["Action"] != "PJSIPNotify")
            {
                return false;
            }

            received.Add(action["Endpoint"]!);
            if (received.Count == 3)
            {
                dropped.Add(action["Endpoint"]!);
                return true;
            }

            return false;
        };

        // Staggered: the drop comes with three phones still to be told.
        await service.StartAsync(Ct, ("Resync:Interval", "00:00:00.050"));
        var resync = service.Resync;
        await resync.SentCount.ReachedAsync(Count, Ct).WithinAsync(Bound, "every phone told once the session is back", Ct);
        Assert.Equal(Count, resync.Sent);
        await Eventually.TrueAsync(() => asterisk.LoginCount >= 2, "the service logged in again", Ct, Bound);

        // Accepted at the server: every PJSIPNotify it acted on (all but the one it dropped).
        var lost = Assert.Single(dropped);
        var accepted = received.ToList();
        accepted.Remove(lost);
        Assert.Equal(macs.Select((_, i) => $"700{i}"), accepted.Order());
        Assert.Equal(Count, asterisk.Notifies.Delivered);

        // The last answers are written when the round ends.
        var queue = new ResyncQueue(service.Connections);
        var limit = DateTime.UtcNow + Bound;
        while ((await queue.ListAsync(Ct)).Count(r => r.State == ResyncState.AwaitingFetch) < Count)
        {
            Assert.True(DateTime.UtcNow < limit, "every phone awaiting its fetch");
            await Task.Yield();
        }

        // The notify log agrees: one "sent" per phone; the dropped one failed first and was sent after the reconnect.
        var log = await new NotifyLog(service.Connections).RecentAsync(null, 100, Ct);
        Assert.All(macs, mac => Assert.Single(log, n => n.Mac == mac && n.Outcome == "sent"));
        Assert.Contains(log, n => n.Endpoint == lost && n.Outcome == "failed");
    }
}
