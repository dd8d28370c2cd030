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
    /// Copies bytes starting at <paramref name="offset"/> into <paramref name="destination"/> and
    /// returns how many were copied: fewer than asked only at the end of the content.
    /// Throws <see cref="IOException"/> when the snapshot can no longer be honoured
    /// (the file changed under it); the transfer then ends with an error instead of tearing.
    /// </summary>
    public abstract int Read(long offset, Span<byte> destination);

    /// <summary>Serves a byte array that the caller promises not to change.</summary>
    public static TftpContent FromBytes(ReadOnlyMemory<byte> bytes, string description) => new MemoryContent(bytes, description);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    private sealed class MemoryContent(ReadOnlyMemory<byte> bytes, string description) : TftpContent
    {
        public override long Length => bytes.Length;

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
