using System.Buffers.Binary;
using System.Net;

namespace AsteriskCiscoBridge.Tftp.Server;

/// <summary>A raw Linux sockaddr_in / sockaddr_in6 as the kernel gave it, kept for sendto.</summary>
internal sealed class SocketAddressBytes
{
    public const int Capacity = 28;

    public readonly byte[] Bytes = new byte[Capacity];

    public int Length;

    public static ClientKey KeyOf(ReadOnlySpan<byte> sockaddr)
    {
        var family = BinaryPrimitives.ReadUInt16LittleEndian(sockaddr);
        var port = BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]);
        return family == 10
            ? new ClientKey(BinaryPrimitives.ReadUInt64LittleEndian(sockaddr[8..]), BinaryPrimitives.ReadUInt64LittleEndian(sockaddr[16..]), port, 6)
            : new ClientKey(BinaryPrimitives.ReadUInt32LittleEndian(sockaddr[4..]), 0, port, 4);
    }

    public static IPEndPoint ToEndPoint(ReadOnlySpan<byte> sockaddr)
    {
        var family = BinaryPrimitives.ReadUInt16LittleEndian(sockaddr);
        var port = BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]);
        if (family == 10)
        {
            var scope = BinaryPrimitives.ReadUInt32LittleEndian(sockaddr[24..]);
            return new IPEndPoint(new IPAddress(sockaddr.Slice(8, 16), scope), port);
        }

        return new IPEndPoint(new IPAddress(sockaddr.Slice(4, 4)), port);
    }
}

/// <summary>A client's address and port (its TID), as a cheap dictionary key.</summary>
internal readonly record struct ClientKey(ulong High, ulong Low, ushort Port, byte Family)
{
    public AddressKey Address => new(High, Low, Family);
}

/// <summary>A client's address alone, for per-address limits.</summary>
internal readonly record struct AddressKey(ulong High, ulong Low, byte Family);
