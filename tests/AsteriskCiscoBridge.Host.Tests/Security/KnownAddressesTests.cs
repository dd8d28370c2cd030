using System.Net;
using AsteriskCiscoBridge.Host.Tests.Support;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Security;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Tests.Security;

public sealed class KnownAddressesTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("0011223344AA").Mac!.Value;

    [Theory]
    [InlineData("sip:6001@127.0.0.1:5070;transport=udp", "127.0.0.1")]
    [InlineData("sip:6006@127.0.0.1:5072", "127.0.0.1")]
    [InlineData("sip:6001@192.0.2.50", "192.0.2.50")]
    [InlineData("sips:6001@[2001:db8::5]:5061;transport=tls", "2001:db8::5")]
    [InlineData("<sip:6001@10.1.1.1:5060>", "10.1.1.1")]
    [InlineData("sip:6001@phone.example.net:5060", null)]
    [InlineData("", null)]
    [InlineData("garbage", null)]
    [InlineData("sip:[::1", null)]
    public void ContactAddress_reads_the_host_of_a_contact_uri_when_it_is_an_address(string uri, string? expected)
    {
        Assert.Equal(expected, KnownAddresses.ContactAddress(uri)?.ToString());
    }

    [Fact]
    public void Update_pins_to_the_contact_follows_a_move_and_forgets_unbound_phones()
    {
        var addresses = new KnownAddresses();
        var bindings = new Dictionary<MacAddress, IReadOnlyList<BindingRow>> { [Mac] = [new BindingRow { Position = 1, Endpoint = "6001" }] };
        Assert.True(addresses.LearnIfNew(Mac, IPAddress.Parse("10.0.0.5")));
        Assert.False(addresses.LearnIfNew(Mac, IPAddress.Parse("10.0.0.6")));

        var moved = addresses.Update(TestEndpoints.Snapshot(TestEndpoints.Plain("6001", contacts: "sip:6001@10.0.0.9:5060")), bindings);

        Assert.Equal([(Mac, IPAddress.Parse("10.0.0.5"), IPAddress.Parse("10.0.0.9"))], moved);
        Assert.Equal(IPAddress.Parse("10.0.0.9"), addresses.AddressOf(Mac));
        Assert.True(addresses.IsKnownAddress(IPAddress.Parse("10.0.0.9")));
        Assert.False(addresses.IsKnownAddress(IPAddress.Parse("10.0.0.5")));
        Assert.Equal(new AddressCheck(true, IPAddress.Parse("10.0.0.9")), addresses.Check(Mac, IPAddress.Parse("10.0.0.5")));
        Assert.False(addresses.Check(Mac, IPAddress.Parse("10.0.0.9")).Mismatch);

        addresses.Update(TestEndpoints.Snapshot(TestEndpoints.Plain("6001", contacts: "sip:6001@10.0.0.9:5060")), new Dictionary<MacAddress, IReadOnlyList<BindingRow>>());

        Assert.Null(addresses.AddressOf(Mac));
        Assert.False(addresses.IsKnownAddress(IPAddress.Parse("10.0.0.9")));
    }

    [Fact]
    public void A_phone_without_a_registered_contact_keeps_the_pin_from_its_requests()
    {
        var addresses = new KnownAddresses();
        addresses.LearnIfNew(Mac, IPAddress.Parse("10.0.0.5"));

        addresses.Update(TestEndpoints.Snapshot(TestEndpoints.Plain("6001")), new Dictionary<MacAddress, IReadOnlyList<BindingRow>> { [Mac] = [new BindingRow { Position = 1, Endpoint = "6001" }] });

        Assert.Equal(IPAddress.Parse("10.0.0.5"), addresses.AddressOf(Mac));
    }
}
