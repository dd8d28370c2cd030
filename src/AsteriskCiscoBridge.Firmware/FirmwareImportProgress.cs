namespace AsteriskCiscoBridge.Firmware;

/// <summary>How far one package has unpacked: its entries and bytes so far.</summary>
/// <param name="Package">The package path (the loose files' paths, joined).</param>
/// <param name="Files">Entries unpacked so far.</param>
/// <param name="Bytes">Bytes unpacked so far.</param>
public sealed record FirmwareImportProgress(string Package, int Files, long Bytes)
{
    /// <summary>Bytes between two reports within one entry (a firmware image is tens of MB).</summary>
    public const long ByteStep = 1 << 20;
}
