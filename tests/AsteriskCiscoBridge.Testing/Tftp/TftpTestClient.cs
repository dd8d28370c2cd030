using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AsteriskCiscoBridge.Testing.Tftp;

/// <summary>A datagram as received, with its sender.</summary>
public sealed record Datagram(byte[] Bytes, IPEndPoint From)
{
    public ushort Opcode => Bytes.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Bytes) : (ushort)0;

    public ushort Block => Bytes.Length >= 4 ? BinaryPrimitives.ReadUInt16BigEndian(Bytes.AsSpan(2)) : (ushort)0;

    public ReadOnlySpan<byte> Payload => Bytes.AsSpan(4);

    public bool IsData => Opcode == 3;

    public bool IsError => Opcode == 5;

    public bool IsOptionAck => Opcode == 6;

    /// <summary>ERROR code, or -1 when this is no ERROR.</summary>
    public int ErrorCode => IsError ? Block : -1;

    public string ErrorMessage => IsError ? Encoding.ASCII.GetString(Bytes, 4, Math.Max(0, Bytes.Length - 5)) : string.Empty;

    /// <summary>OACK options as name → value.</summary>
    public IReadOnlyDictionary<string, string> Options
    {
        get
        {
            var parts = Encoding.ASCII.GetString(Bytes, 2, Bytes.Length - 2).Split('\0');
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i + 1 < parts.Length; i += 2)
            {
                result[parts[i]] = parts[i + 1];
            }

            return result;
        }
    }

    public override string ToString() => IsError ? $"ERROR {ErrorCode} {ErrorMessage}" : $"opcode {Opcode} block {Block} ({Bytes.Length} bytes) from {From}";
}

/// <summary>
/// A hand-driven TFTP client on a real UDP socket: it sends exactly what a test says (valid or
/// not) and hands back every datagram, so tests can play a misbehaving or slow phone.
/// </summary>
public sealed class TftpTestClient : IDisposable
{
    private readonly Socket _socket;

    /// <summary>A phone at <paramref name="from"/> (any loopback address) asks for <paramref name="name"/> once.</summary>
    public static async Task<TftpAnswer> AskAsync(IPEndPoint server, string from, string name, CancellationToken cancellationToken)
    {
        using var client = new TftpTestClient(IPAddress.Parse(from));
        try
        {
            return new TftpAnswer((await client.DownloadAsync(server, name, cancellationToken)).Bytes, 0);
        }
        catch (TftpErrorException e)
        {
            return new TftpAnswer(null, e.Code);
        }
    }

    public TftpTestClient(IPAddress? bindAddress = null)
    {
        bindAddress ??= IPAddress.Loopback;
        _socket = new Socket(bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(bindAddress, 0));
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>
    /// Bytes received and not read yet. On loopback a datagram is in the receiving socket when the
    /// sender's call returns, so once the server has done something later (answered another packet),
    /// zero here proves it sent this client nothing: silence asserted without waiting for it.
    /// </summary>
    public int Available => _socket.Available;

    public static byte[] ReadRequest(string fileName, string mode = "octet", params (string Name, string Value)[] options)
    {
        var bytes = new List<byte> { 0, 1 };
        bytes.AddRange(Encoding.Latin1.GetBytes(fileName));
        bytes.Add(0);
        bytes.AddRange(Encoding.ASCII.GetBytes(mode));
        bytes.Add(0);
        foreach (var (name, value) in options)
        {
            bytes.AddRange(Encoding.ASCII.GetBytes(name));
            bytes.Add(0);
            bytes.AddRange(Encoding.ASCII.GetBytes(value));
            bytes.Add(0);
        }

        return [.. bytes];
    }

    public static byte[] Ack(ushort block) => [0, 4, (byte)(block >> 8), (byte)block];

    public static byte[] Error(ushort code, string message) => [0, 5, (byte)(code >> 8), (byte)code, .. Encoding.ASCII.GetBytes(message), 0];

    public Task SendAsync(byte[] datagram, IPEndPoint to, CancellationToken cancellationToken) =>
        _socket.SendToAsync(datagram, SocketFlags.None, to, cancellationToken).AsTask();

    /// <summary>Waits for the next datagram; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<Datagram> ReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var datagram = await TryReceiveAsync(timeout, cancellationToken);
        return datagram ?? throw new TimeoutException($"no datagram within {timeout}");
    }

    /// <summary>Waits for the next datagram, or returns null after <paramref name="timeout"/> (used to prove that nothing came).</summary>
    public async Task<Datagram?> TryReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var buffer = new byte[65536 + 4];
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0), cts.Token);
            return new Datagram(buffer[..result.ReceivedBytes], (IPEndPoint)result.RemoteEndPoint);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// A well-behaved lock-step or windowed download: RRQ, ACK 0 after an OACK, ACK each block
    /// (or each window's last), until a short block. Returns the bytes and the negotiated options.
    /// </summary>
    public async Task<(byte[] Bytes, IReadOnlyDictionary<string, string> Options)> DownloadAsync(
        IPEndPoint server, string fileName, CancellationToken cancellationToken, string mode = "octet", params (string Name, string Value)[] options)
    {
        var timeout = TimeSpan.FromSeconds(10);
        await SendAsync(ReadRequest(fileName, mode, options), server, cancellationToken);
        var first = await ReceiveAsync(timeout, cancellationToken);
        if (first.IsError)
        {
            throw new TftpErrorException(first.ErrorCode, first.ErrorMessage);
        }

        var peer = first.From;
        var blockSize = 512;
        var window = 1;
        IReadOnlyDictionary<string, string> negotiated = new Dictionary<string, string>();
        var output = new MemoryStream();
        Datagram? pending = first;
        if (first.IsOptionAck)
        {
            negotiated = first.Options;
            if (negotiated.TryGetValue("blksize", out var b))
            {
                blockSize = int.Parse(b, System.Globalization.CultureInfo.InvariantCulture);
            }

            if (negotiated.TryGetValue("windowsize", out var w))
            {
                window = int.Parse(w, System.Globalization.CultureInfo.InvariantCulture);
            }

            await SendAsync(Ack(0), peer, cancellationToken);
            pending = null;
        }

        ushort expected = 1;
        var inWindow = 0;
        while (true)
        {
            var packet = pending ?? await ReceiveAsync(timeout, cancellationToken);
            pending = null;
            if (packet.IsError)
            {
                throw new TftpErrorException(packet.ErrorCode, packet.ErrorMessage);
            }

            if (!packet.IsData || packet.Block != expected)
            {
                continue;
            }

            output.Write(packet.Payload);
            var last = packet.Payload.Length < blockSize;
            inWindow++;
            if (last || inWindow == window)
            {
                await SendAsync(Ack(expected), peer, cancellationToken);
                inWindow = 0;
            }

            if (last)
            {
                return (output.ToArray(), negotiated);
            }

            expected++;
        }
    }

    public void Dispose() => _socket.Dispose();
}

/// <summary>The server answered with a TFTP ERROR.</summary>
/// <summary>What one read request got: the file, or the server's error code (a refusal is an answer here, not a failure).</summary>
public sealed record TftpAnswer(byte[]? Bytes, int ErrorCode)
{
    public string? Text => Bytes is null ? null : Encoding.UTF8.GetString(Bytes);
}

public sealed class TftpErrorException(int code, string message) : Exception($"TFTP error {code}: {message}")
{
    public int Code => code;
}
