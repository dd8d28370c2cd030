namespace AsteriskCiscoBridge.Firmware;

/// <summary>Ends the unpacking of one package with a reason; caught at the package boundary and turned into a result.</summary>
internal sealed class PackageRefusedException(string message) : Exception(message);
