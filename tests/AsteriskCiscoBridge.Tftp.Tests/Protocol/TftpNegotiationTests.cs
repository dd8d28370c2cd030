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

    [Fact]
    public void Random_option_lists_never_throw_and_grant_only_what_the_rfcs_and_limits_allow()
    {
        // Catalogue §5.5 case 32: seeded, bounded. Names from the known set in any case, repeated,
        // refused or unknown; values in and out of range, empty, huge, non-digits.
        var random = new Random(2347);
        string[] names = ["blksize", "tsize", "timeout", "windowsize", "rollover", "multicast", "x", ""];
        string[] values = ["0", "1", "7", "8", "255", "256", "512", "1468", "65464", "65465", "65535", "65536", "", "-1", "+5", " 8", "1e3", "99999999999999999999999", "abc"];
        for (var i = 0; i < 20_000; i++)
        {
            var limits = new TftpNegotiationLimits(random.Next(8, 65465), random.Next(1, 65536), random.Next(4) == 0 ? new HashSet<string> { names[random.Next(4)] } : null);
            var requested = Enumerable.Range(0, random.Next(0, 8))
                .Select(_ => new TftpOption(
                    names[random.Next(names.Length)],
                    random.Next(5) == 0 ? random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture) : values[random.Next(values.Length)]))
                .ToList();
            long? size = random.Next(3) == 0 ? null : random.NextInt64(0, 1L << 40);

            var ok = TftpNegotiation.TryNegotiate(requested, limits, size, out var p, out var refusal);

            if (!ok)
            {
                Assert.NotNull(refusal);
                Assert.Contains(requested, o => refusal.StartsWith(o.Name + " '" + o.Value + "'", StringComparison.Ordinal));
                continue;
            }

            Assert.Null(refusal);
            // Not asked for (or refused), the RFC 1350 values apply whatever the limits.
            var blksize = p.Acknowledged.Any(o => o.Name == "blksize");
            var windowsize = p.Acknowledged.Any(o => o.Name == "windowsize");
            Assert.True(blksize ? p.BlockSize >= 8 && p.BlockSize <= Math.Min(65464, limits.MaxBlockSize) : p.BlockSize == 512, $"blksize {p.BlockSize}");
            Assert.True(windowsize ? p.WindowSize >= 1 && p.WindowSize <= limits.MaxWindowSize : p.WindowSize == 1, $"windowsize {p.WindowSize}");
            Assert.True(p.Timeout is null || p.Timeout.Value.TotalSeconds is >= 1 and <= 255);
            // The OACK: only options asked for, each once, none refused, values as granted.
            Assert.Equal(p.Acknowledged.Count, p.Acknowledged.Select(o => o.Name).Distinct().Count());
            foreach (var option in p.Acknowledged)
            {
                Assert.Contains(requested, r => r.Name == option.Name);
                Assert.False(limits.RefusedOptions?.Contains(option.Name) ?? false);
                var granted = long.Parse(option.Value, System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(
                    granted,
                    option.Name switch
                    {
                        "blksize" => p.BlockSize,
                        "windowsize" => p.WindowSize,
                        "timeout" => (long)p.Timeout!.Value.TotalSeconds,
                        "tsize" => size!.Value,
                        _ => throw new InvalidOperationException($"unknown option {option.Name} acknowledged"),
                    });
            }

            Assert.Equal(p.Acknowledged.Count == 0, p == TftpTransferParameters.Default);
        }
    }

    [Fact]
    public void Random_and_mutated_requests_parse_and_negotiate_without_throwing()
    {
        // The server's whole path from datagram to transfer parameters, over random and mutated RRQs.
        var random = new Random(1350);
        var valid = AsteriskCiscoBridge.Testing.Tftp.TftpTestClient.ReadRequest("SEP001122334455.cnf.xml", "octet", ("BLKSIZE", "1428"), ("tsize", "0"), ("windowsize", "8"), ("timeout", "3"));
        for (var i = 0; i < 20_000; i++)
        {
            var packet = (byte[])valid.Clone();
            for (var m = random.Next(0, 8); m > 0; m--)
            {
                packet[random.Next(2, packet.Length)] = random.Next(3) == 0 ? (byte)0 : (byte)random.Next(256);
            }

            packet = packet[..random.Next(2, packet.Length + 1)];
            if (TftpPacketCodec.TryParseRequest(packet, out var request, out _))
            {
                Assert.All(request!.Options, o => Assert.Equal(o.Name.ToLowerInvariant(), o.Name));
                var ok = TftpNegotiation.TryNegotiate(request.Options, Limits, random.Next(100_000), out var p, out var refusal);
                Assert.Equal(ok, refusal is null);
                Assert.InRange(p.BlockSize, 8, Limits.MaxBlockSize);
            }
        }
    }
}
