using System.Net;
using System.Net.Sockets;
using AsteriskCiscoBridge.Tftp.Protocol;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Tftp.Server;

/// <summary>
/// One listening socket of the server (port 69 by default): bound, non-blocking, and on a wildcard
/// address told to report each request's destination address, so that transfers and errors leave
/// from the address the client wrote to.
/// </summary>
internal sealed record TftpListener(Socket Socket, int Fd, IPEndPoint EndPoint, bool Wildcard)
{
    public static TftpListener Bind(IPEndPoint endPoint, int receiveBufferBytes, ILogger logger)
    {
        Socket socket;
        try
        {
            socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        }
        catch (SocketException e)
        {
            throw new TftpListenException(endPoint, e);
        }

        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // [::]:69 and 0.0.0.0:69 are separate listeners, so v6 sockets stay v6 only.
                socket.DualMode = false;
            }

            var wildcard = endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any);
            if (wildcard)
            {
                // The destination address of each request, so transfers answer from it.
                socket.SetSocketOption(
                    endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP,
                    SocketOptionName.PacketInformation,
                    true);
            }

            socket.Bind(endPoint);
            socket.Blocking = false;
            var fd = (int)socket.Handle;
            SetReceiveBuffer(fd, (IPEndPoint)socket.LocalEndPoint!, receiveBufferBytes, logger);
            return new TftpListener(socket, fd, (IPEndPoint)socket.LocalEndPoint!, wildcard);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new TftpListenException(endPoint, e);
        }
    }

    private static unsafe void SetReceiveBuffer(int fd, IPEndPoint endPoint, int wanted, ILogger logger)
    {

        // SO_RCVBUFFORCE (with CAP_NET_ADMIN) passes net.core.rmem_max; otherwise the kernel caps SO_RCVBUF.
        if (LinuxNative.setsockopt(fd, LinuxNative.SOL_SOCKET, LinuxNative.SO_RCVBUFFORCE, &wanted, sizeof(int)) != 0)
        {
            LinuxNative.setsockopt(fd, LinuxNative.SOL_SOCKET, LinuxNative.SO_RCVBUF, &wanted, sizeof(int));
            // The kernel reports twice what it books for data (socket(7)).
            var actual = 0;
            var size = sizeof(int);
            LinuxNative.getsockopt(fd, LinuxNative.SOL_SOCKET, LinuxNative.SO_RCVBUF, &actual, &size);
            actual /= 2;
            if (actual < wanted)
            {
                Log.SmallReceiveBuffer(logger, endPoint, actual, wanted);
            }
        }
    }

    /// <summary>The address a request was sent to, from its IP_PKTINFO / IPV6_PKTINFO control message; the bound address when there is none.</summary>
    public unsafe IPAddress DestinationOf(byte* control, int length)
    {
        var offset = 0;
        while (offset + 16 <= length)
        {
            var cmsgLength = (int)*(nint*)(control + offset);
            var level = *(int*)(control + offset + 8);
            var type = *(int*)(control + offset + 12);
            var data = control + offset + 16;
            if (level == 0 && type == 8 && cmsgLength >= 28)
            {
                // struct in_pktinfo { int ifindex; in_addr spec_dst; in_addr addr; }: the header's destination.
                var address = new IPAddress(new ReadOnlySpan<byte>(data + 8, 4));
                var b0 = data[8];
                return b0 >= 224 || address.Equals(IPAddress.Broadcast) ? new IPAddress(new ReadOnlySpan<byte>(data + 4, 4)) : address;
            }

            if (level == 41 && type == 50 && cmsgLength >= 36)
            {
                // struct in6_pktinfo { in6_addr addr; int ifindex; }
                var ifindex = *(int*)(data + 16);
                var address = new IPAddress(new ReadOnlySpan<byte>(data, 16));
                return address.IsIPv6LinkLocal ? new IPAddress(new ReadOnlySpan<byte>(data, 16), ifindex) : address;
            }

            if (cmsgLength <= 0)
            {
                break;
            }

            offset += (cmsgLength + 7) & ~7;
        }

        return EndPoint.Address;
    }

    /// <summary>Answers a request with a TFTP ERROR from this listening socket, leaving from <paramref name="local"/>.</summary>
    public unsafe void SendError(byte[] sendBuffer, ReadOnlySpan<byte> sockaddr, IPAddress local, TftpErrorCode code, string message)
    {
        var length = TftpPacketCodec.WriteError(sendBuffer, code, message);
        fixed (byte* send = sendBuffer)
        fixed (byte* to = sockaddr)
        {
            if (!Wildcard)
            {
                LinuxNative.sendto(Fd, send, length, 0, to, sockaddr.Length);
                return;
            }

            // From a wildcard listener, say which source address to use (IP_PKTINFO), so the
            // error leaves from the address the request was sent to.
            var control = stackalloc byte[40];
            new Span<byte>(control, 40).Clear();
            var iov = new LinuxNative.IoVec { Base = send, Length = length };
            var msg = new LinuxNative.MsgHdr { Name = to, NameLength = sockaddr.Length, Iov = &iov, IovLength = 1, Control = control };
            if (local.AddressFamily == AddressFamily.InterNetwork)
            {
                *(nint*)control = 16 + 12;
                *(int*)(control + 8) = 0;
                *(int*)(control + 12) = 8;
                local.TryWriteBytes(new Span<byte>(control + 16 + 4, 4), out _);
                msg.ControlLength = 32;
            }
            else
            {
                *(nint*)control = 16 + 20;
                *(int*)(control + 8) = 41;
                *(int*)(control + 12) = 50;
                local.TryWriteBytes(new Span<byte>(control + 16, 16), out _);
                msg.ControlLength = 40;
            }

            LinuxNative.sendmsg(Fd, &msg, 0);
        }
    }
}
