using System.Diagnostics;
using System.Text;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Protocol;

namespace AsteriskCiscoBridge.Tftp.Tests.Files;

public sealed class DirectoryFileSourceTests : IDisposable
{
    private readonly TempDirectory _temp = new("acb-dirsource");
    private readonly string _root;

    public DirectoryFileSourceTests()
    {
        _root = Path.Combine(_temp.Path, "root");
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => _temp.Dispose();

    private static string Read(TftpLookup lookup)
    {
        Assert.Equal(TftpLookupStatus.Found, lookup.Status);
        using var content = lookup.Content!;
        var buffer = new byte[content.Length];
        Assert.Equal(buffer.Length, content.Read(0, buffer));
        return Encoding.UTF8.GetString(buffer);
    }

    [Theory]
    [InlineData("OS79XX.TXT")]
    [InlineData("os79xx.txt")]
    [InlineData("Os79Xx.TxT")]
    public void Lookup_finds_names_in_any_case(string asked)
    {
        _temp.Write("root/OS79XX.TXT", "P0S3-08-12-00");
        using var source = new DirectoryFileSource(_root);

        Assert.Equal("P0S3-08-12-00", Read(source.Lookup(asked)));
    }

    [Fact]
    public void Lookup_prefers_the_exact_name_when_several_differ_only_in_case()
    {
        _temp.Write("root/SIPDefault.cnf", "exact");
        _temp.Write("root/sipdefault.cnf", "lower");
        using var source = new DirectoryFileSource(_root);

        Assert.Equal("exact", Read(source.Lookup("SIPDefault.cnf")));
        Assert.Equal("lower", Read(source.Lookup("sipdefault.cnf")));
        Assert.Equal("exact", Read(source.Lookup("SIPDEFAULT.CNF")));
    }

    [Fact]
    public void Lookup_matches_folder_names_in_any_case()
    {
        _temp.Write("root/English_United_States/mk-sccp.jar", "locale");
        using var source = new DirectoryFileSource(_root);

        Assert.Equal("locale", Read(source.Lookup("english_united_states/MK-SCCP.JAR")));
    }

    [Fact]
    public void Lookup_of_a_missing_file_defers_to_the_next_source()
    {
        using var source = new DirectoryFileSource(_root);
        Assert.Equal(TftpLookupStatus.NotHere, source.Lookup("SEP001122334455.cnf.xml").Status);
    }

    [Fact]
    public void A_symlink_inside_the_root_to_a_file_inside_is_served()
    {
        _temp.Write("root/loads/P0S3-08-12-00.sb2", "image");
        File.CreateSymbolicLink(Path.Combine(_root, "current.sb2"), "loads/P0S3-08-12-00.sb2");
        using var source = new DirectoryFileSource(_root);

        Assert.Equal("image", Read(source.Lookup("current.sb2")));
    }

    [Fact]
    public void A_symlink_leading_outside_the_root_is_denied()
    {
        var secret = _temp.Write("secret.txt", "do not serve");
        File.CreateSymbolicLink(Path.Combine(_root, "escape.txt"), secret);
        Directory.CreateSymbolicLink(Path.Combine(_root, "etc"), "/etc");
        using var source = new DirectoryFileSource(_root);

        Assert.Equal(TftpLookupStatus.Denied, source.Lookup("escape.txt").Status);
        Assert.Equal(TftpLookupStatus.Denied, source.Lookup("etc/passwd").Status);
    }

    [Fact]
    public void A_sibling_folder_sharing_the_roots_name_as_prefix_is_outside()
    {
        // Root /x/root must not admit /x/root2 (a StartsWith check without the separator would).
        _temp.Write("root2/file.txt", "sibling");
        File.CreateSymbolicLink(Path.Combine(_root, "file.txt"), Path.Combine(_temp.Path, "root2", "file.txt"));
        using var source = new DirectoryFileSource(_root);

        Assert.Equal(TftpLookupStatus.Denied, source.Lookup("file.txt").Status);
    }

    [Fact]
    public void No_name_the_server_accepts_resolves_to_a_byte_outside_the_root()
    {
        // Catalogue §5.5 case 32: the whole confinement (TftpPath, then the folder's case-folding
        // resolution and symlink checks) over seeded random names; bounded at 20,000.
        _temp.Write("root/a.txt", "inside a");
        _temp.Write("root/Sub/B.txt", "inside b");
        _temp.Write("root2/file.txt", "SECRET sibling");
        var secret = _temp.Write("secret.txt", "SECRET outside");
        File.CreateSymbolicLink(Path.Combine(_root, "out.txt"), secret);
        File.CreateSymbolicLink(Path.Combine(_root, "Sub", "up.txt"), Path.Combine("..", "..", "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(_root, "in.txt"), "a.txt");
        Directory.CreateSymbolicLink(Path.Combine(_root, "sibling"), Path.Combine(_temp.Path, "root2"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "loop"), ".");
        using var source = new DirectoryFileSource(_root);
        var rootPrefix = source.Root + "/";
        string[] pieces = ["a.txt", "A.TXT", "sub", "SUB", "b.txt", "out.txt", "up.txt", "in.txt", "sibling", "file.txt", "loop", "..", ".", "root2", "secret.txt", "%2e%2e", "x"];
        var random = new Random(79);
        var served = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var name = string.Join(random.Next(20) == 0 ? "//" : "/", Enumerable.Range(0, random.Next(1, 5)).Select(_ => pieces[random.Next(pieces.Length)]));
            if (random.Next(10) == 0)
            {
                name = "/" + name;
            }

            if (TftpPath.Normalize(name, out _) is not { } path)
            {
                continue;
            }

            var lookup = source.Lookup(path);
            if (lookup.Status != TftpLookupStatus.Found)
            {
                continue;
            }

            served++;
            using var content = lookup.Content!;
            Assert.StartsWith(rootPrefix, content.Description, StringComparison.Ordinal);
            var buffer = new byte[content.Length];
            content.Read(0, buffer);
            Assert.StartsWith("inside", Encoding.UTF8.GetString(buffer), StringComparison.Ordinal);
        }

        // The loop did reach files: a run that served nothing would prove nothing.
        Assert.True(served > 500, $"only {served} names served");
    }

    [Fact]
    public void Device_files_and_folders_are_denied()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "null"), "/dev/null");
        Directory.CreateDirectory(Path.Combine(_root, "folder"));
        using var source = new DirectoryFileSource(_root);

