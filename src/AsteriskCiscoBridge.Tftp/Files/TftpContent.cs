namespace AsteriskCiscoBridge.Tftp.Files;

/// <summary>
/// The bytes one transfer serves: a fixed snapshot for the transfer's whole life, so a file that
/// is replaced while a phone is reading it never reaches that phone torn. Reads are synchronous
/// and positional because the server calls them on its event loop.
/// </summary>
public abstract class TftpContent : IDisposable
{
    /// <summary>Length in bytes; fixed for the life of the content.</summary>
    public abstract long Length { get; }

    /// <summary>What is being served, for the request log (e.g. <c>/srv/tftp/OS79XX.TXT</c> or <c>store: SEP…cnf.xml v12</c>).</summary>
    public abstract string Description { get; }

    /// <summary>
    /// Bytes this content keeps in memory for its transfer alone, which the server charges against
    /// <see cref="Server.TftpServerOptions.MaxBufferedBytes"/> while the transfer runs. Zero (the
    /// default) for bytes shared by every transfer (a snapshot, a cached file) or read from disk as
    /// the transfer goes.
    /// </summary>
    public virtual long BufferedBytes => 0;

    /// <summary>
    /// Copies bytes starting at <paramref name="offset"/> into <paramref name="destination"/> and
    /// returns how many were copied: fewer than asked only at the end of the content.
    /// Throws <see cref="IOException"/> when the snapshot can no longer be honoured
    /// (the file changed under it); the transfer then ends with an error instead of tearing.
    /// </summary>
    public abstract int Read(long offset, Span<byte> destination);

    /// <summary>Serves bytes shared by every transfer of them (a snapshot), which the caller promises not to change.</summary>
    public static TftpContent FromBytes(ReadOnlyMemory<byte> bytes, string description) => new MemoryContent(bytes, description, false);

    /// <summary>
    /// Serves bytes made for this one transfer (a per-request rendering): unlike <see cref="FromBytes"/>
    /// they are charged to the server's memory budget (<see cref="BufferedBytes"/>) while it runs.
    /// </summary>
    public static TftpContent FromOwnedBytes(ReadOnlyMemory<byte> bytes, string description) => new MemoryContent(bytes, description, true);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    private sealed class MemoryContent(ReadOnlyMemory<byte> bytes, string description, bool owned) : TftpContent
    {
        public override long Length => bytes.Length;

        public override long BufferedBytes => owned ? bytes.Length : 0;

        public override string Description => description;

        public override int Read(long offset, Span<byte> destination)
        {
            if (offset >= bytes.Length)
            {
                return 0;
            }

            var slice = bytes.Span[(int)offset..];
            var n = Math.Min(slice.Length, destination.Length);
            slice[..n].CopyTo(destination);
            return n;
        }
    }
}
