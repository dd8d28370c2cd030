using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Testing.Firmware;
using Xunit;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

public sealed class FirmwareCatalogTests
{
    [Fact]
    public void Build_lists_each_load_with_its_files_family_and_protocol()
    {
        var catalog = CatalogFiles.Catalog(SyntheticFirmware.Java("SIP41.9-4-2SR3-1S"), SyntheticFirmware.Classic("P0S3-08-12-00"));

        Assert.Equal(["P0S3-08-12-00", "SIP41.9-4-2SR3-1S"], catalog.Loads.Select(l => l.Name));
        var sip41 = catalog.Find("sip41.9-4-2sr3-1s.loads")!;
        Assert.True(sip41.IsComplete);
        Assert.Equal(6, sip41.Files.Length);
        Assert.Equal("7941/7961", sip41.Load!.Family.Title);
        var classic = catalog.Find("P0S3-08-12-00")!;
        Assert.Equal(["P0S3-08-12-00.loads", "P003-08-12-00.sbn", "P0S3-08-12-00.sb2"], classic.Files.Select(f => f.Name));
        Assert.True(catalog.IsOffered("P0S3-08-12-00"));
        Assert.Equal([7941, 7961], catalog.TermDefaults.Select(t => t.Model));
        Assert.All(catalog.TermDefaults, t => Assert.Equal("7941/7961", t.Family!.Title));
    }

    [Fact]
    public void A_load_with_a_missing_component_is_incomplete_and_never_offered()
    {
        var load = SyntheticFirmware.Java("SIP41.9-4-2SR3-1S").Without("dsp41.9-4-2SR3-1S.sbn");

        var catalog = CatalogFiles.Catalog(load);

        var entry = catalog.Find("SIP41.9-4-2SR3-1S")!;
        Assert.False(entry.IsComplete);
        Assert.Equal(["dsp41.9-4-2SR3-1S.sbn"], entry.Missing);
        Assert.Equal("missing dsp41.9-4-2SR3-1S.sbn", entry.Explain());
        Assert.False(catalog.IsOffered("SIP41.9-4-2SR3-1S"));
    }

    [Fact]
    public void An_unreadable_component_or_descriptor_makes_the_load_incomplete()
    {
        var files = CatalogFiles.Of(SyntheticFirmware.Classic("P0S3-08-12-00"), SyntheticFirmware.Classic("P0S3-08-5-00"))
            .Select(f => f.Name switch
            {
                "P0S3-08-12-00.sb2" => f with { Readable = false },
                "P0S3-08-5-00.loads" => f with { Content = null, Readable = false, Problem = "permission denied" },
                _ => f,
            });

        var catalog = FirmwareCatalog.Build(files);

        Assert.Equal("unreadable P0S3-08-12-00.sb2", catalog.Find("P0S3-08-12-00")!.Explain());
        Assert.Equal("permission denied", catalog.Find("P0S3-08-5-00")!.Explain());
        Assert.False(catalog.IsOffered("P0S3-08-12-00"));
        Assert.False(catalog.IsOffered("P0S3-08-5-00"));
    }

    [Fact]
    public void A_malformed_descriptor_is_listed_with_its_reason()
    {
        var catalog = FirmwareCatalog.Build([new FirmwareFile("SIP41.9-4-2SR3-1S.loads", 7, true, "garbage"u8.ToArray())]);

        var entry = Assert.Single(catalog.Loads);
        Assert.False(entry.IsComplete);
        Assert.Equal("SIP41.9-4-2SR3-1S.loads: the descriptor names no component files (.sbn, .sb2, .bin, .zz)", entry.Explain());
    }

    [Fact]
    public void An_old_single_image_7940_load_is_a_load_of_its_own_but_listed_components_are_not()
    {
        var catalog = FirmwareCatalog.Build(
        [
            new FirmwareFile("P0S3-03-0-00.bin", 100, true),
            new FirmwareFile("P0S30202.bin", 100, true),
            .. CatalogFiles.Of(SyntheticFirmware.Classic("P0S3-08-12-00")),
        ]);

        Assert.Equal(["P0S3-03-0-00", "P0S3-08-12-00", "P0S30202"], catalog.Loads.Select(l => l.Name));
        Assert.Null(catalog.Find("P003-08-12-00"));
        Assert.True(catalog.IsOffered("P0S3-03-0-00"));
    }

    [Fact]
    public void Term_defaults_are_not_loads()
    {
        var catalog = CatalogFiles.Catalog(SyntheticFirmware.Java("SCCP42.9-4-2SR3-1S"));

        Assert.DoesNotContain(catalog.Loads, l => l.Name.StartsWith("term", StringComparison.OrdinalIgnoreCase));
        Assert.All(catalog.TermDefaults, t => Assert.Equal((LoadProtocol.Sccp, "SCCP42.9-4-2SR3-1S"), (t.Protocol, t.LoadName)));
    }
}
