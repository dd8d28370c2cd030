using AsteriskCiscoBridge.Provisioning.Firmware;
using Xunit;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

public sealed class LoadNameTests
{
    [Theory]
    [InlineData("P0S3-08-12-00", "7940/7960", LoadProtocol.Sip, "8.12(0)")]
    [InlineData("P003-08-12-00", "7940/7960", LoadProtocol.Sccp, "8.12(0)")]
    [InlineData("P0M3-07-7-00", "7940/7960", LoadProtocol.Mgcp, "7.7(0)")]
    [InlineData("P00308010200", "7940/7960", LoadProtocol.Sccp, "8.1(2)")]
    [InlineData("P00308000900", "7940/7960", LoadProtocol.Sccp, "8.0(9)")]
    [InlineData("P0030801SR02", "7940/7960", LoadProtocol.Sccp, "8.1SR2")]
    [InlineData("P0S30202", "7940/7960", LoadProtocol.Sip, "2.2(0)")]
    [InlineData("SIP41.9-4-2SR3-1S", "7941/7961", LoadProtocol.Sip, "9.4(2)SR3-1")]
    [InlineData("SCCP41.9-4-2SR1-1S", "7941/7961", LoadProtocol.Sccp, "9.4(2)SR1-1")]
    [InlineData("SIP42.9-4-2SR3-1S", "7942/7962", LoadProtocol.Sip, "9.4(2)SR3-1")]
    [InlineData("SIP11.9-4-2ES9", "7906/7911", LoadProtocol.Sip, "9.4(2)ES9")]
    [InlineData("SIP70.8-5-2S", "7970/7971", LoadProtocol.Sip, "8.5(2)")]
    [InlineData("SIP41.9-3-1-1S", "7941/7961", LoadProtocol.Sip, "9.3(1)-1")]
    [InlineData("sip.9-3-1SR4-1", "79x1 (no family in name)", LoadProtocol.Sip, "9.3(1)SR4-1")]

    // Spec beyond-79xx A3.
    [InlineData("sip78xx.10-3-1-12", "7811/7821/7841/7861", LoadProtocol.Sip, "10.3(1)-12")]
    [InlineData("sip78xx.12-5-1SR2-2", "7811/7821/7841/7861", LoadProtocol.Sip, "12.5(1)SR2-2")]
    [InlineData("sip78xx.14-2-1-0101-26", "7811/7821/7841/7861", LoadProtocol.Sip, "14.2(1)-101-26")]
    [InlineData("sip88xx.11-2-3MSR1-1", "8811/8841/8851/8861", LoadProtocol.Sip, "11.2(3)MSR1-1")]
    [InlineData("sip88xx.14-2-1-0001-131", "8811/8841/8851/8861", LoadProtocol.Sip, "14.2(1)-1-131")]
    [InlineData("sip8845_65.12-7-1-0001-393", "8845/8865", LoadProtocol.Sip, "12.7(1)-1-393")]
    [InlineData("SIP8941_8945.9-3-1-18", "8941/8945", LoadProtocol.Sip, "9.3(1)-18")]
    [InlineData("SCCP894x.9-2-2-0", "8941/8945", LoadProtocol.Sccp, "9.2(2)")]
    [InlineData("sip9951.9-4-2", "9951", LoadProtocol.Sip, "9.4(2)")]
    [InlineData("sip9971.9-4-2SR4-1", "9971", LoadProtocol.Sip, "9.4(2)SR4-1")]
    [InlineData("SIP9971.9-2-2SR1-9", "9971", LoadProtocol.Sip, "9.2(2)SR1-9")]
    [InlineData("sip8961.9-4-1-9", "8961", LoadProtocol.Sip, "9.4(1)-9")]
    [InlineData("SIP69xx.9-4-1-3SR3", "6921/6941/6961", LoadProtocol.Sip, "9.4(1)SR3-3")]
    [InlineData("sip7832.14-0-1-0001-19", "7832 (no supported model)", LoadProtocol.Sip, "14.0(1)-1-19")]
    public void TryParse_reads_family_protocol_and_version(string text, string family, LoadProtocol protocol, string version)
    {
        Assert.True(LoadName.TryParse(text, out var load, out var reason), reason);

        Assert.Equal(text, load.Name);
        Assert.Equal(family, load.Family.Title);
        Assert.Equal(protocol, load.Protocol);
        Assert.Equal(version, load.Version.ToString());
    }

