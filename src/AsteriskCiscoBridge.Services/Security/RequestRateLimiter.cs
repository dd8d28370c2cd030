using System.Net;

namespace AsteriskCiscoBridge.Services.Security;

/// <summary>Per-address request limit (configuration section <c>Security:RateLimit</c>).</summary>
public sealed class RateLimitOptions
{
    /// <summary>
    /// Requests per second one address may make on average; 0 turns the limit off. Default 10: a
    /// booting 79x1 asks for about twenty files, most of them within its burst.
    /// </summary>
    public double RequestsPerSecond { get; set; } = 10;

    /// <summary>Requests one address may make at once before the average applies. Default 50.</summary>
    public int Burst { get; set; } = 50;

    /// <summary>Addresses tracked at once; the least recently seen are forgotten beyond it. Default 10,000.</summary>
    public int MaxTrackedAddresses { get; set; } = 10_000;

    public bool Enabled => RequestsPerSecond > 0 && Burst > 0;
}

/// <summary>What the limiter decided for one request.</summary>
/// <param name="Allowed">Serve it (false: refuse).</param>
/// <param name="Alarm">True on the first refusal of an episode (the address was within its limit before), so the journal gets one line, not one per request.</param>
/// <param name="Reason">Why it was refused.</param>
public readonly record struct RateDecision(bool Allowed, bool Alarm, string? Reason);

/// <summary>
/// A token bucket per source address: <see cref="RateLimitOptions.Burst"/> requests at once, then
/// <see cref="RateLimitOptions.RequestsPerSecond"/> on average. Per address, because a boot storm
/// is many phones at many addresses each asking a few dozen files (TFTP does not cross NAT in
/// practice: the transfer comes from a new port), while a flood comes from few addresses. Pure:
/// time is a parameter; thread-safe.
/// </summary>
public sealed class RequestRateLimiter(RateLimitOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, Bucket> _buckets = [];

    public RateDecision Decide(IPAddress client, DateTimeOffset now)
    {
        if (!options.Enabled)
        {
            return new RateDecision(true, false, null);
        }

        lock (_gate)
        {
            if (!_buckets.TryGetValue(client, out var bucket))
            {
                if (_buckets.Count >= options.MaxTrackedAddresses)
                {
                    _buckets.Remove(_buckets.MinBy(b => b.Value.Updated).Key);
                }

                bucket = new Bucket { Tokens = options.Burst, Updated = now };
                _buckets[client] = bucket;
            }

            var elapsed = Math.Max(0, (now - bucket.Updated).TotalSeconds);
            bucket.Tokens = Math.Min(options.Burst, bucket.Tokens + (elapsed * options.RequestsPerSecond));
            bucket.Updated = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                bucket.Limited = false;
                return new RateDecision(true, false, null);
            }

            var alarm = !bucket.Limited;
            bucket.Limited = true;
            return new RateDecision(false, alarm, FormattableString.Invariant($"more than {options.Burst} requests at once or {options.RequestsPerSecond:0.##}/s from this address"));
        }
    }

    private sealed class Bucket
    {
        public double Tokens { get; set; }

        public DateTimeOffset Updated { get; set; }

        public bool Limited { get; set; }
    }
}
