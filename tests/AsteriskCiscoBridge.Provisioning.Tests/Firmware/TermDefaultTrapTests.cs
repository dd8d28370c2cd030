using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Testing.Firmware;
using Xunit;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

public sealed class TermDefaultTrapTests
{
    [Fact]
    public void Sccp_term_defaults_on_a_sip_site_are_reported_per_model()
    {
        var catalog = CatalogFiles.Catalog(SyntheticFirmware.Java("SCCP41.9-4-2SR3-1S"));

        var findings = TermDefaultTrap.Find(catalog, LoadProtocol.Sip);

        Assert.Equal(["term41.default.loads", "term61.default.loads"], findings.Select(f => f.FileName));
        Assert.Equal(
            "term41.default.loads leads a 7941 to SCCP (SCCP41.9-4-2SR3-1S): a phone that falls back to its default load is converted away from SIP (spec §1.5, §3.5)",
            findings[0].Reason);
    }

    [Fact]
    public void Sip_term_defaults_with_their_files_are_fine()
    {
        var catalog = CatalogFiles.Catalog(SyntheticFirmware.Java("SIP41.9-4-2SR3-1S"));

        Assert.Empty(TermDefaultTrap.Find(catalog));
    }

    [Fact]
    public void Sccp_is_read_from_component_names_when_the_term_file_names_no_load()
    {
        var term = SyntheticFirmware.Descriptor(null, ["jar42sccp.9-4-2.sbn", "cvm42sccp.9-4-2.sbn", "dsp42.9-4-2.sbn"]);
        var catalog = FirmwareCatalog.Build([new FirmwareFile("TERM42.DEFAULT.loads", term.Length, true, term)]);

        var finding = Assert.Single(TermDefaultTrap.Find(catalog));
        Assert.Equal((7942, LoadProtocol.Sccp), (finding.Model, finding.Protocol));
    }

    [Fact]
    public void A_sip_term_default_with_missing_files_is_reported()
    {
        var load = SyntheticFirmware.Java("SIP45.9-4-2SR3-1S").Without("dsp45.9-4-2SR3-1S.sbn");

        var findings = TermDefaultTrap.Find(CatalogFiles.Catalog(load));

        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Contains("lists files the folder lacks (dsp45.9-4-2SR3-1S.sbn)", f.Reason, StringComparison.Ordinal));
    }
}