    [Theory]
    [InlineData("SIP41.9-4-2SR3-1S.loads", "SIP41.9-4-2SR3-1S")]
    [InlineData("P0S3-08-12-00.sb2", "P0S3-08-12-00")]
    [InlineData("P0030702T023.bin", "P0030702T023")]
    [InlineData("  P0S3-08-12-00 ", "P0S3-08-12-00")]
    public void TryParse_drops_the_image_extension_a_request_carries(string text, string name)
    {
        Assert.True(LoadName.TryParse(text, out var load, out _));
        Assert.Equal(name, load.Name);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("term41.default", "is a model's default-load file")]
    [InlineData("TERM61.DEFAULT.loads", "is a model's default-load file")]
    [InlineData("XMLDefault.cnf.xml", "is not a 7940/7960 load")]
    [InlineData("P0X3-08-12-00", "is not a 7940/7960 load")]
    [InlineData("SIP41.9-4", "is not a 7940/7960 load")]
    [InlineData("SIP41.99999999999999999999-1-1", "is not a 7940/7960 load")]
    public void TryParse_explains_what_is_not_a_load(string? text, string reason)
    {
        Assert.False(LoadName.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_never_throws_on_random_text()
    {
        var random = new Random(6);
        const string alphabet = "SIPCM0123456789.-SRES P/\\\0é";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 80)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            var text = new string(chars);
            if (LoadName.TryParse(text, out var load, out var reason))
            {
                Assert.NotEmpty(load.Name);
            }
            else
            {
                Assert.NotEmpty(reason);
            }
        }
    }

    [Theory]
    [InlineData("SIP41.8-3-2S", "SIP41.8-3-3S")]
    [InlineData("SIP41.8-5-2S", "SIP41.8-5-2SR1S")]
    [InlineData("SIP41.9-4-2-1S", "SIP41.9-4-2SR1-1S")]
    [InlineData("SIP41.9-4-2SR1-1S", "SIP41.9-4-2SR3-1S")]
    [InlineData("SIP41.9-3-1SR4-1S", "SIP41.9-4-2-1S")]
    [InlineData("P0S3-08-5-00", "P0S3-08-12-00")]
    [InlineData("P0S30202", "P0S3-03-0-00")]
    [InlineData("P00303010102", "P00305000500")]
    [InlineData("P00308000900", "P00308010200")]
    [InlineData("P00308010200", "P0030801SR02")]
    [InlineData("P0030702T023", "P00308000900")]
    [InlineData("sip88xx.12-8-1-0001-455", "sip88xx.14-2-1-0001-131")]
    [InlineData("sip88xx.14-2-1-0001-26", "sip88xx.14-2-1-0001-131")]
    [InlineData("sip78xx.12-5-1SR2-2", "sip78xx.14-2-1-0101-26")]
    public void Versions_order_as_cisco_released_them(string older, string newer)
    {
        Assert.True(LoadName.TryParse(older, out var a, out _));
        Assert.True(LoadName.TryParse(newer, out var b, out _));

        Assert.True(a.Version < b.Version, $"{a.Version} < {b.Version}");
        Assert.True(b.Version > a.Version);
        Assert.Equal(0, a.Version.CompareTo(a.Version with { }));
    }

    [Theory]
    [InlineData("8.5(2)", "SIP41.8-5-2S", true)]
    [InlineData("8.5(2)", "SIP41.8-5-2SR1S", true)]
    [InlineData("8.5(2)", "SIP41.8-5-3S", false)]
    [InlineData("3.1", "P00303010102", true)]
    [InlineData("5.0", "P00305000500", true)]
    [InlineData("8.1(2)", "P00308010200", true)]
    [InlineData("8.1(2)", "P0030801SR02", false)]
    public void IsInRelease_matches_any_build_of_a_release(string release, string load, bool expected)
    {
        Assert.True(LoadVersion.TryParse(release, out var r));
        Assert.True(LoadName.TryParse(load, out var l, out _));

        Assert.Equal(expected, l.Version.IsInRelease(r));
    }

    [Theory]
    [InlineData("7961", "7941/7961", 7961)]
    [InlineData("CP-7961G-GE", "7941/7961", 7961)]
    [InlineData("IP Phone 7960", "7940/7960", 7960)]
    [InlineData("7971", "7970/7971", 7971)]
    [InlineData("7906", "7906/7911", 7906)]
    [InlineData("Cisco-CP8841", "8811/8841/8851/8861", 8841)]
    [InlineData("Cisco-CP8865NR", "8845/8865", 8865)]
    [InlineData("CP-8945", "8941/8945", 8945)]
    [InlineData("7821", "7811/7821/7841/7861", 7821)]
    [InlineData("9971", "9971", 9971)]
    [InlineData("6961", "6921/6941/6961", 6961)]
    public void Model_strings_map_to_their_load_family(string model, string family, int number)
    {
        Assert.True(LoadFamily.TryForModel(model, out var f, out var n));
        Assert.Equal((family, number), (f.Title, n));
    }

    [Theory]
    [InlineData("7912")]
    [InlineData("7832")]
    [InlineData("8831")]
    [InlineData("")]
    [InlineData(null)]
    public void Models_without_known_loads_are_refused(string? model) => Assert.False(LoadFamily.TryForModel(model, out _, out _));
}
