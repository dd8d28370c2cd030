using System.Net;
using System.Text.Json;
using AsteriskCiscoBridge.Provisioning.Dhcp;

namespace AsteriskCiscoBridge.Provisioning.Tests.Dhcp;

public sealed class DhcpSnippetsTests
{
    private static readonly IReadOnlyList<IPAddress> Two = [IPAddress.Parse("192.168.1.10"), IPAddress.Parse("192.168.1.11")];

    [Fact]
    public void Option_150_is_big_endian_addresses_with_code_and_length()
    {
        // Spec §5: 192.168.1.1 travels as C0 A8 01 01 (Tftpd32's 0x0101A8C0 is its own artefact).
        Assert.Equal([150, 8, 0xC0, 0xA8, 1, 10, 0xC0, 0xA8, 1, 11], DhcpSnippets.Option150WireBytes(Two));
    }

    [Theory]
    [InlineData("192.168.1.10", 1)]
    [InlineData("192.168.1.10, 192.168.1.11", 2)]
    public void ParseServers_accepts_ipv4_lists(string text, int count)
    {
        Assert.Equal(count, DhcpSnippets.ParseServers(text, out _)!.Count);
    }

    [Theory]
    [InlineData("::1", "not an IPv4 address")]
    [InlineData("pbx.example.net", "not an IPv4 address")]
    [InlineData("10.1", "not an IPv4 address")]
    [InlineData("10.0.0.1,10.0.0.1", "listed twice")]
    [InlineData("", "not an IPv4 address")]
    public void ParseServers_explains_what_is_wrong(string text, string reason)
    {
        Assert.Null(DhcpSnippets.ParseServers(text, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Dnsmasq_lists_every_server_in_150_and_the_first_in_66()
    {
        var text = DhcpSnippets.Render(DhcpFormat.Dnsmasq, Two);

        Assert.Contains("dhcp-option=150,192.168.1.10,192.168.1.11\n", text, StringComparison.Ordinal);
        Assert.Contains("dhcp-option=66,\"192.168.1.10\"\n", text, StringComparison.Ordinal);
        Assert.Contains("96 08 C0 A8 01 0A C0 A8 01 0B", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Isc_defines_option_150_as_an_array_of_addresses()
    {
        var text = DhcpSnippets.Render(DhcpFormat.Isc, Two);

        Assert.Contains("option voip-tftp-server code 150 = array of ip-address;\n", text, StringComparison.Ordinal);
        Assert.Contains("option voip-tftp-server 192.168.1.10, 192.168.1.11;\n", text, StringComparison.Ordinal);
        Assert.Contains("option tftp-server-name \"192.168.1.10\";\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Kea_is_valid_json_defining_and_setting_option_150()
    {
        using var json = JsonDocument.Parse(DhcpSnippets.Render(DhcpFormat.Kea, Two));

        var def = json.RootElement.GetProperty("option-def")[0];
        Assert.Equal(150, def.GetProperty("code").GetInt32());
        Assert.True(def.GetProperty("array").GetBoolean());
        Assert.Equal("ipv4-address", def.GetProperty("type").GetString());
        var data = json.RootElement.GetProperty("option-data");
        Assert.Equal("192.168.1.10, 192.168.1.11", data[0].GetProperty("data").GetString());
        Assert.Equal(66, data[1].GetProperty("code").GetInt32());
    }

    [Fact]
    public void Ios_sets_both_options_in_a_pool()
    {
        var text = DhcpSnippets.Render(DhcpFormat.Ios, Two);

        Assert.Contains("ip dhcp pool VOICE\n option 150 ip 192.168.1.10 192.168.1.11\n option 66 ascii 192.168.1.10\n", text, StringComparison.Ordinal);
    }
}
