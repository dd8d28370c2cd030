using System.Net;
using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Tftp.Files;

namespace AsteriskCiscoBridge.Host.Tests.Files;

public sealed class LocalAddressFileSourceTests
{
    private static readonly IPEndPoint Phone = new(IPAddress.Parse("192.0.2.50"), 50000);
    private static readonly string Marked = $"proxy1_address: \"{SipServer.RequestLocalHost}\"\nproxy2_address: \"{SipServer.RequestLocalHost}\"\n";

    private static InMemoryFileSource Store(string name, string text)
    {
        var store = new InMemoryFileSource("store");
        store.Replace([new(name, Encoding.ASCII.GetBytes(text))]);
        return store;
    }

    private static async Task<(TftpLookup Lookup, string Text)> AskAsync(ITftpFileSource source, string name, IPAddress local)
    {
        var lookup = await source.LookupAsync(new TftpFileRequest(name, Phone, new IPEndPoint(local, 69)), TestContext.Current.CancellationToken);
        using var content = lookup.Content!;
        var bytes = new byte[content.Length];
        Assert.Equal(bytes.Length, content.Read(0, bytes));
        return (lookup, Encoding.ASCII.GetString(bytes));
    }

    [Theory]
    [InlineData("192.0.2.10")]
    [InlineData("::ffff:10.1.2.3")]
    public async Task Lookup_fills_in_the_address_the_request_arrived_on_with_the_length_of_the_bytes_served(string local)
    {
        var source = new LocalAddressFileSource(Store("SIP001122AABBCC.cnf", Marked), IPAddress.Parse("198.51.100.1"));
        var expected = IPAddress.Parse(local).MapToIPv4().ToString();

        var (lookup, text) = await AskAsync(source, "sip001122aabbcc.cnf", IPAddress.Parse(local));

        Assert.Equal(TftpLookupStatus.Found, lookup.Status);
        Assert.Equal($"proxy1_address: \"{expected}\"\nproxy2_address: \"{expected}\"\n", text);
        Assert.Contains($"Asterisk address {expected} (the address the request reached)", lookup.Content!.Description, StringComparison.Ordinal);
        Assert.Equal("store", source.Name);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("2001:db8::1")]
    public async Task Lookup_without_a_usable_local_address_uses_the_fallback(string local)
    {
        var source = new LocalAddressFileSource(Store("SIP001122AABBCC.cnf", Marked), IPAddress.Parse("198.51.100.1"));

        var (lookup, text) = await AskAsync(source, "SIP001122AABBCC.cnf", IPAddress.Parse(local));

        Assert.DoesNotContain(SipServer.RequestLocalHost, text, StringComparison.Ordinal);
        Assert.Contains("proxy1_address: \"198.51.100.1\"", text, StringComparison.Ordinal);
        Assert.Contains("default-route address", lookup.Content!.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_without_any_address_serves_the_stored_bytes_whose_name_never_resolves()
    {
        var source = new LocalAddressFileSource(Store("SIP001122AABBCC.cnf", Marked), fallback: null);

        var (_, text) = await AskAsync(source, "SIP001122AABBCC.cnf", IPAddress.Any);

        Assert.Equal(Marked, text);
    }

    [Fact]
    public async Task Lookup_of_a_file_without_the_marker_or_of_no_file_passes_through()
    {
        var store = Store("dialplan.xml", "<DIALTEMPLATE/>\n");
        var source = new LocalAddressFileSource(store, IPAddress.Parse("198.51.100.1"));

        var (lookup, text) = await AskAsync(source, "dialplan.xml", IPAddress.Parse("192.0.2.10"));
        var missing = await source.LookupAsync(new TftpFileRequest("nothing.cnf", Phone, new IPEndPoint(IPAddress.Loopback, 69)), TestContext.Current.CancellationToken);

        Assert.Equal("<DIALTEMPLATE/>\n", text);
        Assert.Equal("store: dialplan.xml", lookup.Content!.Description);
        Assert.Equal(TftpLookupStatus.NotHere, missing.Status);
    }

    [Fact]
    public void Replace_handles_markers_at_the_edges_and_side_by_side()
    {
        var m = SipServer.RequestLocalHost;

        var replaced = LocalAddressFileSource.Replace(Encoding.ASCII.GetBytes($"{m}{m}:x:{m}"), IPAddress.Parse("10.0.0.5"));

        Assert.Equal("10.0.0.510.0.0.5:x:10.0.0.5", Encoding.ASCII.GetString(replaced));
    }
}
