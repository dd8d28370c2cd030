using AsteriskCiscoBridge.Host.Provisioning;
using AsteriskCiscoBridge.Provisioning.Model;
using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Host.Tests.Provisioning;

public sealed class HostSettingsTests
{
    [Fact]
    public void Site_extra_keys_and_elements_come_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Site:AsteriskHost"] = "pbx.example.net",
            ["Site:ExtraCnfKeys:0:Name"] = "call_waiting",
            ["Site:ExtraCnfKeys:0:Value"] = "0",
            ["Site:ExtraXmlElements:0:Name"] = "sshUserId",
            ["Site:ExtraXmlElements:0:Value"] = "admin",
        }).Build();

        var site = HostSettings.From(configuration).Site.ToSettings();

        Assert.Equal("pbx.example.net", site.AsteriskHost);
        Assert.Equal([new ExtraSetting("call_waiting", "0")], site.ExtraCnfKeys);
        Assert.Equal([new ExtraSetting("sshUserId", "admin")], site.ExtraXmlElements);
    }

    [Fact]
    public void Without_a_site_section_the_defaults_hold()
    {
        var site = HostSettings.From(new ConfigurationBuilder().Build()).Site.ToSettings();

        Assert.Equal(new SiteSettings().AsteriskHost, site.AsteriskHost);
        Assert.Empty(site.ExtraCnfKeys);
    }
}
