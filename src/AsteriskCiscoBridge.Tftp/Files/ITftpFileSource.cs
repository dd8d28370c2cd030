using System.Net;

namespace AsteriskCiscoBridge.Tftp.Files;

/// <summary>
/// One layer of the server's virtual, read-only file tree. Layers are asked in order; the first
/// that answers anything other than <see cref="TftpLookupStatus.NotHere"/> decides.
/// </summary>
public interface ITftpFileSource
{
    /// <summary>A short name for the request log, e.g. <c>disk:/srv/tftp</c> or <c>store</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Finds <paramref name="request"/>'s file. Implementations should complete synchronously
    /// when they can (an in-memory snapshot, a cached directory listing): the server then
    /// answers on its event loop without a thread hop.
    /// </summary>
    ValueTask<TftpLookup> LookupAsync(TftpFileRequest request, CancellationToken cancellationToken);
}

/// <summary>A validated read request as a file source sees it.</summary>
/// <param name="Path">
/// The requested name after confinement checks: relative, <c>/</c>-separated, no <c>.</c> or
/// <c>..</c> segments, no control characters. Case is as the client sent it.
/// </param>
/// <param name="Client">The client's address and port (its TID).</param>
/// <param name="Local">The local address the request arrived on.</param>
public sealed record TftpFileRequest(string Path, IPEndPoint Client, IPEndPoint Local)
{
    /// <summary>The path split into its segments.</summary>
    public IReadOnlyList<string> Segments => Path.Split('/');
}

/// <summary>What a lookup decided.</summary>
public enum TftpLookupStatus
{
    /// <summary>This source has nothing by that name; ask the next one.</summary>
    NotHere = 0,

    /// <summary>Found: serve <see cref="TftpLookup.Content"/>.</summary>
    Found = 1,

    /// <summary>Definitely not found (TFTP error 1), with a reason for the log; later sources are not asked.</summary>
    NotFound = 2,

    /// <summary>Refused (TFTP error 2, access violation), with a reason for the log.</summary>
    Denied = 3,
}

/// <summary>The outcome of <see cref="ITftpFileSource.LookupAsync"/>.</summary>
public readonly record struct TftpLookup(TftpLookupStatus Status, TftpContent? Content, string? Reason)
{
    /// <summary>Name of the source that answered (set by <see cref="LayeredFileSource"/> when the source left it empty).</summary>
    public string? Source { get; init; }

    public static TftpLookup NotHere { get; } = new(TftpLookupStatus.NotHere, null, null);

    public static TftpLookup Found(TftpContent content) => new(TftpLookupStatus.Found, content, null);

    public static TftpLookup NotFound(string reason) => new(TftpLookupStatus.NotFound, null, reason);

    public static TftpLookup Denied(string reason) => new(TftpLookupStatus.Denied, null, reason);
}
