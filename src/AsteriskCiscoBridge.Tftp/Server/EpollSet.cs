using System.Runtime.InteropServices;

namespace AsteriskCiscoBridge.Tftp.Server;

/// <summary>
/// The descriptors the event loop waits on: an epoll instance, level-triggered, each descriptor
/// registered with a 64-bit tag the loop dispatches on, plus an eventfd that wakes the wait from
/// another thread (the timer, a lookup that finished, stopping). Linux only.
/// </summary>
internal sealed unsafe class EpollSet : IDisposable
{
    /// <summary>The tag the wake descriptor is registered with.</summary>
    public const ulong WakeTag = 0;

    private int _epoll;
    private int _wake;

    public EpollSet()
    {
        _epoll = LinuxNative.epoll_create1(LinuxNative.EPOLL_CLOEXEC);
        _wake = LinuxNative.eventfd(0, LinuxNative.EFD_NONBLOCK | LinuxNative.EFD_CLOEXEC);
        if (_epoll < 0 || _wake < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            Dispose();
            throw new IOException($"epoll/eventfd failed (errno {errno})");
        }

        Add(_wake, WakeTag);
    }

    /// <summary>Watches <paramref name="fd"/> for input, reported with <paramref name="tag"/>.</summary>
    public void Add(int fd, ulong tag)
    {
        var ev = stackalloc byte[16];
        LinuxNative.WriteEpollEvent(ev, LinuxNative.EPOLLIN, tag);
        if (LinuxNative.epoll_ctl(_epoll, LinuxNative.EPOLL_CTL_ADD, fd, ev) != 0)
        {
            throw new IOException($"epoll_ctl failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    /// <summary>Stops watching <paramref name="fd"/> (before it is closed).</summary>
    public void Remove(int fd) => LinuxNative.epoll_ctl(_epoll, LinuxNative.EPOLL_CTL_DEL, fd, null);

    /// <summary>Waits without a timeout for ready descriptors; returns how many, or -1 when interrupted (EINTR).</summary>
    public int Wait(byte* events, int maxEvents)
    {
        var n = LinuxNative.epoll_wait(_epoll, events, maxEvents, -1);
        if (n >= 0)
        {
            return n;
        }

        if (Marshal.GetLastPInvokeError() == LinuxNative.EINTR)
        {
            return -1;
        }

        throw new IOException($"epoll_wait failed (errno {Marshal.GetLastPInvokeError()})");
    }

    /// <summary>Makes the current or next <see cref="Wait"/> return. Safe from any thread; does nothing once disposed.</summary>
    public void Wake()
    {
        var fd = _wake;
        if (fd < 0)
        {
            return;
        }

        ulong one = 1;
        LinuxNative.write(fd, (byte*)&one, sizeof(ulong));
    }

    /// <summary>Resets the wake descriptor after <see cref="WakeTag"/> was reported.</summary>
    public void ClearWake()
    {
        ulong value;
        LinuxNative.read(_wake, (byte*)&value, sizeof(ulong));
    }

    public void Dispose()
    {
        if (_epoll >= 0)
        {
            LinuxNative.close(_epoll);
            _epoll = -1;
        }

        var wake = _wake;
        _wake = -1;
        if (wake >= 0)
        {
            LinuxNative.close(wake);
        }
    }
}
