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
}