        Assert.Equal(TftpLookupStatus.Denied, source.Lookup("null").Status);
        Assert.Equal(TftpLookupStatus.Denied, source.Lookup("folder").Status);
    }

    [Fact]
    public async Task A_fifo_is_denied_without_blocking()
    {
        var fifo = Path.Combine(_root, "pipe");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        using var source = new DirectoryFileSource(_root);

        var lookup = await Task.Run(() => source.Lookup("pipe"), TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(TftpLookupStatus.Denied, lookup.Status);
    }

    [Fact]
    public void A_cached_file_rewritten_in_place_keeps_serving_the_version_a_transfer_started_with()
    {
        var path = _temp.Write("root/SEP001122334455.cnf.xml", new string('a', 4000));
        using var source = new DirectoryFileSource(_root);
        using var first = source.Lookup("SEP001122334455.cnf.xml").Content!;

        File.WriteAllText(path, new string('b', 4000));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        var buffer = new byte[4000];
        first.Read(0, buffer);

        Assert.All(buffer, b => Assert.Equal((byte)'a', b));
        Assert.Equal(new string('b', 4000), Read(source.Lookup("SEP001122334455.cnf.xml")));
    }

    [Fact]
    public void Transfers_of_the_same_version_share_one_cached_copy()
    {
        _temp.Write("root/P0S3-08-12-00.sb2", new string('x', 100_000));
        using var source = new DirectoryFileSource(_root);

        using var a = source.Lookup("P0S3-08-12-00.sb2").Content!;
        using var b = source.Lookup("p0s3-08-12-00.sb2").Content!;

        Assert.Equal(100_000, source.CachedBytes);
    }

    [Fact]
    public void The_cache_stays_within_its_budget_and_large_files_are_streamed()
    {
        _temp.Write("root/a.bin", new byte[3000]);
        _temp.Write("root/b.bin", new byte[3000]);
        _temp.Write("root/big.bin", new byte[20_000]);
        using var source = new DirectoryFileSource(_root, new DirectoryFileSourceOptions(CacheMaxFileBytes: 10_000, CacheBudgetBytes: 5000));

        source.Lookup("a.bin").Content!.Dispose();
        source.Lookup("b.bin").Content!.Dispose();
        using var big = source.Lookup("big.bin").Content!;

        Assert.Equal(3000, source.CachedBytes);
        Assert.Equal(20_000, big.Length);
    }

    [Fact]
    public void With_the_cache_full_of_files_in_use_another_file_is_streamed_never_copied_per_transfer()
    {
        // Each transfer of a file the cache could not take used to read a copy of its own.
        _temp.Write("root/in-use.bin", new byte[250_000]);
        var other = Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray();
        _temp.Write("root/other.bin", other);
        using var source = new DirectoryFileSource(_root, new DirectoryFileSourceOptions(CacheMaxFileBytes: 1 << 20, CacheBudgetBytes: 300_000));
        using var inUse = source.Lookup("in-use.bin").Content!;
        source.Lookup("other.bin").Content!.Dispose();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var transfers = Enumerable.Range(0, 20).Select(_ => source.Lookup("other.bin").Content!).ToList();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < other.Length, $"20 lookups allocated {allocated} bytes, more than one copy of the file");
        Assert.Equal(250_000, source.CachedBytes);
        Assert.All(transfers, t => Assert.Equal(0, t.BufferedBytes));
        var buffer = new byte[other.Length];
        Assert.Equal(other.Length, transfers[^1].Read(0, buffer));
        Assert.Equal(other, buffer);
        transfers.ForEach(t => t.Dispose());
    }

    [Fact]
    public void A_streamed_file_rewritten_in_place_fails_instead_of_tearing()
    {
        var path = _temp.Write("root/big.bin", new byte[300_000]);
        using var source = new DirectoryFileSource(_root, new DirectoryFileSourceOptions(CacheMaxFileBytes: 1000));
        using var content = source.Lookup("big.bin").Content!;
        var buffer = new byte[512];
        content.Read(0, buffer);

        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Write(new byte[] { 1, 2, 3 });
        }

        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        Assert.Throws<IOException>(() =>
        {
            for (long offset = 512; offset < content.Length; offset += 512)
            {
                content.Read(offset, buffer);
            }
        });
    }

    [Fact]
    public void A_streamed_file_replaced_by_rename_keeps_serving_the_old_version()
    {
        var path = _temp.Write("root/big.bin", Enumerable.Repeat((byte)7, 300_000).ToArray());
        using var source = new DirectoryFileSource(_root, new DirectoryFileSourceOptions(CacheMaxFileBytes: 1000));
        using var content = source.Lookup("big.bin").Content!;

        var replacement = _temp.Write("root/big.bin.new", Enumerable.Repeat((byte)9, 300_000).ToArray());
        File.Move(replacement, path, overwrite: true);

        var buffer = new byte[300_000];
        for (var offset = 0; offset < buffer.Length; offset += 1024)
        {
            content.Read(offset, buffer.AsSpan(offset, Math.Min(1024, buffer.Length - offset)));
        }

        Assert.All(buffer, b => Assert.Equal(7, b));
    }

    [Fact]
    public void A_missing_root_is_a_clear_error()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => new DirectoryFileSource(Path.Combine(_temp.Path, "nope")));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }
}
