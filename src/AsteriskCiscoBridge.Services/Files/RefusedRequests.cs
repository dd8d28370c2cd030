using AsteriskCiscoBridge.Provisioning.Requests;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Services.Files;

/// <summary>
/// Where a refused request is counted: the rule of which are only counted is <see cref="RequestRefusal"/>;
/// this gives it a request and says under which address and minute it counts. Pure.
/// </summary>
internal static class RefusedRequests
{
    /// <summary>The kind of refusal a request is counted as, or null when it keeps its own row.</summary>
    public static RefusalKind? KindOf(FileRequest request) => RequestRefusal.KindOf(request.Outcome, request.Source);

    /// <summary>The address a request is counted under: no port (every datagram of a flood may have its own), <c>http:</c> for HTTP.</summary>
    public static string AddressOf(FileRequest request)
    {
        var address = request.Client.Address.IsIPv4MappedToIPv6 ? request.Client.Address.MapToIPv4() : request.Client.Address;
        return request.Protocol == "tftp" ? address.ToString() : $"{request.Protocol}:{address}";
    }

    /// <summary>The start of the minute <paramref name="at"/> falls in, in UTC.</summary>
    public static DateTimeOffset MinuteOf(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
}

/// <summary>
/// Refused requests counted in memory until the recorder writes them (<see cref="Take"/>), per address
/// and minute. Bounded: at most <see cref="MaxAddressesPerMinute"/> addresses of a minute are kept apart
/// (UDP sources are easily forged; the rest are counted together under <see cref="RefusedCount.OtherAddresses"/>),
/// and counts waiting for a store that cannot be written are kept up to <see cref="MaxPending"/> rows.
/// </summary>
internal sealed class RefusedRequestCounts
{
    public const int MaxAddressesPerMinute = 256;

    public const int MaxPending = 4096;

    private readonly Lock _gate = new();
    private readonly Dictionary<DateTimeOffset, HashSet<string>> _apart = [];
    private Dictionary<(DateTimeOffset Minute, string Address), Pending> _pending = [];

    /// <summary>Counts a request; returns true when nothing was waiting before it (the writer may be asleep).</summary>
    public bool Add(FileRequest request, RefusalKind kind)
    {
        var minute = RefusedRequests.MinuteOf(request.At);
        var address = RefusedRequests.AddressOf(request);
        lock (_gate)
        {
            address = Apart(minute, address);
            var wasEmpty = _pending.Count == 0;
            if (!_pending.TryGetValue((minute, address), out var pending))
            {
                _pending[(minute, address)] = pending = new Pending(request.At);
            }

            pending.Add(kind, request.At, request.FileName);
            return wasEmpty;
        }
    }

    /// <summary>Everything counted since the last take, as rows to add to the store.</summary>
    public IReadOnlyList<RefusedCount> Take()
    {
        Dictionary<(DateTimeOffset, string), Pending> taken;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return [];
            }

            taken = _pending;
            _pending = [];
        }

        return [.. taken.Select(p => p.Value.ToCount(p.Key.Item1, p.Key.Item2))];
    }

    /// <summary>Puts back counts whose write failed, so the next write carries them; returns the requests that did not fit (lost).</summary>
    public long Return(IReadOnlyList<RefusedCount> counts)
    {
        long lost = 0;
        lock (_gate)
        {
            foreach (var count in counts)
            {
                if (!_pending.TryGetValue((count.Minute, count.Address), out var pending))
                {
                    if (_pending.Count >= MaxPending)
                    {
                        lost += count.Total;
                        continue;
                    }

                    _pending[(count.Minute, count.Address)] = pending = new Pending(count.FirstAt);
                }

                pending.Merge(count);
            }
        }

        return lost;
    }

    // The minutes tracked are the few the recorder is behind by; older ones are forgotten as new ones begin.
    private string Apart(DateTimeOffset minute, string address)
    {
        if (!_apart.TryGetValue(minute, out var addresses))
        {
            foreach (var old in _apart.Keys.Where(m => m < minute.AddMinutes(-2)).ToArray())
            {
                _apart.Remove(old);
            }

            _apart[minute] = addresses = new HashSet<string>(StringComparer.Ordinal);
        }

        if (addresses.Contains(address))
        {
            return address;
        }

        if (addresses.Count >= MaxAddressesPerMinute)
        {
            return RefusedCount.OtherAddresses;
        }

        addresses.Add(address);
        return address;
    }

    private sealed class Pending(DateTimeOffset firstAt)
    {
        private readonly long[] _counts = new long[4];
        private DateTimeOffset _firstAt = firstAt;
        private DateTimeOffset _lastAt = firstAt;
        private string? _lastFile;

        public void Add(RefusalKind kind, DateTimeOffset at, string fileName)
        {
            _counts[(int)kind]++;
            Seen(at, fileName);
        }

        public void Merge(RefusedCount count)
        {
            _counts[(int)RefusalKind.Malformed] += count.Malformed;
            _counts[(int)RefusalKind.Denied] += count.Denied;
            _counts[(int)RefusalKind.Guarded] += count.Guarded;
            _counts[(int)RefusalKind.Busy] += count.Busy;
            _firstAt = count.FirstAt < _firstAt ? count.FirstAt : _firstAt;
            Seen(count.LastAt, count.LastFile ?? string.Empty);
        }

        public RefusedCount ToCount(DateTimeOffset minute, string address) => new()
        {
            Minute = minute,
            Address = address,
            Malformed = _counts[(int)RefusalKind.Malformed],
            Denied = _counts[(int)RefusalKind.Denied],
            Guarded = _counts[(int)RefusalKind.Guarded],
            Busy = _counts[(int)RefusalKind.Busy],
            FirstAt = _firstAt,
            LastAt = _lastAt,
            LastFile = _lastFile,
        };

        private void Seen(DateTimeOffset at, string fileName)
        {
            _firstAt = at < _firstAt ? at : _firstAt;
            if (at >= _lastAt)
            {
                _lastAt = at;
                if (fileName.Length > 0)
                {
                    // A name from the wire: shortened, and control characters made visible, before it is kept.
                    var name = fileName.Length > RefusedCount.MaxFileLength ? fileName[..RefusedCount.MaxFileLength] : fileName;
                    _lastFile = string.Create(name.Length, name, (span, text) =>
                    {
                        for (var i = 0; i < text.Length; i++)
                        {
                            span[i] = char.IsControl(text[i]) ? '?' : text[i];
                        }
                    });
                }
            }
        }
    }
}
