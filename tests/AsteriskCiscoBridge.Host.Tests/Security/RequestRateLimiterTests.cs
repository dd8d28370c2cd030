using System.Net;
using AsteriskCiscoBridge.Services.Security;

namespace AsteriskCiscoBridge.Host.Tests.Security;

public sealed class RequestRateLimiterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Flooder = IPAddress.Parse("10.0.0.66");
    private static readonly IPAddress Phone = IPAddress.Parse("10.0.0.7");

    [Fact]
    public void A_burst_is_served_then_refused_with_one_alarm_and_served_again_as_tokens_refill()
    {
        var limiter = new RequestRateLimiter(new RateLimitOptions { RequestsPerSecond = 2, Burst = 5 });

        var burst = Enumerable.Range(0, 5).Select(_ => limiter.Decide(Flooder, T0).Allowed).ToArray();
        var over = limiter.Decide(Flooder, T0);
        var stillOver = limiter.Decide(Flooder, T0.AddMilliseconds(100));
        var refilled = limiter.Decide(Flooder, T0.AddMilliseconds(600));
        var empty = limiter.Decide(Flooder, T0.AddMilliseconds(600));

        Assert.All(burst, Assert.True);
        Assert.Equal((false, true), (over.Allowed, over.Alarm));
        Assert.Equal((false, false), (stillOver.Allowed, stillOver.Alarm));
        Assert.True(refilled.Allowed);
        Assert.Equal((false, true), (empty.Allowed, empty.Alarm));
    }

    [Fact]
    public void One_address_over_its_limit_does_not_touch_another()
    {
        var limiter = new RequestRateLimiter(new RateLimitOptions { RequestsPerSecond = 1, Burst = 3 });
        for (var i = 0; i < 10; i++)
        {
            limiter.Decide(Flooder, T0);
        }

        Assert.All(Enumerable.Range(0, 3), _ => Assert.True(limiter.Decide(Phone, T0).Allowed));
    }

    [Fact]
    public void Zero_requests_per_second_turns_the_limit_off()
    {
        var limiter = new RequestRateLimiter(new RateLimitOptions { RequestsPerSecond = 0, Burst = 1 });

        Assert.All(Enumerable.Range(0, 100), _ => Assert.True(limiter.Decide(Flooder, T0).Allowed));
    }

    [Fact]
    public void Beyond_the_tracked_addresses_the_least_recent_is_forgotten()
    {
        var limiter = new RequestRateLimiter(new RateLimitOptions { RequestsPerSecond = 0.001, Burst = 1, MaxTrackedAddresses = 2 });
        Assert.True(limiter.Decide(Flooder, T0).Allowed);
        Assert.False(limiter.Decide(Flooder, T0).Allowed);

        limiter.Decide(IPAddress.Parse("10.0.0.1"), T0.AddSeconds(1));
        limiter.Decide(IPAddress.Parse("10.0.0.2"), T0.AddSeconds(2));

        Assert.True(limiter.Decide(Flooder, T0.AddSeconds(3)).Allowed);
    }
}
