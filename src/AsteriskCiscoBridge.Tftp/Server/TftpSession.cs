using System.Net;
using System.Net.Sockets;
using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Protocol;
using AsteriskCiscoBridge.Tftp.Transfer;

namespace AsteriskCiscoBridge.Tftp.Server;

/// <summary>One admitted request, from its lookup to its end: its client, its transfer socket and state. Owned by the event loop thread.</summary>
internal sealed class TftpSession(ulong id, TftpListener listener, ClientKey key, IPEndPoint client, IPEndPoint local, TftpRequest request, TimeSpan start) : IHasDeadline
{
    public ulong Id => id;

    public TftpListener Listener => listener;

    public ClientKey Key => key;

    public IPEndPoint Client => client;

    public IPEndPoint Local => local;

    public TftpRequest Request => request;

    public TimeSpan Start => start;

    public SocketAddressBytes ClientAddress { get; } = new();

    public Socket? Socket { get; set; }

    public int Fd { get; set; } = -1;

    public TftpTransfer? Transfer { get; set; }

    public TftpContent? Content { get; set; }

    public string? Source { get; set; }

    public string Description { get; set; } = string.Empty;

    /// <summary>Bytes charged to the memory budget for this transfer's content.</summary>
    public long Charge { get; set; }

    public TimeSpan Deadline { get; set; } = TimeSpan.MaxValue;

    public TimeSpan QueuedDeadline { get; set; } = TimeSpan.MaxValue;

    public bool Ended { get; set; }
}
