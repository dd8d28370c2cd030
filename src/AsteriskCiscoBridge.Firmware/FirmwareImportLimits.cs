namespace AsteriskCiscoBridge.Firmware;

/// <summary>Bounds on what one package may unpack to; going past one refuses the package (zip bombs, tar bombs).</summary>
/// <param name="MaxTotalBytes">Bytes written for one package, counted as they are unpacked (headers can lie). Default 2 GiB.</param>
/// <param name="MaxEntries">Archive entries of one package, nested archives included. Default 10 000.</param>
/// <param name="SignatureSearchBytes">How far into a <c>.cop.sgn</c> to look for the gzip data after the signature header. Default 64 KiB.</param>
/// <param name="MaxNesting">Archives inside archives (a <c>.tar</c> inside a <c>.cop</c>). Default 2.</param>
public sealed record FirmwareImportLimits(
    long MaxTotalBytes = 2L * 1024 * 1024 * 1024,
    int MaxEntries = 10_000,
    int SignatureSearchBytes = 64 * 1024,
    int MaxNesting = 2);
