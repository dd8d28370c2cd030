namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>The call-control protocol a load speaks (spec §3.1: the 3rd character of a 7940/7960 name, the prefix of a 79x1 name).</summary>
public enum LoadProtocol
{
    Unknown = 0,
    Sip = 1,
    Sccp = 2,
    Mgcp = 3,
}
