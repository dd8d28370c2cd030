using AsteriskCiscoBridge.Provisioning.Firmware;

namespace AsteriskCiscoBridge.Firmware;

/// <summary>Reads a package's first bytes for <see cref="PackageSniffer"/>, which tells its format.</summary>
internal static class PackageDetector
{
    public static async Task<PackageFormat> DetectAsync(string path, CancellationToken cancellationToken)
    {
        if (PackageSniffer.ByNameAlone(path) is { } named)
        {
            return named;
        }

        var head = new byte[PackageSniffer.HeadLength];
        int length;
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true))
        {
            length = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }

        return PackageSniffer.Sniff(path, head.AsSpan(0, length));
    }
}
