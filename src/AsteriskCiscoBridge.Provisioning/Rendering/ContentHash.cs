using System.Security.Cryptography;
using System.Text;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// Version values derived from content, never from a clock: same bytes, same value; any change
/// to the bytes, a new value.
/// </summary>
public static class ContentHash
{
    /// <summary>Lower-case hex SHA-256 of <paramref name="content"/>.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>SHA-256 over several parts, each prefixed by its length so parts cannot run together.</summary>
    public static byte[] Of(params ReadOnlySpan<byte[]> parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var part in parts)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, part.Length);
            hash.AppendData(length);
            hash.AppendData(part);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>
    /// 7940/7960 <c>sync</c> value (spec §2.3: a string of at most 32 characters): 16 upper-case
    /// hex digits of the hash.
    /// </summary>
    public static string SyncValue(byte[] hash) => Convert.ToHexString(hash, 0, 8);

    /// <summary>
    /// 79x1 <c>versionStamp</c>: the first 16 bytes of the hash in UUID layout, the shape CUCM uses
    /// and the <c>ConfigVersionStamp={…}</c> line of a service-control NOTIFY expects (spec §4.1).
    /// </summary>
    public static string VersionStamp(byte[] hash)
    {
        var hex = Convert.ToHexStringLower(hash, 0, 16);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
