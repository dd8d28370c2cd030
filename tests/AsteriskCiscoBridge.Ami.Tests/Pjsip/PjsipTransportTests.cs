using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Testing.Ami;

namespace AsteriskCiscoBridge.Ami.Tests.Pjsip;

public sealed class PjsipTransportTests
{
    [Theory]
    [InlineData("127.0.0.1:5060", "127.0.0.1", 5060)]
    [InlineData("10.0.0.5:5160", "10.0.0.5", 5160)]
    [InlineData(" 0.0.0.0 ", "0.0.0.0", null)]
    [InlineData("0.0.0.0:0", "0.0.0.0", null)]
    [InlineData("[::]:5060", "::", 5060)]
    [InlineData("[2001:db8::1]", "2001:db8::1", null)]
    [InlineData("::", "::", null)]
    [InlineData("pbx.example.net:5061", "pbx.example.net", 5061)]
    [InlineData("10.0.0.5:sip", "10.0.0.5", null)]
    [InlineData("10.0.0.5:70000", "10.0.0.5", null)]
    [InlineData("[::1", "::1", null)]
    [InlineData("", "", null)]
    public void SplitBind_takes_the_host_and_the_port_it_names(string bind, string host, int? port)
    {
        Assert.Equal((host, port), PjsipTransport.SplitBind(bind));
    }

    [Fact]
    public void FromDetail_reads_the_recorded_transport_detail()
    {
        var detail = AmiFixtures.ParseMessages(AmiFixtures.Numbered("pjsip-show", "03-", "response")).Single(m => m.EventName == "TransportDetail");

        Assert.Equal(new PjsipTransport("transport-udp", "udp", "127.0.0.1", 5060, null, null, PjsipTransportSource.TransportDetail), PjsipTransport.FromDetail(detail));
    }

    [Theory]
    [InlineData("tls", "0.0.0.0", 5061)]
    [InlineData("TCP", "0.0.0.0", 5060)]
    [InlineData(null, "", 5060)]
    public void FromConfig_a_bind_without_port_listens_where_res_pjsip_does(string? protocol, string bind, int port)
    {
        List<KeyValuePair<string, string>> lines = [new("type", "transport"), new("bind", bind)];
        if (protocol is not null)
        {
            lines.Add(new("protocol", protocol));
        }

        var transport = PjsipTransport.FromConfig(new ConfigCategory("t", [.. lines]));

        Assert.Equal(port, transport.BindPort);
        Assert.Equal(protocol?.ToLowerInvariant() ?? "udp", transport.Protocol);
        Assert.Equal(PjsipTransportSource.Config, transport.Source);
    }

    [Fact]
    public void FromConfig_reads_the_external_signaling_address_and_port()
    {
        var transport = PjsipTransport.FromConfig(new ConfigCategory("nat", [
            new("type", "transport"), new("protocol", "udp"), new("bind", "0.0.0.0:5160"),
            new("external_signaling_address", "203.0.113.7"), new("external_signaling_port", "15160")]));

        Assert.Equal(new PjsipTransport("nat", "udp", "0.0.0.0", 5160, "203.0.113.7", 15160, PjsipTransportSource.Config), transport);
    }
}
