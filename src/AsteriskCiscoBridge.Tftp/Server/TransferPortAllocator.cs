namespace AsteriskCiscoBridge.Tftp.Server;

/// <summary>
/// Chooses the local port of each transfer socket (the server's TID, RFC 1350 §4): any ephemeral port
/// when no range is configured, otherwise the ports of the range in turn, wrapping at its end, so a
/// port just closed is the last to be used again. Owned by the event loop thread.
/// </summary>
internal sealed class TransferPortAllocator
{
    private readonly int? _first;
    private readonly int? _last;
    private int _next;

    public TransferPortAllocator(int? first, int? last)
    {
        if (first.HasValue != last.HasValue || first > last)
        {
            throw new ArgumentException("A port range needs a first and a last port, first ≤ last.");
        }

        _first = first;
        _last = last;
        _next = first ?? 0;
    }

    /// <summary>How many ports to try before giving up: every port of the range once, or one ephemeral bind.</summary>
    public int Attempts => _first is { } first ? _last!.Value - first + 1 : 1;

    /// <summary>The next port to bind (0: let the kernel choose).</summary>
    public int Next()
    {
        if (_first is not { } first)
        {
            return 0;
        }

        var port = _next;
        _next = _next >= _last!.Value ? first : _next + 1;
        return port;
    }

    /// <summary>Why no transfer socket could be opened, for the request event.</summary>
    public string Exhausted(string? error) => (_first, error) switch
    {
        (null, _) => $"no transfer socket: {error}",
        (_, null) => $"no free port in {_first}–{_last}",
        _ => $"no free port in {_first}–{_last}: {error}",
    };
}
