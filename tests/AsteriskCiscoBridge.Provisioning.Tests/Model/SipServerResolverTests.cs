using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Tests.Model;

public sealed class SipServerResolverTests
{
    private static readonly SipServerOverrides Unset = SipServerOverrides.None;

    private static SipTransportFacts Udp(string bindHost, int port = 5060) => new("transport-udp", "udp", bindHost, port);

    [Fact]
    public void Resolve_a_transport_bound_to_an_address_points_phones_at_that_address_and_port()
    {
        var server = SipServerResolver.Resolve(Unset, Udp("10.0.0.5", 5160), "127.0.0.1");

        Assert.Equal(new SipServer("10.0.0.5", 5160, SipTransportProtocol.Udp, "transport 'transport-udp' (bind)"), server);
        Assert.Equal("10.0.0.5:5160/udp from transport 'transport-udp' (bind)", server.ToString());
    }

    [Fact]
    public void Resolve_a_wildcard_bind_takes_the_ami_host_and_the_transport_port()
    {
        var server = SipServerResolver.Resolve(Unset, Udp("0.0.0.0", 5160), "192.168.10.5");

        Assert.Equal(("192.168.10.5", 5160), (server.Host, server.Port));
        Assert.Equal("Ami:Host (bind 0.0.0.0 is a wildcard); port from transport 'transport-udp' (bind)", server.Reason);
    }

    [Theory]
    [InlineData("0.0.0.0", "127.0.0.1", "bind 0.0.0.0 is a wildcard, Ami:Host 127.0.0.1 is loopback")]
    [InlineData("", "localhost", "Ami:Host localhost is loopback")]
    [InlineData("127.0.0.1", "::1", "bind 127.0.0.1 is loopback, Ami:Host ::1 is loopback")]
    [InlineData("::", null, "bind :: is a wildcard")]
    [InlineData("2001:db8::5", "2001:db8::6", "bind 2001:db8::5 is IPv6, which 79xx phones do not speak, Ami:Host 2001:db8::6 is IPv6, which 79xx phones do not speak")]
    public void Resolve_with_no_address_a_phone_can_reach_uses_the_address_each_request_arrives_on(string bind, string? amiHost, string why)
    {
        var server = SipServerResolver.Resolve(Unset, Udp(bind, 5160), amiHost);

        Assert.True(server.IsRequestLocal);
        Assert.Equal(SipServer.RequestLocalHost, server.Host);
        Assert.Equal(5160, server.Port);
        Assert.Equal($"the address each phone's request reaches this machine at ({why}); port from transport 'transport-udp' (bind)", server.Reason);
        Assert.StartsWith("<the address each phone reaches this machine at>:5160/udp from ", server.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_the_external_signaling_address_and_port_come_first()
    {
        var transport = new SipTransportFacts("nat", "udp", "10.0.0.5", 5160, "203.0.113.7", 15160);

        var server = SipServerResolver.Resolve(Unset, transport, "10.0.0.5");

        Assert.Equal(new SipServer("203.0.113.7", 15160, SipTransportProtocol.Udp, "transport 'nat' (external_signaling_address)"), server);
    }

    [Fact]
    public void Resolve_an_external_address_without_an_external_port_keeps_the_bind_port()
    {
        var server = SipServerResolver.Resolve(Unset, new SipTransportFacts("nat", "udp", "0.0.0.0", 5160, "pbx.example.net"), null);

        Assert.Equal(("pbx.example.net", 5160), (server.Host, server.Port));
        Assert.Equal("transport 'nat' (external_signaling_address); port from transport 'nat' (bind)", server.Reason);
    }

    [Fact]
    public void Resolve_site_settings_set_by_the_admin_win()
    {
        var transport = new SipTransportFacts("nat", "tcp", "10.0.0.5", 5160, "203.0.113.7", 15160);

        var both = SipServerResolver.Resolve(new SipServerOverrides("pbx.example.net", 6060), transport, "10.0.0.9");
        var hostOnly = SipServerResolver.Resolve(new SipServerOverrides("203.0.113.7", null), transport, null);
        var portOnly = SipServerResolver.Resolve(new SipServerOverrides(null, 6060), transport, null);

        Assert.Equal(new SipServer("pbx.example.net", 6060, SipTransportProtocol.Tcp, "Site:AsteriskHost; port from Site:AsteriskPort"), both);
        Assert.Equal((15160, "Site:AsteriskHost; port from transport 'nat' (external_signaling_port)"), (hostOnly.Port, hostOnly.Reason));
        Assert.Equal(("203.0.113.7", 6060), (portOnly.Host, portOnly.Port));
    }

    [Theory]
    [InlineData("tcp", SipTransportProtocol.Tcp)]
    [InlineData("TLS", SipTransportProtocol.Tls)]
    [InlineData("udp", SipTransportProtocol.Udp)]
    public void Resolve_the_protocol_is_the_transports(string protocol, SipTransportProtocol expected)
    {
        var server = SipServerResolver.Resolve(Unset, new SipTransportFacts("t", protocol, "10.0.0.5", 5061), null);

        Assert.Equal((expected, 5061), (server.Protocol, server.Port));
    }

    [Fact]
    public void Resolve_a_websocket_transport_is_not_for_phones_and_says_so()
    {
        var server = SipServerResolver.Resolve(Unset, new SipTransportFacts("transport-wss", "wss", "10.0.0.5", 8089), "10.0.0.5");

        Assert.Equal(("10.0.0.5", 5060, SipTransportProtocol.Udp), (server.Host, server.Port, server.Protocol));
        Assert.Equal("Ami:Host (transport 'transport-wss' is wss, which Cisco phones do not speak); port from the SIP default", server.Reason);
    }

    [Fact]
    public void Resolve_without_a_transport_uses_the_sip_default_port()
    {
        var server = SipServerResolver.Resolve(Unset, null, "pbx.example.net");

        Assert.Equal(new SipServer("pbx.example.net", 5060, SipTransportProtocol.Udp, "Ami:Host; port from the SIP default (no transport known)"), server);
    }

    [Fact]
    public void Resolve_an_endpoint_naming_no_transport_says_which_one_asterisk_uses()
    {
        var server = SipServerResolver.Resolve(Unset, Udp("10.0.0.5") with { Implicit = true }, null);

        Assert.Equal("transport 'transport-udp' (bind); the endpoint names no transport: Asterisk's first udp transport", server.Reason);
    }

    [Fact]
    public void Resolve_a_host_name_that_is_no_address_is_passed_over()
    {
        var server = SipServerResolver.Resolve(Unset, new SipTransportFacts("t", "udp", "10.0.0.5", 5060, "bad name"), null);

        Assert.Equal("10.0.0.5", server.Host);
        Assert.Equal("transport 't' (bind) (external_signaling_address 'bad name' is not an address); port from transport 't' (bind)", server.Reason);
    }
}
