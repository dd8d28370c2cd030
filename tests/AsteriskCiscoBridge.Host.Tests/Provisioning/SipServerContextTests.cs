using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Host.Tests.Support;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Testing.Support;
using Microsoft.Extensions.Logging.Testing;

namespace AsteriskCiscoBridge.Host.Tests.Provisioning;

public sealed class SipServerContextTests
{
    private static readonly PjsipTransport Loopback5160 = new("transport-udp", "udp", "127.0.0.1", 5160, null, null, PjsipTransportSource.TransportDetail);

    private static PjsipEndpoint On(PjsipTransport? transport, PjsipTransportChoice choice = PjsipTransportChoice.Explicit, string name = "6001") =>
        TestEndpoints.Plain(name) with { SipTransport = transport, TransportChoice = transport is null ? PjsipTransportChoice.None : choice };

    [Fact]
    public void LineOf_points_the_line_at_its_endpoints_transport()
    {
        var servers = new SipServerContext(SipServerOverrides.None, "127.0.0.1");

        var line = EndpointProvisioner.LineOf(On(Loopback5160), servers)!;

        Assert.Equal(SipServer.RequestLocalHost, line.Server!.Host);
        Assert.Equal((5160, SipTransportProtocol.Udp), (line.Server.Port, line.Server.Protocol));
        Assert.Equal(("6001", "pw"), (line.Extension, line.Password));
    }

    [Fact]
    public void LineOf_site_settings_set_by_the_admin_win_over_the_transport()
    {
        var servers = new SipServerContext(new SipServerOverrides("pbx.example.net", 5070), "127.0.0.1");

        var line = EndpointProvisioner.LineOf(On(Loopback5160 with { Protocol = "tcp" }), servers)!;

        Assert.Equal(new SipServer("pbx.example.net", 5070, SipTransportProtocol.Tcp, "Site:AsteriskHost; port from Site:AsteriskPort"), line.Server);
    }

    [Fact]
    public void LineOf_an_endpoint_that_cannot_be_provisioned_gives_no_line()
    {
        Assert.Null(EndpointProvisioner.LineOf(TestEndpoints.Plain("6005", password: null), new SipServerContext(SipServerOverrides.None, null)));
    }

    [Fact]
    public void For_says_the_site_default_at_start_and_each_transports_decision_once_until_it_changes()
    {
        using var logs = new FakeLoggerProvider();
        var servers = new SipServerContext(SipServerOverrides.None, "192.168.10.5", new FakeLogger<SipServerContext>(logs.Collector));

        servers.For(On(Loopback5160));
        servers.For(On(Loopback5160, name: "6002"));
        servers.For(On(Loopback5160, PjsipTransportChoice.FirstOfProtocol, "6003"));
        servers.For(On(Loopback5160 with { BindHost = "10.0.0.5" }));
        servers.For(On(null));

        Assert.Equal(
        [
            "Phones are pointed at 192.168.10.5:5060/udp from Ami:Host; port from the SIP default (no transport known) until an endpoint's transport says otherwise",
            "Phones of endpoints on transport transport-udp are pointed at 192.168.10.5:5160/udp from Ami:Host (bind 127.0.0.1 is loopback); port from transport 'transport-udp' (bind)",
            "Phones of endpoints on transport transport-udp are pointed at 192.168.10.5:5160/udp from Ami:Host (bind 127.0.0.1 is loopback); port from transport 'transport-udp' (bind); the endpoint names no transport: Asterisk's first udp transport",
            "Phones of endpoints on transport transport-udp are pointed at 10.0.0.5:5160/udp from transport 'transport-udp' (bind)",
            "Phones of endpoints on transport (none known) are pointed at 192.168.10.5:5060/udp from Ami:Host; port from the SIP default (no transport known)",
        ],
        logs.Collector.GetSnapshot().Select(l => l.Message));
    }
}
