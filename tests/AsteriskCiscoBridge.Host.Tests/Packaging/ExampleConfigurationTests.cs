using AsteriskCiscoBridge.Dashboard;
using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Testing.Support;
using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Host.Tests.Packaging;

/// <summary>packaging/acb.json, the example /etc/asterisk-cisco-bridge/acb.json: every section of the contract, and each one reads.</summary>
public sealed class ExampleConfigurationTests
{
    private static readonly string Example = Path.Combine(RepositoryPaths.Root, "packaging", "acb.json");

    [Fact]
    public void The_example_has_every_section_of_the_configuration_contract()
    {
        var configuration = AcbConfiguration.Build(Example);

        Assert.Equal(
            ["Ami", "Dashboard", "Firmware", "Http", "Resync", "Security", "Site", "Storage", "Tftp"],
            configuration.GetChildren().Select(c => c.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_section_of_the_example_reads_without_a_problem()
    {
        var configuration = AcbConfiguration.Build(Example);

        Assert.NotNull(AmiOptions.Bind(configuration, out var problem));
        Assert.Null(problem);
        Assert.True(TftpSettings.TryRead(configuration, out var tftp, out var networks, out var error), error);
        Assert.Equal("0.0.0.0:69", Assert.Single(tftp.Listen).ToString());
        Assert.Single(networks);
        Assert.Equal(64L << 20, tftp.MaxBufferedBytes);
        var dashboard = DashboardOptions.Read(configuration)!;
        Assert.True(dashboard.Loopback);
        var settings = SiteConfiguration.From(configuration);
        Assert.Equal("/var/lib/asterisk-cisco-bridge/acb.db", settings.Storage.Database);
        Assert.Equal((TimeSpan.FromDays(30), 1_000_000L), (settings.Storage.RequestLogRetention, settings.Storage.RequestLogMaxRows));
        // Unset: each endpoint's transport says where phones register (issue 10 item 5); set only behind NAT.
        Assert.Equal((null, null), (settings.Site.AsteriskHost, settings.Site.AsteriskPort));
    }
}
