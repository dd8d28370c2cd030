using System.Text;
using System.Xml.Linq;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Provisioning.Tests.Rendering;

/// <summary>What each series' SEP&lt;MAC&gt;.cnf.xml takes or refuses (spec beyond-79xx A6), read back element by element.</summary>
public sealed class SeriesElementsTests
{
    [Theory]
    [InlineData("8845", "1")]
    [InlineData("7841", "1")]
    [InlineData("8945", "3")]
    [InlineData("9971", "3")]
    [InlineData("6941", "3")]
    public void A_later_series_line_carries_call_waiting_in_its_scale_and_cucm_call_limits(string model, string callWaiting)
    {
        var (device, warnings) = Render(TestSites.Phone(model, 2));

        foreach (var line in device.Descendants("line"))
        {
            Assert.Equal(callWaiting, line.Element("callWaiting")?.Value);
            Assert.Equal("4", line.Element("maxNumCalls")?.Value);
            Assert.Equal("2", line.Element("busyTrigger")?.Value);
        }

        Assert.Equal("2", device.Element("transportLayerProtocol")?.Value);
        Assert.Contains(warnings, w => w.Field == "transportLayerProtocol" && w.Message.Contains("UDP", StringComparison.Ordinal));
        var common = device.Element("commonProfile")!;
        Assert.Equal(["phonePassword", "backgroundImageAccess", "callLogBlfEnabled"], common.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("0", common.Element("callLogBlfEnabled")!.Value);
    }

    [Fact]
    public void A_79x1_file_keeps_its_shape_without_series_elements()
    {
        var (device, _) = Render(TestSites.Phone("7961", 2));

        Assert.All(device.Descendants("line"), l => Assert.Null(l.Element("callWaiting") ?? l.Element("maxNumCalls")));
        Assert.Null(device.Element("transportLayerProtocol"));
        Assert.Equal(["phonePassword"], device.Element("commonProfile")!.Elements().Select(e => e.Name.LocalName));
    }

    [Fact]
    public void Elements_of_another_series_are_left_out_with_a_warning_and_the_rest_go_where_the_series_keeps_them()
    {
        var extras = new PhoneOverrides
        {
            ExtraXmlElements =
            [
                new("lineMode", "1"), new("informationURL", "http://x/"), new("inactiveLoadInformation", "sip88xx.12-8-1-0001-455"),
                new("featurePolicyFile", "FeaturePolicy.xml"), new("callLogBlfEnabled", "1"), new("userLocale", "English_United_States"),
            ],
        };

        var (e8841, w8841) = Render(TestSites.Phone("8841", 1) with { Overrides = extras });
        var (e7961, w7961) = Render(TestSites.Phone("7961", 1) with { Overrides = extras });
        var (e9971, _) = Render(TestSites.Phone("9971", 1) with { Overrides = extras });

        Assert.Equal("1", e8841.Element("vendorConfig")?.Element("lineMode")?.Value);
        Assert.Equal("1", e8841.Element("commonProfile")!.Element("callLogBlfEnabled")!.Value);
        Assert.Single(e8841.Element("commonProfile")!.Elements("callLogBlfEnabled"));
        Assert.Equal("sip88xx.12-8-1-0001-455", e8841.Element("inactiveLoadInformation")?.Value);
        Assert.Equal("English_United_States", e8841.Element("userLocale")?.Value);
        Assert.Null(e8841.Element("informationURL"));
        Assert.Null(e8841.Element("featurePolicyFile"));
        Assert.Contains(w8841, w => w.Field == "informationURL" && w.Message.Contains("only the 7900 series", StringComparison.Ordinal));
        Assert.Contains(w8841, w => w.Field == "featurePolicyFile" && w.Message.Contains("the 8961, 9951 and 9971", StringComparison.Ordinal));

        Assert.Null(e7961.Descendants("lineMode").FirstOrDefault());
        Assert.Null(e7961.Element("inactiveLoadInformation"));
        Assert.Equal("http://x/", e7961.Element("informationURL")?.Value);
        Assert.Contains(w7961, w => w.Field == "lineMode" && w.Message.Contains("the 7800 and 8800 series", StringComparison.Ordinal));

        Assert.Equal("FeaturePolicy.xml", e9971.Element("featurePolicyFile")?.Value);
        Assert.Null(e9971.Descendants("lineMode").FirstOrDefault());
    }

    [Theory]
    [InlineData("7821", 20, null, "12", "2")]
    [InlineData("8841", 20, 30, "20", "20")]
    [InlineData("6961", 80, 6, "72", "6")]
    [InlineData("7961", 8, null, "8", "2")]
    public void Call_limits_follow_the_phone_settings_up_to_the_model_ceiling(string model, int maxCalls, int? busy, string expectedMax, string expectedBusy)
    {
        var (device, warnings) = Render(TestSites.Phone(model, 1) with { Overrides = new PhoneOverrides { MaxCalls = maxCalls, BusyTrigger = busy } });

        var line = device.Descendants("line").Single();
        Assert.Equal((expectedMax, expectedBusy), (line.Element("maxNumCalls")?.Value, line.Element("busyTrigger")?.Value));
        Assert.Equal(maxCalls > PhoneModels.Find(model)!.MaxCalls, warnings.Any(w => w.Field == "maxNumCalls"));
    }

    [Fact]
    public void The_directory_url_reaches_both_families_files_escaped()
    {
        var site = TestSites.Site with { DirectoryUrl = "http://pbx.example.net:6970/directory?a=1&b=2" };

        var sep = PhoneFileSet.Render(site, TestSites.Phone("8841", 1));
        var sip = PhoneFileSet.Render(site, TestSites.Phone("7960", 1));

        var xml = Encoding.UTF8.GetString(sep.Files.Single(f => f.Scope == FileScope.Phone).Content);
        Assert.Contains("<directoryURL>http://pbx.example.net:6970/directory?a=1&amp;b=2</directoryURL>", xml, StringComparison.Ordinal);
        Assert.Equal(site.DirectoryUrl, XElement.Parse(xml).Element("directoryURL")!.Value);
        var cnf = Encoding.ASCII.GetString(sip.Files.Single(f => f.Scope == FileScope.Phone).Content);
        Assert.Contains("directory_url: \"http://pbx.example.net:6970/directory?a=1&b=2\"\n", cnf, StringComparison.Ordinal);
    }

    [Fact]
    public void XmlDefault_names_the_later_series_loads_under_their_ids_and_takes_a_replaced_id()
    {
        var loads = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["8841"] = "sip88xx.14-2-1-0001-131",
            ["8865"] = "sip8845_65.14-2-1-0001-131",
            ["6921"] = "SIP69xx.9-4-1-3SR3",
        };
        var site = TestSites.Site with { Loads = new SiteLoads { Sip79x1 = loads } };

        var built = XElement.Parse(Encoding.UTF8.GetString(XmlDefaultRenderer.Render(site).File.Content));
        var replaced = XElement.Parse(Encoding.UTF8.GetString(XmlDefaultRenderer.Render(site with { LoadInformationIds = new Dictionary<string, int> { ["8865"] = 36999 } }).File.Content));

        Assert.Equal("sip88xx.14-2-1-0001-131", built.Element("loadInformation683")?.Value);
        Assert.Equal("Cisco 8841", built.Element("loadInformation683")?.Attribute("model")?.Value);
        Assert.Equal("sip8845_65.14-2-1-0001-131", built.Element("loadInformation36225")?.Value);
        Assert.Equal("SIP69xx.9-4-1-3SR3", built.Element("loadInformation495")?.Value);
        Assert.Null(replaced.Element("loadInformation36225"));
        Assert.Equal("sip8845_65.14-2-1-0001-131", replaced.Element("loadInformation36999")?.Value);
    }

    private static (XElement Device, IReadOnlyList<RenderWarning> Warnings) Render(Phone phone)
    {
        var result = PhoneFileSet.Render(TestSites.Site, phone);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var own = result.Files.Single(f => f.Scope == FileScope.Phone);
        return (XElement.Parse(Encoding.UTF8.GetString(own.Content)), result.Warnings);
    }
}
