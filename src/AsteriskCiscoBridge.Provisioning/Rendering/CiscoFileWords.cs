using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>The words the 7940/7960 and 79x1 files use for the site's enums (spec §2.2, §2.8).</summary>
internal static class CiscoFileWords
{
    public static string Codec(PreferredCodec codec) => codec switch
    {
        PreferredCodec.G711Alaw => "g711alaw",
        PreferredCodec.G729a => "g729a",
        PreferredCodec.None => "none",
        _ => "g711ulaw",
    };

    public static string Dtmf(DtmfOutOfBand dtmf) => dtmf switch
    {
        DtmfOutOfBand.AvtAlways => "avt_always",
        DtmfOutOfBand.None => "none",
        _ => "avt",
    };

    public static string Bit(bool value) => value ? "1" : "0";

    public static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
