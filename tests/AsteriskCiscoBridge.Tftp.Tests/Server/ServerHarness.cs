using System.Net;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Time;
using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Server;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Tftp.Tests.Server;

/// <summary>A real server on loopback port 0 over a temp folder, with optional fake time.</summary>
internal sealed class ServerHarness : IAsyncDisposable
{
    private readonly TempDirectory _temp = new("acb-tftp");
    private readonly List<TftpRequestEvent> _events = [];
    private readonly Task _eventPump;

    public ServerHarness(TftpServerOptions? options = null, CountingTimeProvider? time = null, IEnumerable<ITftpFileSource>? before = null, ILogger<TftpServer>? logger = null)
    {
        Root = Path.Combine(_temp.Path, "root");
        Directory.CreateDirectory(Root);
        Disk = new DirectoryFileSource(Root);
        options ??= new TftpServerOptions { Listen = Loopback };
        Time = time;
        Server = new TftpServer(options, [.. before ?? [], Disk], time, logger);
        Server.Start();
        _eventPump = PumpEventsAsync();
    }

    public string Root { get; }

    public DirectoryFileSource Disk { get; }

    public CountingTimeProvider? Time { get; }

    public TftpServer Server { get; }

    public IPEndPoint EndPoint => Server.LocalEndPoints[0];

    public IReadOnlyList<TftpRequestEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>127.0.0.1 on a port the kernel picks.</summary>
    public static IReadOnlyList<IPEndPoint> Loopback => [new IPEndPoint(IPAddress.Loopback, 0)];

    public byte[] Write(string name, int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        _temp.Write(Path.Combine("root", name), bytes);
        return bytes;
    }

    public async Task<TftpRequestEvent> NextEventAsync(Func<TftpRequestEvent, bool> match, CancellationToken cancellationToken)
    {
        TftpRequestEvent? found = null;
        await Eventually.TrueAsync(() => (found = Events.FirstOrDefault(match)) is not null, "a matching request event", cancellationToken);
        return found!;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await _eventPump;
        Disk.Dispose();
        _temp.Dispose();
    }

    private async Task PumpEventsAsync()
    {
        await foreach (var e in Server.Requests.ReadAllAsync())
        {
            lock (_events)
            {
                _events.Add(e);
            }
        }
    }
}
