using System.Net;
using System.Net.Sockets;

namespace AsteriskCiscoBridge.Tftp.Server;

/// <summary>A listening address could not be bound (in use, a privileged port, an address not on this machine).</summary>
public sealed class TftpListenException : IOException
{
    /// <summary>Creates the exception for <paramref name="endPoint"/> from the socket's error.</summary>
    public TftpListenException(IPEndPoint endPoint, SocketException inner)
        : base($"cannot listen on {endPoint}: {inner?.Message}", inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        EndPoint = endPoint;
        Error = inner.SocketErrorCode;
    }

    /// <summary>The address that could not be bound.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Why, as the socket reported it (<see cref="SocketError.AddressAlreadyInUse"/>, <see cref="SocketError.AccessDenied"/>, …).</summary>
    public SocketError Error { get; }
}
