using AsteriskCiscoBridge.Tftp.Protocol;

namespace AsteriskCiscoBridge.Tftp.Tests.Protocol;

public sealed class TftpNegotiationTests
{
    private static readonly TftpNegotiationLimits Limits = new(MaxBlockSize: 1468, MaxWindowSize: 16);

    [Theory]
    [InlineData("8", 8)]
    [InlineData("512", 512)]
    [InlineData("1428", 1428)]
    [InlineData("1468", 1468)]
    [InlineData("65464", 1468)]
    [InlineData("65465", 1468)]
    [InlineData("99999999999999999999", 1468)]
    public void Blksize_is_granted_up_to_the_server_limit(string asked, int granted)
    {
        Assert.True(TftpNegotiation.TryNegotiate([new("blksize", asked)], Limits, 10, out var p, out _));

        Assert.Equal(granted, p.BlockSize);
        Assert.Equal([$"blksize={granted}"], p.Acknowledged.Select(o => o.ToString()));
    }

    [Fact]
    public void Blksize_may_reach_65464_when_the_server_allows_it()
    {
        Assert.True(TftpNegotiation.TryNegotiate([new("blksize", "65465")], new(65464, 1), 10, out var p, out _));
        Assert.Equal(65464, p.BlockSize);
    }

    [Theory]
    [InlineData("blksize", "7")]
    [InlineData("blksize", "0")]
    [InlineData("blksize", "abc")]
    [InlineData("blksize", "")]
    [InlineData("blksize", "-1")]
    [InlineData("timeout", "0")]
    [InlineData("timeout", "256")]
    [InlineData("windowsize", "0")]
    [InlineData("windowsize", "65536")]
    [InlineData("tsize", "x")]
    public void Values_outside_their_rfc_range_refuse_the_request(string name, string value)
    {
        Assert.False(TftpNegotiation.TryNegotiate([new(name, value)], Limits, 10, out _, out var refusal));
        Assert.Contains(name, refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("255", 255)]
    public void Timeout_1_to_255_is_echoed_and_used(string asked, int seconds)
    {
        Assert.True(TftpNegotiation.TryNegotiate([new("timeout", asked)], Limits, 10, out var p, out _));

        Assert.Equal(TimeSpan.FromSeconds(seconds), p.Timeout);
        Assert.Equal([$"timeout={seconds}"], p.Acknowledged.Select(o => o.ToString()));
    }

    [Fact]
    public void Tsize_reports_the_real_size()
    {
        Assert.True(TftpNegotiation.TryNegotiate([new("tsize", "0")], Limits, 2_100_000, out var p, out _));
        Assert.Equal(["tsize=2100000"], p.Acknowledged.Select(o => o.ToString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    public void Tsize_is_left_out_when_the_size_is_unknown_or_zero_and_then_no_oack_is_sent(long? size)
    {
        // curl aborts on "tsize 0" in an OACK; RFC 2349 lets the server leave tsize out.
        Assert.True(TftpNegotiation.TryNegotiate([new("tsize", "0")], Limits, size, out var p, out _));
        Assert.Empty(p.Acknowledged);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("4", 4)]
    [InlineData("65535", 16)]
    public void Windowsize_is_capped(string asked, int granted)
    {
        Assert.True(TftpNegotiation.TryNegotiate([new("windowsize", asked)], Limits, 10, out var p, out _));
        Assert.Equal(granted, p.WindowSize);
    }

    [Fact]
    public void Unknown_options_alone_mean_no_oack_and_rfc1350_defaults()
    {
        Assert.True(TftpNegotiation.TryNegotiate([new("rollover", "0"), new("multicast", "")], Limits, 10, out var p, out _));

        Assert.Same(TftpTransferParameters.Default, p);
        Assert.Empty(p.Acknowledged);
        Assert.Equal(512, p.BlockSize);
    }

    [Fact]
    public void A_repeated_option_counts_once_and_the_first_wins()
    {
        Assert.True(TftpNegotiation.TryNegotiate([new("blksize", "1024"), new("blksize", "7"), new("tsize", "0")], Limits, 5, out var p, out _));

        Assert.Equal(1024, p.BlockSize);
        Assert.Equal(["blksize=1024", "tsize=5"], p.Acknowledged.Select(o => o.ToString()));
    }

    [Fact]
    public void Oack_keeps_the_clients_order_and_adds_nothing_unasked()
    {
        Assert.True(TftpNegotiation.TryNegotiate([new("windowsize", "8"), new("foo", "1"), new("blksize", "1428")], Limits, 5, out var p, out _));
        Assert.Equal(["windowsize=8", "blksize=1428"], p.Acknowledged.Select(o => o.ToString()));
    }

    [Fact]
    public void A_refused_option_is_never_acknowledged()
    {
        var limits = Limits with { RefusedOptions = new HashSet<string> { "blksize" } };

        Assert.True(TftpNegotiation.TryNegotiate([new("blksize", "1428")], limits, 10, out var alone, out _));
        Assert.True(TftpNegotiation.TryNegotiate([new("blksize", "7"), new("tsize", "0")], limits, 10, out var withTsize, out _));

        Assert.Empty(alone.Acknowledged);
        Assert.Equal(512, alone.BlockSize);
        Assert.Equal(["tsize=10"], withTsize.Acknowledged.Select(o => o.ToString()));
    }
}
