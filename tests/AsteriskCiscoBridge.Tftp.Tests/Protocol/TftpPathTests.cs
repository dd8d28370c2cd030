using AsteriskCiscoBridge.Tftp.Protocol;

namespace AsteriskCiscoBridge.Tftp.Tests.Protocol;

public sealed class TftpPathTests
{
    [Theory]
    [InlineData("SEP001122334455.cnf.xml")]
    [InlineData("English_United_States/mk-sccp.jar")]
    [InlineData("%2e%2e/etc/passwd")]
    [InlineData("a..b")]
    [InlineData("..a")]
    public void Normalize_accepts_plain_relative_names(string name)
    {
        Assert.Equal(name, TftpPath.Normalize(name, out var refusal));
        Assert.Null(refusal);
    }

    [Theory]
    [InlineData("../etc/passwd", "'..'")]
    [InlineData("foo/../../x", "'..'")]
    [InlineData("./x", "'.'")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("..\\..\\x", "backslash")]
    [InlineData("C:x", "drive")]
    [InlineData("a//b", "empty path segment")]
    [InlineData("dir/", "empty path segment")]
    [InlineData("a\0b", "control")]
    [InlineData("a\nb", "control")]
    [InlineData("caf\u00e9", "non-ASCII")]
    [InlineData("", "empty")]
    public void Normalize_refuses_tricks_with_a_reason(string name, string reason)
    {
        Assert.Null(TftpPath.Normalize(name, out var refusal));
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(10_000)]
    public void Normalize_refuses_over_long_names(int length)
    {
        Assert.Null(TftpPath.Normalize(new string('a', length), out var refusal));
        Assert.Contains("longer than 255", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void No_accepted_name_ever_leaves_the_root()
    {
        // Catalogue §5.5 case 32: seeded, bounded. Names made of the pieces path attacks use.
        var random = new Random(1350);
        string[] pieces = ["..", ".", "/", "\\", "%2e", "%2f", ":", "\0", "\n", "a", "B", "sep", ".cnf", "~", " ", "\u00e9", "//", "../", "..\\", "\u2215"];
        const string root = "/srv/tftp";
        for (var i = 0; i < 20_000; i++)
        {
            var name = string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
            if (random.Next(50) == 0)
            {
                name += new string('a', random.Next(200, 400));
            }

            var path = TftpPath.Normalize(name, out var refusal);

            Assert.True(path is null == refusal is not null, name);
            if (path is null)
            {
                continue;
            }

            Assert.Equal(name, path);
            Assert.InRange(path.Length, 1, TftpPath.MaxLength);
            Assert.All(path, c => Assert.InRange(c, ' ', '~'));
            Assert.DoesNotContain('\\', path);
            Assert.DoesNotContain(path.Split('/'), segment => segment is "" or "." or "..");
            Assert.StartsWith(root + "/", Path.GetFullPath(Path.Join(root, path)), StringComparison.Ordinal);
        }
    }
}
