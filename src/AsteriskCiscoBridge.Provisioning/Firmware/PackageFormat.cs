namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>What kind of package a path was (spec §3.3).</summary>
public enum PackageFormat
{
    Unknown = 0,
    Zip = 1,

    /// <summary><c>.cop</c>, <c>.tar.gz</c>, <c>.tgz</c>: a gzip'd tar.</summary>
    GzipTar = 2,

    /// <summary><c>.cop.sgn</c>: a signature header, then a gzip'd tar.</summary>
    SignedCop = 3,
    Tar = 4,

    /// <summary>Files given one by one (all loose files of one import form one package).</summary>
    LooseFiles = 5,
}
