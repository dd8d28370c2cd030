using System.Runtime.InteropServices;
using AsteriskCiscoBridge.Tftp.Server;

namespace AsteriskCiscoBridge.Tftp.Files;

/// <summary>Limits of a <see cref="DirectoryFileSource"/>'s shared content cache.</summary>
/// <param name="CacheMaxFileBytes">Files up to this size are read once into memory and shared by every transfer of the same version; larger files are streamed.</param>
/// <param name="CacheBudgetBytes">Total bytes the cache may hold; unused entries are evicted oldest first.</param>
public sealed record DirectoryFileSourceOptions(long CacheMaxFileBytes = 16 << 20, long CacheBudgetBytes = 128 << 20);

/// <summary>
/// A folder on disk, served read-only and confined to it. Names are matched exactly first,
/// then case-insensitively per path segment. The resolved file must be a regular file whose
/// real path (symlinks resolved) lies inside the folder. Small files are served from a shared
/// in-memory copy of the version that was current when the transfer began, so a file replaced
/// or rewritten while phones read it never reaches them torn.
/// </summary>
public sealed class DirectoryFileSource : ITftpFileSource, IDisposable
{
    private readonly string _root;
    private readonly string _rootPrefix;
    private readonly DirectoryFileSourceOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Listing> _listings = new(StringComparer.Ordinal);
    private readonly Dictionary<(uint, uint, ulong), CacheEntry> _cache = [];
    private long _cachedBytes;
    private long _useCounter;

    public DirectoryFileSource(string root, DirectoryFileSourceOptions? options = null)
    {
        var full = Path.GetFullPath(root);
        _root = LinuxNative.RealPath(full) ?? throw new DirectoryNotFoundException($"TFTP root '{root}' does not exist");
        if (LinuxNative.StatPath(_root, out var stat) != 0 || !stat.IsDirectory)
        {
            throw new DirectoryNotFoundException($"TFTP root '{root}' is not a directory");
        }

        // The trailing separator matters: root /srv/tftp must not admit /srv/tftp2.
        _rootPrefix = _root.EndsWith('/') ? _root : _root + "/";
        _options = options ?? new DirectoryFileSourceOptions();
    }

    public string Name => $"disk:{_root}";

    /// <summary>The folder's real path.</summary>
    public string Root => _root;

    /// <summary>Bytes held by the content cache now.</summary>
    public long CachedBytes
    {
        get
        {
            lock (_gate)
            {
                return _cachedBytes;
            }
        }
    }

    public ValueTask<TftpLookup> LookupAsync(TftpFileRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Lookup(request.Path));

