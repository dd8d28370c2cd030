using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Provisioning;
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

        var site = SiteConfiguration.From(configuration).Site.ToSettings();

        Assert.Equal("pbx.example.net", site.AsteriskHost);
        Assert.Equal([new ExtraSetting("call_waiting", "0")], site.ExtraCnfKeys);
        Assert.Equal([new ExtraSetting("sshUserId", "admin")], site.ExtraXmlElements);
    }

    [Fact]
    public void Without_a_site_section_the_defaults_hold()
    {
        var site = SiteConfiguration.From(new ConfigurationBuilder().Build()).Site.ToSettings();

        Assert.Equal(new SiteSettings().AsteriskHost, site.AsteriskHost);
        Assert.Empty(site.ExtraCnfKeys);
    }

    [Fact]
    public void Without_a_site_address_the_site_files_name_the_ami_host_unless_it_is_loopback()
    {
        static SiteSettings Site(params (string Key, string Value)[] values) =>
            SiteConfiguration.From(new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build()).Site.ToSettings();

        Assert.Equal(("pbx.lan", 5060), (Site(("Ami:Host", "pbx.lan")).AsteriskHost, Site(("Ami:Host", "pbx.lan")).AsteriskPort));
        Assert.Equal(SipServer.RequestLocalHost, Site(("Ami:Host", "127.0.0.1")).AsteriskHost);
        Assert.Equal(SipServer.RequestLocalHost, Site().AsteriskHost);
        Assert.Equal(("pbx.example.net", 5070), (Site(("Ami:Host", "pbx.lan"), ("Site:AsteriskHost", "pbx.example.net"), ("Site:AsteriskPort", "5070")).AsteriskHost, Site(("Site:AsteriskHost", "pbx.example.net"), ("Site:AsteriskPort", "5070")).AsteriskPort));
        Assert.Equal("192.0.2.10:5060/udp from Site:AsteriskHost; port from the SIP default (no transport known)", SiteConfiguration.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Site:AsteriskHost"] = "192.0.2.10" }).Build()).SipServers().Default.ToString());
    }
}
