using System.Runtime.InteropServices;

namespace AsteriskCiscoBridge.Tftp.Server;

/// <summary>
/// The few Linux system calls the event loop makes directly: epoll, eventfd, recvfrom/sendto on
/// non-blocking sockets, recvmsg for the destination address of a request, and open/statx/pread
/// for files that must not block (FIFOs) or be followed (symlinks). Going under
/// <see cref="System.Net.Sockets.Socket"/> here is what lets one thread serve a boot storm
/// without an allocation or a thread hop per packet.
/// </summary>
internal static unsafe partial class LinuxNative
{
    public const int EAGAIN = 11;
    public const int EINTR = 4;
    public const int EPOLLIN = 0x001;
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800;
    public const int EFD_CLOEXEC = 0x80000;
    public const int MSG_DONTWAIT = 0x40;
    public const int SOL_SOCKET = 1;
    public const int SO_RCVBUF = 8;
    public const int SO_RCVBUFFORCE = 33;
    public const int SO_SNDBUF = 7;
    public const int SO_SNDBUFFORCE = 32;
    public const int O_RDONLY = 0;
    public const int O_NONBLOCK = 0x800;
    public const int O_NOFOLLOW = 0x20000;
    public const int O_CLOEXEC = 0x80000;
    public const int AT_EMPTY_PATH = 0x1000;
    public const int AT_FDCWD = -100;
    public const uint STATX_BASIC = 0x7ff;
    public const int S_IFMT = 0xF000;
    public const int S_IFREG = 0x8000;
    public const int S_IFDIR = 0x4000;

    // x86-64 packs epoll_event (12 bytes); every other Linux ABI aligns it (16 bytes).
    public static readonly bool PackedEpollEvent = RuntimeInformation.ProcessArchitecture == Architecture.X64;

    public static int EpollEventSize => PackedEpollEvent ? 12 : 16;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int eventfd(uint initval, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint read(int fd, byte* buf, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(int fd, byte* buf, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recvfrom(int fd, byte* buf, nint len, int flags, byte* addr, int* addrlen);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint sendto(int fd, byte* buf, nint len, int flags, byte* addr, int addrlen);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recvmsg(int fd, MsgHdr* msg, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint sendmsg(int fd, MsgHdr* msg, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int getsockopt(int fd, int level, int optname, int* optval, int* optlen);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int optname, int* optval, int optlen);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int openat(int dirfd, string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statx(int dirfd, string path, int flags, uint mask, byte* statxbuf);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint pread(int fd, byte* buf, nint count, long offset);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint realpath(string path, byte* resolved);

    [LibraryImport("libc")]
    public static partial void free(nint ptr);

    public static void WriteEpollEvent(byte* ev, uint events, ulong data)
    {
        *(uint*)ev = events;
        *(ulong*)(ev + (PackedEpollEvent ? 4 : 8)) = data;
    }

    public static (uint Events, ulong Data) ReadEpollEvent(byte* events, int index)
    {
        var ev = events + (index * EpollEventSize);
        return (*(uint*)ev, *(ulong*)(ev + (PackedEpollEvent ? 4 : 8)));
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public byte* Base;
        public nint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public byte* Name;
        public int NameLength;
        public IoVec* Iov;
        public nint IovLength;
        public byte* Control;
        public nint ControlLength;
        public int Flags;
    }

    /// <summary>The fields of struct statx we use (its layout is the same on every architecture).</summary>
    public readonly record struct FileStat(int Mode, long Size, ulong Inode, uint DevMajor, uint DevMinor, long MtimeNs, long CtimeNs)
    {
        public bool IsRegular => (Mode & S_IFMT) == S_IFREG;

        public bool IsDirectory => (Mode & S_IFMT) == S_IFDIR;
    }

    public static int StatFd(int fd, out FileStat stat) => Statx(fd, string.Empty, AT_EMPTY_PATH, out stat);

    public static int StatPath(string path, out FileStat stat) => Statx(AT_FDCWD, path, 0, out stat);

    private static int Statx(int dirfd, string path, int flags, out FileStat stat)
    {
        var buf = stackalloc byte[256];
        var rc = statx(dirfd, path, flags, STATX_BASIC, buf);
        if (rc != 0)
        {
            stat = default;
            return Marshal.GetLastPInvokeError();
        }

        static long Ns(byte* ts) => (*(long*)ts * 1_000_000_000L) + *(uint*)(ts + 8);
        stat = new FileStat(
            *(ushort*)(buf + 0x1C),
            *(long*)(buf + 0x28),
            *(ulong*)(buf + 0x20),
            *(uint*)(buf + 0x88),
            *(uint*)(buf + 0x8C),
            Ns(buf + 0x70),
            Ns(buf + 0x60));
        return 0;
    }

    public static string? RealPath(string path)
    {
        var p = realpath(path, null);
        if (p == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(p);
        }
        finally
        {
            free(p);
        }
    }
}
