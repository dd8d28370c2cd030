using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Services.Configuration;

namespace AsteriskCiscoBridge.Host.Tests.Configuration;

public sealed class ListenAddressesTests
{
    [Theory]
    [InlineData("0.0.0.0:6970", "0.0.0.0:6970")]
    [InlineData(" 127.0.0.1:0 ", "127.0.0.1:0")]
    [InlineData("[::]:69", "[::]:69")]
    [InlineData("[::1]:6980", "[::1]:6980")]
    public void An_address_with_its_port_is_read(string text, string endPoint)
    {
        Assert.True(ListenAddresses.TryParse(text, out var parsed));
        Assert.Equal(endPoint, parsed.ToString());
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1:6970")]
    [InlineData("localhost:6970")]
    [InlineData("0.0.0.0:70000")]
    [InlineData("")]
    public void An_address_without_a_written_port_or_brackets_around_ipv6_is_refused(string text) =>
        Assert.False(ListenAddresses.TryParse(text, out _));

    [Fact]
    public void A_bad_address_is_named_with_its_key()
    {
        var configuration = AcbConfiguration.Build(null, new Dictionary<string, string?> { ["Http:Listen"] = "127.0.0.1" });

        Assert.False(ListenAddresses.TryRead(configuration, "Http:Listen", ["0.0.0.0:6970"], "0.0.0.0:6970", out _, out var error));
        Assert.Equal("Http:Listen '127.0.0.1' is not ADDR:PORT (e.g. 0.0.0.0:6970)", error);
    }
}
