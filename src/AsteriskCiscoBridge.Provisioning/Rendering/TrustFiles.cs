using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>A file of Cisco's security-by-default that a phone asks for on boot.</summary>
public enum TrustFileKind
{
    /// <summary>Not one of them.</summary>
    None = 0,

    /// <summary><c>CTLSEP&lt;MAC&gt;.tlv</c>: per-phone certificates (usecallmanager device security).</summary>
    PhoneCtl = 1,

    /// <summary><c>ITLSEP&lt;MAC&gt;.tlv</c>: the phone's own trust list, in place of the default.</summary>
    PhoneItl = 2,

    /// <summary><c>ITLFile.tlv</c> (and <c>CTLFile.tlv</c>): the site's default trust list.</summary>
    SiteList = 3,

    /// <summary><c>SEP&lt;MAC&gt;.cnf.xml.sgn</c> or <c>.enc.sgn</c>: the signed (or encrypted) configuration.</summary>
    SignedConfig = 4,
}

/// <summary>
/// The trust files (CTL, ITL) and signed configurations the later series and the 79x1 on 8.5+ ask for before their
/// own file (spec beyond-79xx A1: Wazo's detectors, a CP-8945 boot log, usecallmanager's device security page). All
/// are optional: without them a phone runs in non-secure mode. The bridge provides none, so each is answered "not
/// found" at once, over TFTP and HTTP alike, rather than left to time out. Pure.
/// </summary>
public static class TrustFiles
{
    /// <summary>The request log's source for these answers.</summary>
    public const string Source = "trust";

    /// <summary>What <paramref name="fileName"/> is (any case; a path's last part).</summary>
    public static TrustFileKind KindOf(string? fileName)
    {
        var name = Path.GetFileName(fileName ?? string.Empty);
        if (name.Equals("ITLFile.tlv", StringComparison.OrdinalIgnoreCase) || name.Equals("CTLFile.tlv", StringComparison.OrdinalIgnoreCase))
        {
            return TrustFileKind.SiteList;
        }

        if (!PhoneFileName.TryParse(name, out var file))
        {
            return TrustFileKind.None;
        }

        return file switch
        {
            { Kind: PhoneFileKind.CtlFile, Encrypted: false, Signed: false } => TrustFileKind.PhoneCtl,
            { Kind: PhoneFileKind.ItlFile, Encrypted: false, Signed: false } => TrustFileKind.PhoneItl,
            { Kind: PhoneFileKind.SepCnfXml, Signed: true } => TrustFileKind.SignedConfig,
            _ => TrustFileKind.None,
        };
    }

    /// <summary>Why the answer is "not found", for the request log and <c>acb log</c>; null for <see cref="TrustFileKind.None"/>.</summary>
    public static string? Explain(TrustFileKind kind) => kind switch
    {
        TrustFileKind.PhoneCtl or TrustFileKind.SiteList or TrustFileKind.PhoneItl =>
            "not found at once, normal: the bridge serves no CTL/ITL trust list, so the phone goes on in non-secure mode",
        TrustFileKind.SignedConfig =>
            "not found at once: the bridge signs nothing; a phone asks for its signed config when it holds a trust list (an earlier CUCM's) and reads SEP<MAC>.cnf.xml next; if it never does, erase the trust list on the phone",
        _ => null,
    };
}
