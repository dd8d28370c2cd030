using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Provisioning.Tests.Rendering;

public sealed class TrustFilesTests
{
    // Spec beyond-79xx A1: the names Wazo's detectors and a CP-8945 boot log show, and the signed configs of TAC 116232.
    [Theory]
    [InlineData("CTLSEP0011223344AA.tlv", TrustFileKind.PhoneCtl)]
    [InlineData("ctlsep0011223344aa.tlv", TrustFileKind.PhoneCtl)]
    [InlineData("ITLSEP0011223344AA.tlv", TrustFileKind.PhoneItl)]
    [InlineData("ITLFile.tlv", TrustFileKind.SiteList)]
    [InlineData("CTLFile.tlv", TrustFileKind.SiteList)]
    [InlineData("SEP0011223344AA.cnf.xml.sgn", TrustFileKind.SignedConfig)]
    [InlineData("SEP0011223344AA.cnf.xml.enc.sgn", TrustFileKind.SignedConfig)]
    [InlineData("/SEP0011223344AA.cnf.xml.sgn", TrustFileKind.SignedConfig)]
    [InlineData("SEP0011223344AA.cnf.xml", TrustFileKind.None)]
    [InlineData("CTLSEP0011223344.tlv", TrustFileKind.None)]
    [InlineData("CTLSEP0011223344ZZ.tlv", TrustFileKind.None)]
    [InlineData("XTLSEP0011223344AA.tlv", TrustFileKind.None)]
    [InlineData("SEPDefault.cnf.xml.sgn", TrustFileKind.None)]
    [InlineData("", TrustFileKind.None)]
    [InlineData(null, TrustFileKind.None)]
    public void KindOf_knows_the_trust_files_and_signed_configs(string? name, TrustFileKind kind) => Assert.Equal(kind, TrustFiles.KindOf(name));

    [Fact]
    public void Each_kind_explains_its_not_found_and_none_has_nothing_to_say()
    {
        Assert.Contains("non-secure mode", TrustFiles.Explain(TrustFileKind.PhoneItl), StringComparison.Ordinal);
        Assert.Contains("non-secure mode", TrustFiles.Explain(TrustFileKind.SiteList), StringComparison.Ordinal);
        Assert.Contains("erase the trust list", TrustFiles.Explain(TrustFileKind.SignedConfig), StringComparison.Ordinal);
        Assert.Null(TrustFiles.Explain(TrustFileKind.None));
    }
}