    /// <summary>Resolves and opens <paramref name="relativePath"/> (already normalised by <see cref="Protocol.TftpPath"/>).</summary>
    public TftpLookup Lookup(string relativePath)
    {
        var resolved = Resolve(relativePath);
        if (resolved is null)
        {
            return TftpLookup.NotHere;
        }

        var real = LinuxNative.RealPath(resolved);
        if (real is null)
        {
            return TftpLookup.NotHere;
        }

        if (!real.StartsWith(_rootPrefix, StringComparison.Ordinal))
        {
            return TftpLookup.Denied("resolves outside the TFTP root");
        }

        // O_NONBLOCK: a FIFO must not stall the server; O_NOFOLLOW: the real path has no links,
        // so a link appearing now is a swap we refuse.
        var fd = LinuxNative.openat(LinuxNative.AT_FDCWD, real, LinuxNative.O_RDONLY | LinuxNative.O_NONBLOCK | LinuxNative.O_NOFOLLOW | LinuxNative.O_CLOEXEC, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is 13 or 1 or 40
                ? TftpLookup.Denied("not readable by the server")
                : TftpLookup.NotHere;
        }

        if (LinuxNative.StatFd(fd, out var stat) != 0 || !stat.IsRegular)
        {
            LinuxNative.close(fd);
            return TftpLookup.Denied("not a regular file");
        }

        return TftpLookup.Found(OpenContent(fd, stat, real));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _cache.Clear();
            _listings.Clear();
            _cachedBytes = 0;
        }
    }

    private TftpContent OpenContent(int fd, LinuxNative.FileStat stat, string real)
    {
        var key = (stat.DevMajor, stat.DevMinor, stat.Inode);
        lock (_gate)
        {
            if (_cache.TryGetValue(key, out var entry) && entry.Matches(stat))
            {
                LinuxNative.close(fd);
                return entry.Rent(real, ++_useCounter);
            }
        }

        // Only a file the cache can take is read into memory; any other is read from its descriptor
        // as the transfer goes, so no transfer holds a copy of its own (with the cache full of files in
        // use, every transfer of another file used to read one: hundreds of phones, hundreds of copies).
        if (stat.Size <= _options.CacheMaxFileBytes && HasRoomFor(key, stat.Size) && TryReadWhole(fd, stat, out var bytes))
        {
            lock (_gate)
            {
                if (_cache.TryGetValue(key, out var stale) && stale.Users == 0)
                {
                    Remove(key, stale);
                }

                if (!_cache.ContainsKey(key) && MakeRoom(bytes.Length))
                {
                    var entry = new CacheEntry(this, key, stat, bytes);
                    _cache[key] = entry;
                    _cachedBytes += bytes.Length;
                    LinuxNative.close(fd);
                    return entry.Rent(real, ++_useCounter);
                }
            }
        }

        return new StreamingContent(fd, stat, real);
    }

    // Whether a file of `size` bytes would find a place: not while an older version of it is still
    // being served from the cache, and only within the budget once unused entries are evicted.
    private bool HasRoomFor((uint, uint, ulong) key, long size)
    {
        lock (_gate)
        {
            if (_cache.TryGetValue(key, out var older) && older.Users > 0)
            {
                return false;
            }

            var evictable = _cache.Values.Where(e => e.Users == 0).Sum(e => (long)e.Bytes.Length);
            return size <= _options.CacheBudgetBytes - _cachedBytes + evictable;
        }
    }

    private static unsafe bool TryReadWhole(int fd, LinuxNative.FileStat stat, out byte[] bytes)
    {
        bytes = GC.AllocateUninitializedArray<byte>((int)stat.Size);
        long done = 0;
        fixed (byte* p = bytes)
        {
            while (done < bytes.Length)
            {
                var n = LinuxNative.pread(fd, p + done, (nint)(bytes.Length - done), done);
                if (n <= 0)
                {
                    return false;
                }

                done += n;
            }
        }

        // The file may have been rewritten while we read it: only a stable read is shared.
        return LinuxNative.StatFd(fd, out var after) == 0 && after.Size == stat.Size && after.MtimeNs == stat.MtimeNs && after.CtimeNs == stat.CtimeNs;
    }

    // Called under _gate.
    private bool MakeRoom(long size)
    {
        if (size > _options.CacheBudgetBytes)
        {
            return false;
        }

        while (_cachedBytes + size > _options.CacheBudgetBytes)
        {
            var victim = _cache.Values.Where(e => e.Users == 0).MinBy(e => e.LastUse);
            if (victim is null)
            {
                return false;
            }

            Remove(victim.Key, victim);
        }

        return true;
    }

    // Called under _gate.
    private void Remove((uint, uint, ulong) key, CacheEntry entry)
    {
        if (_cache.Remove(key))
        {
            _cachedBytes -= entry.Bytes.Length;
        }
    }

    private string? Resolve(string relativePath)
    {
        var current = _root;
        foreach (var segment in relativePath.Split('/'))
        {
            var exact = Path.Join(current, segment);
            if (LinuxNative.StatPath(exact, out _) == 0)
            {
                current = exact;
                continue;
            }

            var match = FindFolded(current, segment);
            if (match is null)
            {
                return null;
            }

            current = Path.Join(current, match);
        }

        return current;
    }

    private string? FindFolded(string directory, string segment)
    {
        if (LinuxNative.StatPath(directory, out var stat) != 0 || !stat.IsDirectory)
        {
            return null;
        }

        lock (_gate)
        {
            if (!_listings.TryGetValue(directory, out var listing) || listing.MtimeNs != stat.MtimeNs || listing.CtimeNs != stat.CtimeNs)
            {
                var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                try
                {
                    // Ordinal order makes the choice between names differing only in case stable.
                    foreach (var entry in Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal))
                    {
                        names.TryAdd(entry!, entry!);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return null;
                }

                listing = new Listing(stat.MtimeNs, stat.CtimeNs, names);
                _listings[directory] = listing;
            }

            return listing.Names.GetValueOrDefault(segment);
        }
    }

    private sealed record Listing(long MtimeNs, long CtimeNs, Dictionary<string, string> Names);

    private sealed class CacheEntry(DirectoryFileSource owner, (uint, uint, ulong) key, LinuxNative.FileStat stat, byte[] bytes)
    {
        public (uint, uint, ulong) Key => key;

        public byte[] Bytes => bytes;

        public int Users { get; private set; }

        public long LastUse { get; private set; }

        public bool Matches(LinuxNative.FileStat other) =>
            other.Size == stat.Size && other.MtimeNs == stat.MtimeNs && other.CtimeNs == stat.CtimeNs;

        // Called under the owner's lock.
        public TftpContent Rent(string description, long use)
        {
            Users++;
            LastUse = use;
            return new Rented(this, description);
        }

        private void Return()
        {
            lock (owner._gate)
            {
                Users--;
            }
        }

        private sealed class Rented(CacheEntry entry, string description) : TftpContent
        {
            private int _returned;

            public override long Length => entry.Bytes.Length;

            public override string Description => description;

            public override int Read(long offset, Span<byte> destination)
            {
                var bytes = entry.Bytes;
                if (offset >= bytes.Length)
                {
                    return 0;
                }

                var n = (int)Math.Min(bytes.Length - offset, destination.Length);
                bytes.AsSpan((int)offset, n).CopyTo(destination);
                return n;
            }

            protected override void Dispose(bool disposing)
            {
                if (Interlocked.Exchange(ref _returned, 1) == 0)
                {
                    entry.Return();
                }
            }
        }
    }

    /// <summary>
    /// A large file read in place. The open descriptor keeps the version that was current at
    /// open even if the file is replaced by rename; a rewrite in place is detected (size and
    /// modification time are checked every 64 KiB and before the last block; not the change
    /// time, which an unlink by rename also moves) and ends the transfer
    /// with an error instead of sending a mix of versions.
    /// </summary>
    private sealed class StreamingContent(int fd, LinuxNative.FileStat stat, string description) : TftpContent
    {
        private const long CheckInterval = 64 * 1024;
        private long _nextCheck = CheckInterval;
        private int _fd = fd;

        public override long Length => stat.Size;

        public override string Description => description;

        public override unsafe int Read(long offset, Span<byte> destination)
        {
            var want = (int)Math.Clamp(stat.Size - offset, 0, destination.Length);
            if (offset + want >= _nextCheck || offset + want == stat.Size)
            {
                _nextCheck = offset + want + CheckInterval;
                if (LinuxNative.StatFd(_fd, out var now) != 0 || now.Size != stat.Size || now.MtimeNs != stat.MtimeNs)
                {
                    throw new IOException("file changed during the transfer");
                }
            }

            var done = 0;
            fixed (byte* p = destination)
            {
                while (done < want)
                {
                    var n = LinuxNative.pread(_fd, p + done, want - done, offset + done);
                    if (n <= 0)
                    {
                        throw new IOException("file shrank during the transfer");
                    }

                    done += (int)n;
                }
            }

            return done;
        }

        protected override void Dispose(bool disposing)
        {
            var fd = Interlocked.Exchange(ref _fd, -1);
            if (fd >= 0)
            {
                LinuxNative.close(fd);
            }
        }
    }
}
