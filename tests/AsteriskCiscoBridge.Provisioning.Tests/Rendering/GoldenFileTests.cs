using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Provisioning.Tests.Rendering;

/// <summary>
/// Rendered files against Golden/ byte for byte. <c>ACB_UPDATE_GOLDEN=1</c> rewrites the golden
/// files instead of comparing; review the diff before committing it.
/// </summary>
public sealed class GoldenFileTests
{
    private static readonly bool Update = Environment.GetEnvironmentVariable("ACB_UPDATE_GOLDEN") == "1";

    public static TheoryData<string, int> Phones()
    {
        var data = new TheoryData<string, int>();
        foreach (var model in PhoneModels.All)
        {
            foreach (var lines in (int[])[1, 2, 6])
            {
                if (lines <= model.LineKeys)
                {
                    data.Add(model.Name, lines);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Phones))]
    public void Phone_file_matches_golden(string model, int lines)
    {
        var result = PhoneFileSet.Render(TestSites.Site, TestSites.Phone(model, lines));

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var own = result.Files.Single(f => f.Scope == FileScope.Phone);
        var folder = $"{model}-{lines}line{(lines == 1 ? "" : "s")}";
        Check(folder, own.Name, own.Content);
        Check(folder, "warnings.txt", Encoding.UTF8.GetBytes(string.Concat(result.Warnings.Where(w => w.FileName == own.Name).Select(w => w + "\n"))));
    }

    [Fact]
    public void Site_files_match_golden()
    {
        var site = SiteFileSet.Render(TestSites.Site);

        foreach (var file in site.Files)
        {
            Check("site", file.Name, file.Content);
        }

        Check("site", "warnings.txt", Encoding.UTF8.GetBytes(string.Concat(site.Warnings.Select(w => w + "\n"))));
    }

    [Fact]
    public void Site_files_with_admin_extras_and_odd_rings_match_golden()
    {
        var site = TestSites.Site with
        {
            Rings = [new RingTone("Cloches & <Glocken> \"é\"", "Bells.raw"), new RingTone("A very long ring tone name here", "AVeryLongRingFileName001.raw"), new RingTone("Tab\tName", "Tab.raw")],
            ExtraCnfKeys = [new ExtraSetting("directory_url", "http://pbx.example.net/dir?a=1&b=2"), new ExtraSetting("telnet_level", "2"), new ExtraSetting("bad key", "x")],
            ExtraXmlElements = [new ExtraSetting("userLocale", "English_United_States"), new ExtraSetting("bad name", "x"), new ExtraSetting("vendorConfig", "<b>&</b>")],
            SshUser = "admin",
            SshPassword = "ss<h>",
            Codec = PreferredCodec.G711Alaw,
            DtmfOutOfBand = DtmfOutOfBand.AvtAlways,
            TelnetLevel = 1,
        };

        var files = SiteFileSet.Render(site);
        foreach (var file in files.Files)
        {
            Check("site-extras", file.Name, file.Content);
        }

        var sep = PhoneFileSet.Render(site, TestSites.Phone("7965", 1) with { Overrides = new PhoneOverrides { PhoneLabel = "Front desk", PhonePassword = "9", ExtraXmlElements = [new ExtraSetting("enableVlan", "true"), new ExtraSetting("1bad", "x")] } });
        var sip = PhoneFileSet.Render(site, TestSites.Phone("7960", 1) with { Load = "P0S3-08-11-00", Overrides = new PhoneOverrides { PhoneLabel = "Front desk", MessagesNumber = "8500", ExtraCnfKeys = [new ExtraSetting("call_waiting", "0"), new ExtraSetting("line1_shortname", "Desk")] } });
        foreach (var file in sep.Files.Concat(sip.Files).Where(f => f.Scope == FileScope.Phone))
        {
            Check("site-extras", file.Name, file.Content);
        }

        var warnings = files.Warnings.Concat(sep.Warnings).Concat(sip.Warnings).Distinct();
        Check("site-extras", "warnings.txt", Encoding.UTF8.GetBytes(string.Concat(warnings.Select(w => w + "\n"))));
    }

    [Fact]
    public void Phone_files_point_each_line_where_its_endpoint_listens()
    {
        var here = new SipServer(SipServer.RequestLocalHost, 5160, SipTransportProtocol.Udp);
        var tcp = new SipServer("10.0.0.5", 5170, SipTransportProtocol.Tcp);
        var tls = new SipServer("pbx.example.net", 5061, SipTransportProtocol.Tls);
        var lines = TestSites.Lines.Take(2).ToArray();
        var other = MacAddress.Parse("00:11:22:aa:bb:dd").Mac!.Value;

        var results = new[]
        {
            PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7960", 2) with { Lines = [lines[0] with { Server = here }, lines[1] with { Server = tcp }] }),
            PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7965", 2) with { Lines = [lines[0] with { Server = tcp }, lines[1] with { Server = here }] }),
            PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7961", 1) with { Mac = other, Lines = [lines[0] with { Server = tls }] }),
        };

        Assert.All(results, r => Assert.True(r.Succeeded, string.Join("; ", r.Errors)));
        var own = results.Select(r => r.Files.Single(f => f.Scope == FileScope.Phone)).ToArray();
        foreach (var file in own)
        {
            Check("transport", file.Name, file.Content);
        }

        var warnings = results.SelectMany(r => r.Warnings).Where(w => own.Any(f => f.Name == w.FileName));
        Check("transport", "warnings.txt", Encoding.UTF8.GetBytes(string.Concat(warnings.Select(w => w + "\n"))));
    }

    [Fact]
    public void Speed_dials_after_the_lines_match_golden()
    {
        FeatureKey Key(int index, string value) => FeatureKeys.Parse(index, value, "test", out _)!;
        var keys = new PhoneOverrides
        {
            Keys = [Key(1, "speeddial:6001:Ann & Bob <Sales> \"Q\""), Key(2, "blf:6002:Zoë Łukasz"), Key(5, "speeddial:*97"), Key(9, "blf:6009:One too many")],
        };

        var results = new[]
        {
            PhoneFileSet.Render(TestSites.Site, TestSites.Phone("8841", 2) with { Overrides = keys }),
            PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7961", 2) with { Mac = MacAddress.Parse("001122aabbdd").Mac!.Value, Overrides = keys }),
            PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7960", 1) with { Overrides = keys }),
        };

        Assert.All(results, r => Assert.True(r.Succeeded, string.Join("; ", r.Errors)));
        var own = results.Select(r => r.Files.Single(f => f.Scope == FileScope.Phone)).ToArray();
        foreach (var file in own)
        {
            Check("keys", file.Name, file.Content);
        }

        var warnings = results.SelectMany(r => r.Warnings).Where(w => own.Any(f => f.Name == w.FileName));
        Check("keys", "warnings.txt", Encoding.UTF8.GetBytes(string.Concat(warnings.Select(w => w + "\n"))));
    }

    [Theory]
    [InlineData("SIP0011AABBCCDD.cnf")]
    [InlineData("SEP0011AABBCCDD.cnf.xml")]
    public void Unprovisioned_file_matches_golden(string name)
    {
        var answer = UnprovisionedRenderer.Render(TestSites.Site, name);

        Assert.Equal(UnprovisionedOutcome.File, answer.Outcome);
        Check("unprovisioned", answer.File!.Name, answer.File.Content);
    }

    private static void Check(string folder, string name, byte[] actual)
    {
        var path = Path.Combine(TestSites.RepositoryRoot(), "tests", "AsteriskCiscoBridge.Provisioning.Tests", "Golden", folder, name);
        if (Update)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing; run with ACB_UPDATE_GOLDEN=1 to create it");
        var expected = File.ReadAllBytes(path);
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
            Assert.Equal(expected, actual);
        }
    }
}
