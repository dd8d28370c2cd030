using AsteriskCiscoBridge.Dashboard;
using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Services.Configuration;

namespace AsteriskCiscoBridge.Host.Tests.Dashboard;

public sealed class DashboardOptionsTests
{
    private static DashboardSettings? Read(params (string Key, string? Value)[] values) =>
        DashboardOptions.Read(AcbConfiguration.Build(null, values.ToDictionary(v => v.Key, v => v.Value)));

    [Fact]
    public void The_default_is_loopback_with_a_random_action_token()
    {
        var a = Read()!;
        var b = Read()!;

        Assert.Equal("127.0.0.1:6980", a.Listen.ToString());
        Assert.True(a.Loopback);
        Assert.False(a.TokenConfigured);
        Assert.Equal(48, a.Token.Length);
        Assert.NotEqual(a.Token, b.Token);
        Assert.DoesNotContain(a.Token, a.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_loopback_listener_without_a_token_refuses_to_start()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Read(("Dashboard:Listen", "0.0.0.0:6980")));

        Assert.Contains("set Dashboard:Token", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_loopback_listener_with_a_token_uses_it_and_a_short_token_is_refused()
    {
        var settings = Read(("Dashboard:Listen", "192.0.2.7:6980"), ("Dashboard:Token", "0123456789abcdef0123"))!;

        Assert.Equal(("0123456789abcdef0123", false, true), (settings.Token, settings.Loopback, settings.TokenConfigured));
        Assert.Throws<InvalidOperationException>(() => Read(("Dashboard:Listen", "192.0.2.7:6980"), ("Dashboard:Token", "short")));
    }

    [Fact]
    public void An_empty_listen_turns_the_dashboard_off_and_a_bad_one_is_refused()
    {
        Assert.Null(Read(("Dashboard:Listen", "")));
        Assert.Throws<InvalidOperationException>(() => Read(("Dashboard:Listen", "127.0.0.1")));
    }

    [Theory]
    [InlineData("secret-token-0123456789", "secret-token-0123456789", true)]
    [InlineData("secret-token-0123456789", "secret-token-0123456780", false)]
    [InlineData("secret", "secret-token-0123456789", false)]
    [InlineData(null, "secret-token-0123456789", false)]
    public void Tokens_match_only_when_equal(string? presented, string expected, bool matches) =>
        Assert.Equal(matches, DashboardAccess.Matches(presented, expected));
}
