using System.Globalization;
using System.Net;
using AsteriskCiscoBridge.Host.Security;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Host.Tests.Security;

public sealed class EnumerationGuardTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Scanner = IPAddress.Parse("10.1.2.3");
    private static readonly IPAddress Phone = IPAddress.Parse("10.1.2.4");
    private static readonly EnumerationGuardOptions Options = new() { MaxDistinctMacs = 5, Window = TimeSpan.FromSeconds(60), BlockFor = TimeSpan.FromMinutes(10) };

    private static string Sep(int i) => $"SEP0011223344{i.ToString("X2", CultureInfo.InvariantCulture)}.cnf.xml";

    [Theory]
    [InlineData("SEP0011223344AA.cnf.xml", "0011223344AA")]
    [InlineData("sep0011223344aa.cnf.xml", "0011223344AA")]
    [InlineData("SIP0011223344AA.cnf", "0011223344AA")]
    [InlineData("CTLSEP0011223344AA.tlv", "0011223344AA")]
    [InlineData("ITLSEP0011223344AA.tlv", "0011223344AA")]
    [InlineData("SEP0011223344AA.cnf.xml.sgn", "0011223344AA")]
    [InlineData("SEP0011223344AA.cnf.xml.enc.sgn", "0011223344AA")]
    [InlineData("SIPDefault.cnf", null)]
    [InlineData("XMLDefault.cnf.xml", null)]
    [InlineData("P0S3-08-12-00.sb2", null)]
    [InlineData("SEP0011223344A.cnf.xml", null)]
    public void MacIn_finds_the_mac_of_per_phone_files_only(string name, string? mac)
    {
        Assert.Equal(mac, EnumerationGuard.MacIn(name));
    }

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
    public void Tracking_is_bounded_to_the_configured_number_of_addresses()
    {
        var guard = new EnumerationGuard(new EnumerationGuardOptions { MaxDistinctMacs = 1, MaxTrackedAddresses = 2 });
        guard.Decide(IPAddress.Parse("10.0.0.1"), Sep(1), T0);
        guard.Decide(IPAddress.Parse("10.0.0.1"), Sep(2), T0.AddSeconds(1));
        guard.Decide(IPAddress.Parse("10.0.0.2"), Sep(1), T0.AddSeconds(2));

        // A third address makes the least recently seen (10.0.0.1) forgotten, block included.
        guard.Decide(IPAddress.Parse("10.0.0.3"), Sep(1), T0.AddSeconds(3));

        Assert.Empty(guard.BlockedAddresses(T0.AddSeconds(4)));
    }

    [Fact]
    public void MacIn_reads_back_the_mac_of_every_rendered_name_and_never_throws_on_near_misses()
    {
        // Catalogue §5.5 case 32: seeded, bounded. parse(render(mac)) == mac for every per-phone name
        // in any case; mutated names never throw, and whatever they yield is a MAC the name carries,
        // the same one the unprovisioned answer reads from it.
        var random = new Random(7960);
        var site = new SiteSettings { Unprovisioned = UnprovisionedPolicy.NotFound };
        const string hex = "0123456789abcdefABCDEF";
        const string noise = "0123456789abcdefABCDEFGgXx.:-/\\_ SEPSIPCTLITLcnfxmltlvsgnenc";
        for (var i = 0; i < 20_000; i++)
        {
            var mac = MacAddress.Parse(new string(Enumerable.Range(0, 12).Select(_ => hex[random.Next(hex.Length)]).ToArray())).Mac!.Value;
            var rendered = random.Next(6) switch
            {
                0 => SepXmlRenderer.FileName(mac),
                1 => SipCnfRenderer.FileName(mac),
                2 => $"CTL{SepXmlRenderer.FileName(mac)[..15]}.tlv",
                3 => $"ITL{SepXmlRenderer.FileName(mac)[..15]}.tlv",
                4 => SepXmlRenderer.FileName(mac) + (random.Next(2) == 0 ? ".sgn" : ".enc.sgn"),
                _ => "English_United_States/" + SipCnfRenderer.FileName(mac),
            };
            var name = string.Concat(rendered.Select(c => random.Next(2) == 0 ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)));

            Assert.Equal(mac.Value, EnumerationGuard.MacIn(name));

            var mutated = new System.Text.StringBuilder(name);
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var at = random.Next(mutated.Length + 1);
                switch (random.Next(3))
                {
                    case 0 when at < mutated.Length:
                        mutated.Remove(at, 1);
                        break;
                    case 1 when at < mutated.Length:
                        mutated[at] = noise[random.Next(noise.Length)];
                        break;
                    default:
                        mutated.Insert(at, noise[random.Next(noise.Length)]);
                        break;
                }
            }

            var text = mutated.ToString();
            var found = EnumerationGuard.MacIn(text);
            if (found is not null)
            {
                Assert.Matches("^[0-9A-F]{12}$", found);
                Assert.Contains(found, text.ToUpperInvariant(), StringComparison.Ordinal);
            }

            if (UnprovisionedRenderer.Render(site, text).Mac is { } unprovisioned)
            {
                Assert.Equal(unprovisioned.Value, found);
            }
        }
    }
}
