using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Testing.Firmware;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

public sealed class LoadPathTextTests
{
    private static readonly FirmwareCatalog Catalog = CatalogFiles.Catalog(
        SyntheticFirmware.Java("SIP41.8-5-2S", seed: 1),
        SyntheticFirmware.Java("SIP41.9-4-2SR3-1S", seed: 2, withTermDefaults: false));

    private static string Describe(string? running, string? target, string? pin = null) =>
        LoadPathText.Describe(running, LoadPlanner.Plan(new LoadPlanRequest("7961", LoadProtocol.Unknown, running, target, pin), Catalog), pin is not null);

    [Fact]
    public void Describe_shows_the_path_the_next_hop_and_the_pin_compactly()
    {
        Assert.Equal("8.3(1) → 8.5(2) → 9.4(2)SR3-1, next hop 8.5(2)", Describe("SIP41.8-3-1S", "SIP41.9-4-2SR3-1S"));
        Assert.Equal("9.4(2)SR3-1, up to date", Describe("SIP41.9-4-2SR3-1S", "SIP41.9-4-2SR3-1S"));
        Assert.Equal("9.4(2)SR3-1 → 8.5(2), next hop 8.5(2), pinned", Describe("SIP41.9-4-2SR3-1S", "SIP41.9-4-2SR3-1S", "SIP41.8-5-2S"));
        Assert.Equal("9.4(2)SR3-1, kept", Describe("SIP41.9-4-2SR3-1S", "SIP41.8-5-2S"));
        Assert.Equal("8.5(2) → 9.4(3) blocked", Describe("SIP41.8-5-2S", "SIP41.9-4-3S"));
        Assert.Equal("? → 9.4(2)SR3-1, next hop 9.4(2)SR3-1", Describe(null, "SIP41.9-4-2SR3-1S"));
        Assert.Equal("-", Describe(null, null));
    }
}
