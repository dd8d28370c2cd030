using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Testing.Firmware;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

public sealed class UserAgentLoadTests
{
    private static readonly FirmwareCatalog Catalog = CatalogFiles.Catalog(
        SyntheticFirmware.Java("SIP41.9-4-2SR3-1S", seed: 2),
        SyntheticFirmware.Java("SIP41.9-4-2SR1-1S", seed: 3, withTermDefaults: false),
        SyntheticFirmware.Java("SIP45.9-4-2SR3-1S", seed: 4));

    [Theory]
    [InlineData("Cisco-CP7961G/9.4.2", 7961, "9.4.2")]
    [InlineData("Cisco-CP7961G-GE/9.4.2", 7961, "9.4.2")]
    [InlineData("Cisco-CP7945G/9.4.2-fake", 7945, "9.4.2-fake")]
    [InlineData("Cisco-CP7960G/8.0", 7960, "8.0")]
    [InlineData("Cisco-CP8841/14.2.1", 8841, "14.2.1")]
    [InlineData("Cisco-CP8865NR/14.2.1", 8865, "14.2.1")]
    [InlineData("Cisco-CP7821/10.3.1", 7821, "10.3.1")]
    [InlineData("Cisco-CP8961/9.4.2", 8961, "9.4.2")]
    public void TryParse_reads_the_model_and_the_version(string userAgent, int model, string version)
    {
        Assert.True(UserAgentLoad.TryParse(userAgent, out var m, out var v));
        Assert.Equal((model, version), (m, v));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Linphone/5.0")]
    [InlineData("Cisco-CP7961G")]
    [InlineData("Cisco-CP7961G/")]
    [InlineData("Cisco-CP7912G/1.0")]
    public void TryParse_refuses_what_is_not_a_79xx_user_agent(string? userAgent) =>
        Assert.False(UserAgentLoad.TryParse(userAgent, out _, out _));

    [Fact]
    public void A_release_resolves_to_the_known_load_then_the_offered_one_then_the_highest_in_the_catalog()
    {
        var model = PhoneModels.Cisco7961;

        Assert.Equal("SIP41.9-4-2SR1-1S", UserAgentLoad.Resolve("Cisco-CP7961G/9.4.2", model, "SIP41.9-4-2SR1-1S", Catalog, "SIP41.9-4-2SR3-1S"));
        Assert.Equal("SIP41.9-4-2SR1-1S", UserAgentLoad.Resolve("Cisco-CP7961G/9.4.2", model, "SIP41.8-5-2S", Catalog, "SIP41.9-4-2SR1-1S"));
        Assert.Equal("SIP41.9-4-2SR3-1S", UserAgentLoad.Resolve("Cisco-CP7961G/9.4.2", model, null, Catalog));
        Assert.Equal("SIP41.8-3-1", UserAgentLoad.Resolve("Cisco-CP7961G/8.3.1", model, null, Catalog));
        Assert.Equal("SIP45.9-4-2SR3-1S", UserAgentLoad.Resolve("Cisco-CP7965G/9.4.2", PhoneModels.Cisco7965, null, Catalog));
    }

    [Fact]
    public void A_later_series_release_resolves_to_its_catalog_load_or_a_bare_name_in_its_family_spelling()
    {
        var catalog = CatalogFiles.Catalog(SyntheticFirmware.Enterprise("sip88xx.14-2-1-0001-131"), SyntheticFirmware.Enterprise("sip8845_65.12-7-1-0001-393", seed: 5));

        Assert.Equal("sip88xx.14-2-1-0001-131", UserAgentLoad.Resolve("Cisco-CP8841/14.2.1", PhoneModels.Cisco8841, null, catalog));
        Assert.Equal("sip8845_65.12-7-1-0001-393", UserAgentLoad.Resolve("Cisco-CP8865NR/12.7.1", PhoneModels.Cisco8865, null, catalog));
        Assert.Equal("sip78xx.10-3-1", UserAgentLoad.Resolve("Cisco-CP7821/10.3.1", PhoneModels.Cisco7821, null, catalog));
        Assert.Equal("SIP8941_8945.9-3-1", UserAgentLoad.Resolve("Cisco-CP8945/9.3.1", PhoneModels.Cisco8945, null, catalog));

        // A sip88xx phone is not an 8845/8865: another family's User-Agent says nothing of the phone's load.
        Assert.Null(UserAgentLoad.Resolve("Cisco-CP8841/14.2.1", PhoneModels.Cisco8865, null, catalog));
    }

    [Fact]
    public void Resolve_says_nothing_for_another_family_a_7960_release_without_a_name_or_junk()
    {
        Assert.Null(UserAgentLoad.Resolve("Cisco-CP7945G/9.4.2", PhoneModels.Cisco7961, null, Catalog));
        Assert.Null(UserAgentLoad.Resolve("Cisco-CP7960G/8.0", PhoneModels.Cisco7960, null, Catalog));
        Assert.Null(UserAgentLoad.Resolve("Cisco-CP7961G/banana", PhoneModels.Cisco7961, null, Catalog));
        Assert.Equal("P0S3-08-12-00", UserAgentLoad.Resolve("Cisco-CP7960G/P0S3-08-12-00", PhoneModels.Cisco7960, null, Catalog));
    }

    [Fact]
    public void Resolve_never_throws_on_random_text()
    {
        var random = new Random(6);
        for (var i = 0; i < 2000; i++)
        {
            var text = "Cisco-CP79" + new string([.. Enumerable.Range(0, random.Next(0, 30)).Select(_ => (char)random.Next(32, 127))]);
            _ = UserAgentLoad.Resolve(text, PhoneModels.Cisco7961, null, Catalog);
        }
    }
}
