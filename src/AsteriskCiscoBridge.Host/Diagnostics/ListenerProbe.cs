using System.Net;
using System.Net.Sockets;
using AsteriskCiscoBridge.Services.Diagnostics;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace AsteriskCiscoBridge.Host.Diagnostics;

/// <summary>
/// Binds the service's listening sockets the way their servers do, so a failure names its listener
/// (<see cref="ListenException"/>) instead of surfacing as the host's start-up trace.
/// </summary>
internal static class ListenerProbe
{
    /// <summary>
    /// Binds every listener with a fixed port once and releases it at once (a socket that never
    /// listened leaves nothing behind), before the host starts: a busy or privileged port is then
    /// reported before anything else runs. Port 0 always binds.
    /// </summary>
    public static void Probe(ServiceListeners listeners)
    {
        var tftpCount = listeners.All.Count(l => l.Transport == ListenerTransport.Udp);
        foreach (var listener in listeners.All.Where(l => l.EndPoint.Port != 0))
        {
            if (listener.Transport == ListenerTransport.Udp && listener.EndPoint.AddressFamily == AddressFamily.InterNetworkV6 && !Socket.OSSupportsIPv6 && tftpCount > 1)
            {
                // The TFTP server serves IPv4 alone when IPv6 is off and says so (TftpServer.Start).
                continue;
            }

            using var socket = Open(listener);
        }
    }

    /// <summary>Kestrel's own bind (<see cref="SocketTransportOptions.CreateDefaultBoundListenSocket"/>), with the listener named when it fails.</summary>
    public static Socket Bind(ServiceListeners listeners, EndPoint endPoint)
    {
        try
        {
            return SocketTransportOptions.CreateDefaultBoundListenSocket(endPoint);
        }
        catch (SocketException e) when (listeners.Find(endPoint, ListenerTransport.Tcp) is { } listener)
        {
            throw new ListenException(listener, e);
        }
    }

    private static Socket Open(ServiceListener listener)
    {
        if (listener.Transport == ListenerTransport.Tcp)
        {
            return Bind(new ServiceListeners([listener]), listener.EndPoint);
        }

        Socket? socket = null;
        try
        {
            socket = new Socket(listener.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            if (listener.EndPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // As TftpServer: [::]:69 and 0.0.0.0:69 are separate listeners.
                socket.DualMode = false;
            }

            socket.Bind(listener.EndPoint);
            return socket;
        }
        catch (SocketException e)
        {
            socket?.Dispose();
            throw new ListenException(listener, e);
        }
    }
}
