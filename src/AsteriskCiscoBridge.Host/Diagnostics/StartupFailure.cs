using System.Net;
using System.Net.Sockets;
using AsteriskCiscoBridge.Services.Diagnostics;
using AsteriskCiscoBridge.Tftp.Server;
using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Host.Diagnostics;

/// <summary>How a listener is reached.</summary>
internal enum ListenerTransport
{
    Udp,
    Tcp,
}

/// <summary>A socket the service listens on: which service, where, and the setting that put it there.</summary>
internal sealed record ServiceListener(string Service, string Setting, IPEndPoint EndPoint, ListenerTransport Transport)
{
    public static ServiceListener Tftp(IPEndPoint endPoint) => new("TFTP", "Tftp:Listen", endPoint, ListenerTransport.Udp);

    public static ServiceListener Http(IPEndPoint endPoint) => new("HTTP", "Http:Listen", endPoint, ListenerTransport.Tcp);

    public static ServiceListener Dashboard(IPEndPoint endPoint) => new("dashboard", "Dashboard:Listen", endPoint, ListenerTransport.Tcp);
}

/// <summary>Every listener of one <c>acb run</c>, registered by the composition root so start-up failures can name theirs.</summary>
internal sealed record ServiceListeners(IReadOnlyList<ServiceListener> All)
{
    /// <summary>The listener configured at <paramref name="endPoint"/> (first of several at the same address, as with port 0).</summary>
    public ServiceListener? Find(EndPoint endPoint, ListenerTransport transport) =>
        All.FirstOrDefault(l => l.Transport == transport && l.EndPoint.Equals(endPoint));
}

/// <summary>A listener could not bind: carries which one and the socket error, for <see cref="StartupFailure"/>.</summary>
internal sealed class ListenException(ServiceListener listener, SocketException inner)
    : IOException($"cannot listen on {listener.EndPoint} ({listener.Service}): {inner.Message}", inner)
{
    public ServiceListener Listener { get; } = listener;

    public SocketError Error { get; } = inner.SocketErrorCode;
}

/// <summary>A start-up failure the admin can fix, already worded as the one line to print.</summary>
internal sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Start-up failures as the one line an admin needs: what could not be done, where (the address
/// or path), and the fix. Pure: exceptions in, text out; <see cref="Describe(Exception, ServiceListeners?, string?)"/>
/// answers null for anything it does not recognise, which is then a bug and keeps its stack trace.
/// </summary>
internal static class StartupFailure
{
    /// <summary>SQLite's primary result codes (sqlite.org/rescode.html) that an admin can fix.</summary>
    private const int SqlitePerm = 3, SqliteReadOnly = 8, SqliteCorrupt = 11, SqliteCantOpen = 14, SqliteAuth = 23, SqliteNotADatabase = 26;

    public static string Listen(ServiceListener listener, SocketError error, string detail)
    {
        var where = $"cannot listen on {listener.EndPoint} ({listener.Service})";
        return error switch
        {
            SocketError.AddressAlreadyInUse => $"{where}: address in use; stop the other service or set {listener.Setting}",
            // bind(2): EACCES for a port below 1024 (ip_unprivileged_port_start) without CAP_NET_BIND_SERVICE.
            SocketError.AccessDenied when listener.EndPoint.Port is > 0 and < 1024 =>
                $"{where}: permission denied, a port below 1024 needs root or CAP_NET_BIND_SERVICE; run as root, give acb the capability (AmbientCapabilities=CAP_NET_BIND_SERVICE in its systemd unit) or set {listener.Setting} to a port above 1023",
            SocketError.AccessDenied => $"{where}: permission denied; set {listener.Setting}",
            SocketError.AddressNotAvailable => $"{where}: no such address on this machine; set {listener.Setting} to one of its addresses or 0.0.0.0",
            SocketError.AddressFamilyNotSupported => $"{where}: this machine has no {(listener.EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")}; set {listener.Setting}",
            _ => $"{where}: {detail}; set {listener.Setting}",
        };
    }

    /// <summary>The database could not be created, opened or migrated.</summary>
    public static string Store(string path, Exception e)
    {
        var folder = Path.GetDirectoryName(path) ?? path;
        return e switch
        {
            UnauthorizedAccessException => $"cannot create the database folder {folder}: permission denied; create it for the user acb runs as, or set Storage:Database",
            SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) switch
            {
                SqliteCantOpen => $"cannot open the database {path}: SQLite cannot open or create it; check that it is a file, readable and writable with its folder by the user acb runs as, or set Storage:Database",
                SqliteReadOnly => $"cannot write the database {path}: it is read-only; give the user acb runs as write access to it and its folder, or set Storage:Database",
                SqlitePerm or SqliteAuth => $"cannot open the database {path}: permission denied; give the user acb runs as access to it and its folder, or set Storage:Database",
                SqliteNotADatabase or SqliteCorrupt => $"the database {path} is not an SQLite database or is damaged; move it aside (acb makes a new one) or set Storage:Database",
                _ => $"cannot open the database {path}: {Reason(sqlite)}; set Storage:Database",
            },
            _ => $"cannot create the database folder {folder}: {Reason(e)}; set Storage:Database",
        };
    }

    /// <summary>A folder the service needs (the firmware folder) could not be created.</summary>
    public static string Folder(string what, string path, string setting, Exception e) => e is UnauthorizedAccessException
        ? $"cannot create the {what} {path}: permission denied; create it for the user acb runs as, or set {setting}"
        : $"cannot create the {what} {path}: {Reason(e)}; set {setting}";

    private static string Reason(Exception e) => e.Message.TrimEnd('.', ' ');

    /// <summary>The line for an exception out of the host's start, or null when it is not a failure an admin can fix.</summary>
    public static string? Describe(Exception e, ServiceListeners? listeners, string? databasePath)
    {
        switch (e)
        {
            case StartupException startup:
                return startup.Message;
            case ListenException listen:
                return Listen(listen.Listener, listen.Error, listen.InnerException?.Message ?? listen.Message);
            case TftpListenException tftp:
                var listener = listeners?.Find(tftp.EndPoint, ListenerTransport.Udp) ?? ServiceListener.Tftp(tftp.EndPoint);
                return Listen(listener, tftp.Error, tftp.InnerException?.Message ?? tftp.Message);
            case SqliteException when databasePath is not null:
                return Store(databasePath, e);
            case AggregateException { InnerExceptions.Count: 1 } aggregate:
                return Describe(aggregate.InnerExceptions[0], listeners, databasePath);
        }

        return e.InnerException is { } inner && e is IOException ? Describe(inner, listeners, databasePath) : null;
    }
}
