using System.Net;
using System.Net.Sockets;
using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Tftp.Files;

namespace AsteriskCiscoBridge.Services.Files;

/// <summary>
/// Serves the bridge's generated files with <see cref="SipServer.RequestLocalHost"/> replaced by the local address
/// the request arrived on (TFTP and HTTP alike): the Asterisk address res_pjsip_phoneprov_provider gives in
/// <c>SERVER</c> (spec §7.1), which a stored file cannot know. The store keeps the marked bytes, so content hashes,
/// <c>sync</c> and <c>versionStamp</c> stay the same whichever interface a phone uses; the length a transfer
/// announces (<c>tsize</c>, Content-Length) is that of the bytes served. A file without the marker is served as it is.
/// </summary>
/// <param name="inner">A layer of generated files (the store, the unprovisioned answers); never the firmware folder.</param>
/// <param name="fallback">The address used when a request's local address is unknown, a wildcard or not IPv4.</param>
internal sealed class LocalAddressFileSource(ITftpFileSource inner, IPAddress? fallback) : ITftpFileSource
{
    /// <summary>Generated files are a few kilobytes; anything larger is not one of them and passes untouched.</summary>
    private const long MaxLength = 1 << 20;

    private static readonly byte[] Marker = Encoding.ASCII.GetBytes(SipServer.RequestLocalHost);

    public string Name => inner.Name;

    public ValueTask<TftpLookup> LookupAsync(TftpFileRequest request, CancellationToken cancellationToken)
    {
        var pending = inner.LookupAsync(request, cancellationToken);
        return pending.IsCompletedSuccessfully ? ValueTask.FromResult(Fill(pending.Result, request.Local)) : SlowAsync(pending, request.Local);
    }

    /// <summary>
    /// The IPv4 address of the interface that holds the default route (a UDP connect sends nothing; the kernel only
    /// picks the source address), or null without one. Never loopback.
    /// </summary>
    public static IPAddress? DefaultRouteAddress()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 9));
            var address = (socket.LocalEndPoint as IPEndPoint)?.Address;
            return address is null || IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) ? null : address;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary><paramref name="content"/> with every marker replaced by <paramref name="address"/>'s text.</summary>
    internal static byte[] Replace(ReadOnlySpan<byte> content, IPAddress address)
    {
        var text = Encoding.ASCII.GetBytes(address.ToString());
        var output = new List<byte>(content.Length + 32);
        while (true)
        {
            var at = content.IndexOf(Marker);
            if (at < 0)
            {
                output.AddRange(content);
                return [.. output];
            }

            output.AddRange(content[..at]);
            output.AddRange(text);
            content = content[(at + Marker.Length)..];
        }
    }

    private async ValueTask<TftpLookup> SlowAsync(ValueTask<TftpLookup> pending, IPEndPoint local) => Fill(await pending, local);

    private TftpLookup Fill(TftpLookup lookup, IPEndPoint local)
    {
        if (lookup.Status != TftpLookupStatus.Found || lookup.Content is not { } content || content.Length > MaxLength)
        {
            return lookup;
        }

        var bytes = new byte[content.Length];
        for (var offset = 0; offset < bytes.Length;)
        {
            var n = content.Read(offset, bytes.AsSpan(offset));
            if (n == 0)
            {
                return lookup;
            }

            offset += n;
        }

        if (bytes.AsSpan().IndexOf(Marker) < 0 || AddressFor(local) is not ({ } address, var reached))
        {
            return lookup;
        }

        var description = $"{content.Description}, Asterisk address {address} ({(reached ? "the address the request reached" : "this machine's default-route address")})";
        content.Dispose();
        // Made for this request alone: charged to the TFTP memory budget while its transfer runs.
        return lookup with { Content = TftpContent.FromOwnedBytes(Replace(bytes, address), description) };
    }

    private (IPAddress? Address, bool Reached) AddressFor(IPEndPoint local)
    {
        var address = local.Address.IsIPv4MappedToIPv6 ? local.Address.MapToIPv4() : local.Address;
        return address.AddressFamily == AddressFamily.InterNetwork && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.None)
            ? (address, true)
            : (fallback, false);
    }
}
