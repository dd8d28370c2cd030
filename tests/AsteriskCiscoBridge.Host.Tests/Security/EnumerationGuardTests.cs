using System.Globalization;
using System.Net;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Services.Security;

namespace AsteriskCiscoBridge.Host.Tests.Security;

public sealed class EnumerationGuardTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Scanner = IPAddress.Parse("10.1.2.3");
    private static readonly IPAddress Phone = IPAddress.Parse("10.1.2.4");
    private static readonly EnumerationGuardOptions Options = new() { MaxDistinctMacs = 5, Window = TimeSpan.FromSeconds(60), BlockFor = TimeSpan.FromMinutes(10) };

    private static string Sep(int i) => $"SEP0011223344{i.ToString("X2", CultureInfo.InvariantCulture)}.cnf.xml";

    [Fact]
    public void An_address_asking_for_too_many_macs_raises_one_alarm_and_is_refused()
    {
        var guard = new EnumerationGuard(Options);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(guard.Decide(Scanner, Sep(i), T0.AddSeconds(i)).Allowed);
        }

        var crossing = guard.Decide(Scanner, Sep(5), T0.AddSeconds(5));
        var after = guard.Decide(Scanner, Sep(0), T0.AddSeconds(6));

        Assert.Equal((false, true), (crossing.Allowed, crossing.Alarm));
        Assert.Contains("looks like a scan", crossing.Reason, StringComparison.Ordinal);
        Assert.Equal((false, false), (after.Allowed, after.Alarm));
        Assert.Equal([Scanner], guard.BlockedAddresses(T0.AddSeconds(6)));
    }

    [Fact]
    public void Shared_files_and_other_addresses_stay_served_during_a_scan()
    {
        var guard = new EnumerationGuard(Options);
        for (var i = 0; i <= 5; i++)
        {
            guard.Decide(Scanner, Sep(i), T0);
        }

        Assert.True(guard.Decide(Scanner, "SIPDefault.cnf", T0).Allowed);
        Assert.True(guard.Decide(Phone, Sep(1), T0).Allowed);
    }

    [Fact]
    public void A_phone_asking_for_its_own_file_again_and_again_is_never_a_scan()
    {
        var guard = new EnumerationGuard(Options);

        for (var i = 0; i < 100; i++)
        {
            Assert.True(guard.Decide(Phone, Sep(1), T0.AddSeconds(i)).Allowed);
        }
    }

    [Fact]
    public void Macs_older_than_the_window_no_longer_count()
    {
        var guard = new EnumerationGuard(Options);
        for (var i = 0; i < 5; i++)
        {
            guard.Decide(Phone, Sep(i), T0);
        }

        Assert.True(guard.Decide(Phone, Sep(10), T0.AddSeconds(61)).Allowed);
    }

    [Fact]
    public void The_block_ends_after_its_time()
    {
        var guard = new EnumerationGuard(Options);
        for (var i = 0; i <= 5; i++)
        {
            guard.Decide(Scanner, Sep(i), T0);
        }

        Assert.False(guard.Decide(Scanner, Sep(1), T0.AddMinutes(9)).Allowed);
        Assert.True(guard.Decide(Scanner, Sep(1), T0.AddMinutes(10).AddSeconds(1)).Allowed);
    }

    [Fact]
    public void Tracking_is_bounded_and_a_block_is_never_forgotten_to_make_room()
    {
        var guard = new EnumerationGuard(new EnumerationGuardOptions { MaxDistinctMacs = 1, MaxTrackedAddresses = 2 });
        guard.Decide(IPAddress.Parse("10.0.0.1"), Sep(1), T0);
        guard.Decide(IPAddress.Parse("10.0.0.1"), Sep(2), T0.AddSeconds(1));

        // Many new addresses come and go through the table; the blocked one stays blocked.
        for (var i = 2; i < 200; i++)
        {
            Assert.True(guard.Decide(IPAddress.Parse($"10.0.{i}.1"), Sep(1), T0.AddSeconds(i)).Allowed);
        }

        Assert.Equal([IPAddress.Parse("10.0.0.1")], guard.BlockedAddresses(T0.AddSeconds(200)));
        Assert.False(guard.Decide(IPAddress.Parse("10.0.0.1"), Sep(1), T0.AddSeconds(201)).Allowed);
    }

    // ------------------------------------------------------------------ networks and everyone (case 18)

    private static readonly EnumerationGuardOptions Layered = new()
    {
        MaxDistinctMacs = 20,
        MaxDistinctMacsPerPrefix = 50,
        MaxDistinctMacsGlobal = 100,
        Window = TimeSpan.FromSeconds(60),
        BlockFor = TimeSpan.FromMinutes(10),
    };

    private static readonly HashSet<string> Bound = ["00112233AA01", "00112233AA02", "00112233AA03"];

    private static string Unknown(int i) => $"SEP{0x5C0000000000L + i:X12}.cnf.xml";

    private static string Own(string mac) => $"SEP{mac}.cnf.xml";

    [Fact]
    public void Thirty_aliases_of_one_network_asking_a_few_unknown_macs_each_trip_the_guard_for_that_network()
    {
        var guard = new EnumerationGuard(Layered, m => Bound.Contains(m.Value));
        var decisions = new List<GuardDecision>();
        for (var host = 1; host <= 30; host++)
        {
            for (var k = 0; k < 3; k++)
            {
                // Three each: far under the per-address limit of 20.
                decisions.Add(guard.Decide(IPAddress.Parse($"10.1.2.{host}"), Unknown((host * 3) + k), T0.AddSeconds(host)));
            }
        }

        Assert.Equal(50, decisions.TakeWhile(d => d.Allowed).Count());
        var alarm = Assert.Single(decisions, d => d.Alarm);
        Assert.Equal((GuardScope.Prefix, IPNetwork.Parse("10.1.2.0/24")), (alarm.Scope, alarm.Prefix));
        Assert.All(decisions.Skip(50), d => Assert.False(d.Allowed));
        Assert.Equal([IPNetwork.Parse("10.1.2.0/24")], guard.BlockedPrefixes(T0.AddMinutes(1)));
        Assert.Empty(guard.BlockedAddresses(T0.AddMinutes(1)));

        // A known phone in another network, and an unknown one there, are not touched by it.
        Assert.True(guard.Decide(IPAddress.Parse("10.1.3.4"), Own("00112233AA01"), T0.AddMinutes(1)).Allowed);
        Assert.True(guard.Decide(IPAddress.Parse("10.1.3.5"), Unknown(9999), T0.AddMinutes(1)).Allowed);
        // A new alias in the blocked network is refused at once; after BlockFor the network is served again.
        Assert.False(guard.Decide(IPAddress.Parse("10.1.2.200"), Unknown(5000), T0.AddMinutes(2)).Allowed);
        Assert.True(guard.Decide(IPAddress.Parse("10.1.2.200"), Unknown(5000), T0.AddMinutes(12)).Allowed);
    }

    [Fact]
    public void A_bound_phone_at_its_own_address_inside_a_blocked_network_is_still_served()
    {
        var phone = IPAddress.Parse("10.1.2.250");
        var guard = new EnumerationGuard(Layered, m => Bound.Contains(m.Value), a => a.Equals(phone));
        for (var i = 0; i <= 50; i++)
        {
            guard.Decide(IPAddress.Parse($"10.1.2.{1 + (i / 10)}"), Unknown(i), T0);
        }

        Assert.NotEmpty(guard.BlockedPrefixes(T0));
        Assert.True(guard.Decide(phone, Own("00112233AA02"), T0.AddSeconds(1)).Allowed);
        Assert.False(guard.Decide(IPAddress.Parse("10.1.2.251"), Own("00112233AA03"), T0.AddSeconds(1)).Allowed);
    }

    [Fact]
    public void A_site_of_bound_phones_booting_in_one_network_never_trips_it()
    {
        var bound = Enumerable.Range(0, 250).Select(i => $"0011223{i:X5}").ToHashSet();
        var guard = new EnumerationGuard(Layered, m => bound.Contains(m.Value));

        var refused = bound.Select((mac, i) => guard.Decide(IPAddress.Parse($"10.1.2.{i + 1}"), Own(mac), T0.AddMilliseconds(i))).Count(d => !d.Allowed);

        Assert.Equal(0, refused);
        Assert.False(guard.IsThrottled(T0.AddSeconds(1)));
    }

    [Fact]
    public void Unknown_macs_asked_across_many_networks_raise_one_global_alarm_and_only_bound_phones_are_served()
    {
        // Two unknown MACs from each of 60 networks: no address, no network over its limit, 120 in all.
        var guard = new EnumerationGuard(Layered, m => Bound.Contains(m.Value));
        var decisions = new List<GuardDecision>();
        for (var n = 0; n < 60; n++)
        {
            decisions.Add(guard.Decide(IPAddress.Parse($"10.{n}.0.1"), Unknown(2 * n), T0.AddSeconds(n / 2.0)));
            decisions.Add(guard.Decide(IPAddress.Parse($"10.{n}.0.2"), Unknown((2 * n) + 1), T0.AddSeconds(n / 2.0)));
        }

        Assert.Equal(100, decisions.Count(d => d.Allowed));
        Assert.Equal(GuardScope.Global, Assert.Single(decisions, d => d.Alarm).Scope);
        Assert.True(guard.IsThrottled(T0.AddMinutes(1)));
        Assert.Empty(guard.BlockedPrefixes(T0.AddMinutes(1)));

        // What the throttle does: any MAC bound to no phone is refused to anyone, from anywhere...
        var stranger = guard.Decide(IPAddress.Parse("192.168.7.7"), Unknown(77_777), T0.AddMinutes(1));
        Assert.Equal((false, false, GuardScope.Global), (stranger.Allowed, stranger.Alarm, stranger.Scope));
        // ...bound phones are served, shared files too...
        Assert.True(guard.Decide(IPAddress.Parse("192.168.7.8"), Own("00112233AA01"), T0.AddMinutes(1)).Allowed);
        Assert.True(guard.Decide(IPAddress.Parse("192.168.7.7"), "SIPDefault.cnf", T0.AddMinutes(1)).Allowed);
        // ...and after BlockFor unknown phones are answered again.
        Assert.True(guard.Decide(IPAddress.Parse("192.168.7.7"), Unknown(77_777), T0.AddMinutes(11)).Allowed);
    }

    [Fact]
    public void Ipv6_addresses_are_counted_per_64()
    {
        var guard = new EnumerationGuard(Layered, m => Bound.Contains(m.Value));

        // A host picks new addresses in its /64 at will: 51 of them, one unknown MAC each.
        var decisions = Enumerable.Range(1, 51).Select(i => guard.Decide(IPAddress.Parse($"fd00:0:0:1::{i:x}"), Unknown(i), T0)).ToList();

        Assert.Equal(50, decisions.Count(d => d.Allowed));
        Assert.Equal((GuardScope.Prefix, IPNetwork.Parse("fd00:0:0:1::/64")), (decisions[^1].Scope, decisions[^1].Prefix));
        Assert.False(guard.Decide(IPAddress.Parse("fd00::1:ffff:ffff:ffff:ffff"), Unknown(900), T0).Allowed);
        Assert.True(guard.Decide(IPAddress.Parse("fd00:0:0:2::1"), Unknown(901), T0).Allowed);
        Assert.True(guard.Decide(IPAddress.Parse("::1"), Unknown(902), T0).Allowed);
    }

    [Theory]
    [InlineData("10.1.2.3", "10.1.2.0/24")]
    [InlineData("::ffff:10.1.2.3", "10.1.2.0/24")]
    [InlineData("fd00:0:0:1:aaaa:bbbb:cccc:dddd", "fd00:0:0:1::/64")]
    [InlineData("::1", "::/64")]
    public void Requests_are_counted_in_the_network_of_their_address(string address, string network)
    {
        var guard = new EnumerationGuard(Layered);
        var client = IPAddress.Parse(address);

        var decision = guard.Decide(client, Unknown(1), T0);

        Assert.Equal(IPNetwork.Parse(network), guard.PrefixOf(client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client));
        Assert.True(decision.Allowed);
    }

    [Fact]
    public void With_the_network_table_full_an_active_block_stays()
    {
        var guard = new EnumerationGuard(new EnumerationGuardOptions { MaxDistinctMacs = 100, MaxDistinctMacsPerPrefix = 2, MaxDistinctMacsGlobal = 0, MaxTrackedAddresses = 8 });
        for (var i = 0; i < 3; i++)
        {
            guard.Decide(IPAddress.Parse("10.9.9.1"), Unknown(i), T0);
        }

        Assert.Equal([IPNetwork.Parse("10.9.9.0/24")], guard.BlockedPrefixes(T0));

        // A thousand networks, one request each, churn through a table of eight.
        for (var n = 0; n < 1000; n++)
        {
            Assert.True(guard.Decide(IPAddress.Parse($"172.{16 + (n / 256)}.{n % 256}.1"), Unknown(100 + n), T0.AddSeconds(1)).Allowed);
        }

        Assert.Contains(IPNetwork.Parse("10.9.9.0/24"), guard.BlockedPrefixes(T0.AddSeconds(2)));
        Assert.False(guard.Decide(IPAddress.Parse("10.9.9.77"), Unknown(5000), T0.AddSeconds(2)).Allowed);
    }

    [Fact]
    public void When_every_tracked_network_is_blocked_a_new_one_is_judged_without_a_table_entry()
    {
        // Two blocked networks fill a table of two: a third is not tracked (nothing to evict), never thrown out.
        var guard = new EnumerationGuard(new EnumerationGuardOptions { MaxDistinctMacs = 100, MaxDistinctMacsPerPrefix = 1, MaxDistinctMacsGlobal = 0, MaxTrackedAddresses = 2 });
        guard.Decide(IPAddress.Parse("10.0.1.1"), Unknown(1), T0);
        guard.Decide(IPAddress.Parse("10.0.1.1"), Unknown(2), T0);
        guard.Decide(IPAddress.Parse("10.0.2.1"), Unknown(3), T0);
        guard.Decide(IPAddress.Parse("10.0.2.1"), Unknown(4), T0);

        Assert.True(guard.Decide(IPAddress.Parse("10.0.3.1"), Unknown(5), T0).Allowed);
        Assert.Equal(2, guard.BlockedPrefixes(T0).Count);
        // Once the blocks end, their places are free again.
        Assert.True(guard.Decide(IPAddress.Parse("10.0.3.1"), Unknown(6), T0.AddMinutes(11)).Allowed);
        Assert.False(guard.Decide(IPAddress.Parse("10.0.3.1"), Unknown(7), T0.AddMinutes(11)).Allowed);
    }
}
