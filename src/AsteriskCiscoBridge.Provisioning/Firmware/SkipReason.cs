namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>Why a file of a package was not imported; <see cref="SkipReasons.Text"/> is the sentence <c>acb firmware import</c> prints.</summary>
public enum SkipReason
{
    /// <summary>The entry's name ends in a separator: nothing to name the file by.</summary>
    NoFileName = 1,

    /// <summary>A dot-file or a <c>__MACOSX</c> folder's entry.</summary>
    ArchiveMetadata = 2,

    /// <summary><c>copstart.sh</c>, <c>loadNNN.txt</c>: CUCM's installer and load records (spec §3.3).</summary>
    CucmInstallerFile = 3,

    /// <summary>The package's own <c>OS79XX.TXT</c> (spec §2.1: the bridge writes it).</summary>
    BridgeWritesOs79xx = 4,

    /// <summary>A link that stays inside the package: links are never created.</summary>
    Link = 5,

    /// <summary>The same bytes are in the firmware folder already.</summary>
    IdenticalInFolder = 6,

    /// <summary>A different <c>termNN.default.loads</c> is in the folder and is kept (spec §1.5).</summary>
    KeptFolderTermDefault = 7,
}

/// <summary>The sentences of <see cref="SkipReason"/>.</summary>
public static class SkipReasons
{
    /// <param name="reason">The reason.</param>
    /// <param name="detail">The link's target for <see cref="SkipReason.Link"/>, the folder's file name for <see cref="SkipReason.KeptFolderTermDefault"/>.</param>
    public static string Text(this SkipReason reason, string? detail = null) => reason switch
    {
        SkipReason.NoFileName => "no file name",
        SkipReason.ArchiveMetadata => "archive metadata, not firmware",
        SkipReason.CucmInstallerFile => "CUCM installer file, not served to phones",
        SkipReason.BridgeWritesOs79xx => "the bridge writes OS79XX.TXT itself",
        SkipReason.Link => $"a link to '{PackageEntryNames.Printable(detail ?? string.Empty)}'; only regular files are imported",
        SkipReason.IdenticalInFolder => "already in the firmware folder, identical",
        SkipReason.KeptFolderTermDefault => $"kept the firmware folder's {detail}, which differs (see acb firmware list)",
        _ => reason.ToString(),
    };
}
