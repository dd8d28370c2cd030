using System.Net;
using System.Text;
using AsteriskCiscoBridge.Tftp.Files;

namespace AsteriskCiscoBridge.Tftp.Tests.Files;

public sealed class InMemoryFileSourceTests
{
    private static readonly IPEndPoint Any = new(IPAddress.Loopback, 1);

    private static async Task<string?> ReadAsync(InMemoryFileSource source, string name)
    {
        var lookup = await source.LookupAsync(new TftpFileRequest(name, Any, Any), TestContext.Current.CancellationToken);
        if (lookup.Status != TftpLookupStatus.Found)
        {
            return null;
        }

        using var content = lookup.Content!;
        var buffer = new byte[content.Length];
        content.Read(0, buffer);
        return Encoding.ASCII.GetString(buffer);
    }

    private static KeyValuePair<string, ReadOnlyMemory<byte>> File(string name, string text) => new(name, Encoding.ASCII.GetBytes(text));

    [Fact]
    public async Task Lookup_matches_exactly_first_then_in_any_case()
    {
        var source = new InMemoryFileSource("store");
        source.Replace([File("SEP001122334455.cnf.xml", "upper"), File("Ringlist.xml", "ring")]);

        Assert.Equal("upper", await ReadAsync(source, "sep001122334455.cnf.xml"));
        Assert.Equal("upper", await ReadAsync(source, "SEP001122334455.CNF.XML"));
        Assert.Equal("ring", await ReadAsync(source, "RINGLIST.xml"));
        Assert.Null(await ReadAsync(source, "SEP001122334466.cnf.xml"));
    }

    [Fact]
    public async Task Replace_swaps_the_whole_snapshot_while_open_contents_keep_their_bytes()
    {
        var source = new InMemoryFileSource("store");
        source.Replace([File("a", "old")]);
        var open = (await source.LookupAsync(new TftpFileRequest("a", Any, Any), TestContext.Current.CancellationToken)).Content!;

        source.Replace([File("b", "new")]);

        var buffer = new byte[3];
        open.Read(0, buffer);
        Assert.Equal("old", Encoding.ASCII.GetString(buffer));
        Assert.Null(await ReadAsync(source, "a"));
        Assert.Equal("new", await ReadAsync(source, "b"));
    }
}
