using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Provisioning.Tests.Model;

public sealed class PhoneFileNameTests
{
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
        Assert.Equal(mac, PhoneFileName.MacIn(name)?.Value);
    }

    [Theory]
    [InlineData("SEP0011223344AA.cnf.xml", "", PhoneFileKind.SepCnfXml, false, false)]
    [InlineData("sip0011223344aa.CNF", "", PhoneFileKind.SipCnf, false, false)]
    [InlineData("English_United_States/SIP0011223344AA.cnf", "English_United_States", PhoneFileKind.SipCnf, false, false)]
    [InlineData("/a/b/CTLSEP0011223344AA.tlv", "/a/b", PhoneFileKind.CtlFile, false, false)]
    [InlineData("itlsep0011223344aa.tlv", "", PhoneFileKind.ItlFile, false, false)]
    [InlineData("SEP0011223344AA.cnf.xml.sgn", "", PhoneFileKind.SepCnfXml, false, true)]
    [InlineData("SEP0011223344AA.cnf.xml.enc.sgn", "", PhoneFileKind.SepCnfXml, true, true)]
    [InlineData("SEP0011223344AA.tlv", "", PhoneFileKind.Other, false, false)]
    [InlineData("CTLSIP0011223344AA.cnf", "", PhoneFileKind.Other, false, false)]
    [InlineData("SEP0011223344AA.cnf.xml\n", "", PhoneFileKind.Other, false, false)]
    public void TryParse_says_which_file_of_the_phone_a_name_is(string requested, string folder, PhoneFileKind kind, bool encrypted, bool signed)
    {
        Assert.True(PhoneFileName.TryParse(requested, out var file));

        Assert.Equal((folder, "0011223344AA", kind, encrypted, signed), (file.Folder, file.Mac.Value, file.Kind, file.Encrypted, file.Signed));
        Assert.Equal(requested[(requested.LastIndexOf('/') + 1)..], file.Name);
    }

    [Theory]
    [InlineData("SEP0011223344AA.cnf.xml", true)]
    [InlineData("SIP0011223344AA.cnf", true)]
    [InlineData("English_United_States/SIP0011223344AA.cnf", false)]
    [InlineData("SEP0011223344AA.cnf.xml.sgn", false)]
    [InlineData("CTLSEP0011223344AA.tlv", false)]
    public void IsPlainConfig_is_the_bare_unsigned_configuration_only(string requested, bool plain)
    {
        Assert.True(PhoneFileName.TryParse(requested, out var file));
        Assert.Equal(plain, file.IsPlainConfig);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("SEPDefault.cnf.xml")]
    [InlineData("SEP0011223344AA.cnf.xml/")]
    [InlineData("SEP0011223344AAB.cnf.xml")]
    [InlineData("SEP0011223344AG.cnf.xml")]
    public void TryParse_refuses_what_is_no_file_of_a_phone(string? requested)
    {
        Assert.False(PhoneFileName.TryParse(requested, out var file));
        Assert.Null(file);
        Assert.Null(PhoneFileName.MacIn(requested));
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

            Assert.Equal(mac.Value, PhoneFileName.MacIn(name)?.Value);

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
            var found = PhoneFileName.MacIn(text)?.Value;
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
