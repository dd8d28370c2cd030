using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Provisioning.Tests.Rendering;

/// <summary>Issue 6: an empty load offers none, so a phone with nothing to move to keeps the load it runs.</summary>
public sealed class LoadOfferingTests
{
    private static readonly SiteSettings NoLoads = TestSites.Site with { Loads = new SiteLoads { Sip79x0 = "", Sip79x1 = new Dictionary<string, string>() } };

    private static string Text(PhoneRenderResult result, string name) => Encoding.UTF8.GetString(result.Find(name)!.Content);

    [Fact]
    public void Without_a_7940_load_the_site_has_no_os79xx_txt_and_no_image_version()
    {
        var site = SiteFileSet.Render(NoLoads);
        var phone = PhoneFileSet.Render(NoLoads, site, TestSites.Phone("7960", 1) with { Load = "" });

        Assert.Null(site.Find(Os79xxRenderer.FileName));
        Assert.DoesNotContain(phone.Files, f => f.Name == Os79xxRenderer.FileName);
        Assert.DoesNotContain("image_version", Text(phone, SipDefaultCnfRenderer.FileName), StringComparison.Ordinal);
        Assert.DoesNotContain("image_version", Text(phone, SipCnfRenderer.FileName(TestSites.Phone("7960", 1).Mac)), StringComparison.Ordinal);
        Assert.DoesNotContain("image_version", Encoding.ASCII.GetString(UnprovisionedRenderer.Render(NoLoads, "SIP001122334455.cnf").File!.Content), StringComparison.Ordinal);
    }

    [Fact]
    public void With_loads_offered_per_phone_sipdefault_names_no_image_but_os79xx_txt_still_does()
    {
        var perPhone = TestSites.Site with { Loads = TestSites.Site.Loads with { PerPhone = true } };
        var site = SiteFileSet.Render(perPhone);
        var kept = PhoneFileSet.Render(perPhone, site, TestSites.Phone("7960", 1) with { Load = "" });
        var offered = PhoneFileSet.Render(perPhone, site, TestSites.Phone("7960", 1) with { Load = "P0S3-08-11-00" });

        Assert.DoesNotContain("image_version", Text(kept, SipDefaultCnfRenderer.FileName), StringComparison.Ordinal);
        Assert.Contains(perPhone.Loads.Sip79x0, Encoding.ASCII.GetString(site.Find(Os79xxRenderer.FileName)!.Content), StringComparison.Ordinal);
        Assert.DoesNotContain("image_version", Text(kept, SipCnfRenderer.FileName(TestSites.Phone("7960", 1).Mac)), StringComparison.Ordinal);
        Assert.Contains("image_version: \"P0S3-08-11-00\"", Text(offered, SipCnfRenderer.FileName(TestSites.Phone("7960", 1).Mac)), StringComparison.Ordinal);

        // Without per-phone offering (acb render with no load planning), the site file names the site load.
        Assert.Contains("image_version", Text(PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7960", 1)), SipDefaultCnfRenderer.FileName), StringComparison.Ordinal);
    }

    [Fact]
    public void A_phone_load_overrides_the_site_and_an_empty_one_leaves_load_information_out()
    {
        var offered = PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7961", 1) with { Load = "SIP41.8-5-2S" });
        var none = PhoneFileSet.Render(TestSites.Site, TestSites.Phone("7961", 1) with { Load = "" });
        var classic = PhoneFileSet.Render(NoLoads, TestSites.Phone("7960", 1) with { Load = "P0S3-08-11-00" });

        Assert.Contains("<loadInformation>SIP41.8-5-2S</loadInformation>", Text(offered, SepXmlRenderer.FileName(TestSites.Phone("7961", 1).Mac)), StringComparison.Ordinal);
        Assert.DoesNotContain("<loadInformation>", Text(none, SepXmlRenderer.FileName(TestSites.Phone("7961", 1).Mac)), StringComparison.Ordinal);
        Assert.Contains("image_version: \"P0S3-08-11-00\"", Text(classic, SipCnfRenderer.FileName(TestSites.Phone("7960", 1).Mac)), StringComparison.Ordinal);
        Assert.DoesNotContain("loadInformation", Encoding.UTF8.GetString(XmlDefaultRenderer.Render(NoLoads).File.Content), StringComparison.Ordinal);
    }
}
