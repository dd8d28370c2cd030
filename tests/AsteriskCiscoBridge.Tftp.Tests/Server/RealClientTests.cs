using System.Net;
using System.Security.Cryptography;
using System.Text;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using AsteriskCiscoBridge.Tftp.Server;

namespace AsteriskCiscoBridge.Tftp.Tests.Server;

/// <summary>The TFTP clients admins and phones-in-the-lab use, from Debian, against our server on loopback.</summary>
public sealed class RealClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, int> VariantsAndSizes()
    {
        var data = new TheoryData<string, int>();
        foreach (var variant in ExternalTftpClients.Variants)
        {
            foreach (var size in new[] { 0, 1, 511, 512, 513, 1428 * 3, 100_000 })
            {
                data.Add(variant, size);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VariantsAndSizes))]
    public async Task Debian_clients_receive_the_file_byte_for_byte(string variant, int size)
    {
        await using var harness = new ServerHarness(new TftpServerOptions { Listen = ServerHarness.Loopback, MaxWindowSize = 16 });
        var bytes = harness.Write("P0S3-08-12-00.sb2", size, seed: size);
        using var output = new TempDirectory("acb-client");
        var local = Path.Combine(output.Path, "out.bin");

        var result = await ExternalTftpClients.FetchAsync(variant, harness.EndPoint, "P0S3-08-12-00.sb2", local, Ct);

        Assert.True(result.ExitCode == 0, $"{variant} exited {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        Assert.Equal(bytes, await File.ReadAllBytesAsync(local, Ct));
        var e = await harness.NextEventAsync(e => e.Outcome == TftpRequestOutcome.Served, Ct);
        Assert.Equal(size, e.Bytes);
    }

    [Theory]
    [InlineData("atftp-blksize-tsize", "blksize=1428", "tsize=")]
    [InlineData("atftp-windowsize", "blksize=1024", "windowsize=8")]
    [InlineData("curl-blksize-1428", "blksize=1428", null)]
    public async Task Debian_clients_get_the_options_they_ask_for(string variant, string first, string? second)
    {
        await using var harness = new ServerHarness();
        harness.Write("a.bin", 50_000);
        using var output = new TempDirectory("acb-client");

        var result = await ExternalTftpClients.FetchAsync(variant, harness.EndPoint, "a.bin", Path.Combine(output.Path, "a"), Ct);

        Assert.Equal(0, result.ExitCode);
        var granted = (await harness.NextEventAsync(_ => true, Ct)).GrantedOptions.Select(o => o.ToString()).ToList();
        Assert.Contains(granted, g => g.StartsWith(first, StringComparison.Ordinal));
        if (second is not null)
        {
            Assert.Contains(granted, g => g.StartsWith(second, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Tftp_hpa_in_netascii_mode_gets_the_text_back_with_its_line_ends()
    {
        await using var harness = new ServerHarness();
        var text = new string('x', 511) + "\r" + string.Concat(Enumerable.Repeat("<line>\n", 300)) + "\r\n";
        await File.WriteAllTextAsync(Path.Combine(harness.Root, "dialplan.xml"), text, Ct);
        using var output = new TempDirectory("acb-client");
        var local = Path.Combine(output.Path, "d.xml");

        var result = await ExternalTftpClients.FetchAsync("tftp-hpa-netascii", harness.EndPoint, "DIALPLAN.XML", local, Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(text, Encoding.ASCII.GetString(await File.ReadAllBytesAsync(local, Ct)));
    }

    [Theory]
    [InlineData("curl")]
    [InlineData("tftp-hpa")]
    public async Task A_file_over_32_MiB_passes_the_block_number_rollover_at_512_byte_blocks(string variant)
    {
        // 65,535 blocks of 512 bytes end at 32 MiB; this file needs 67,585 blocks.
        await using var harness = new ServerHarness();
        var bytes = harness.Write("big.bin", (33 << 20) + 1);
        using var output = new TempDirectory("acb-client");
        var local = Path.Combine(output.Path, "big.bin");

        var result = await ExternalTftpClients.FetchAsync(variant, harness.EndPoint, "big.bin", local, Ct);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(await File.ReadAllBytesAsync(local, Ct)));
    }

    [Fact]
    public async Task Curl_over_ipv6_receives_the_file()
    {
        await using var harness = new ServerHarness(new TftpServerOptions { Listen = [new IPEndPoint(IPAddress.IPv6Loopback, 0)] });
        var bytes = harness.Write("a.bin", 5000);
        using var output = new TempDirectory("acb-client");
        var local = Path.Combine(output.Path, "a");

        var result = await ExternalTftpClients.FetchAsync("curl", harness.EndPoint, "a.bin", local, Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(local, Ct));
    }

    [Fact]
    public async Task Curl_reports_a_missing_file_as_not_found()
    {
        await using var harness = new ServerHarness();
        using var output = new TempDirectory("acb-client");

        var result = await ExternalTftpClients.FetchAsync("curl", harness.EndPoint, "SEP001122334455.cnf.xml", Path.Combine(output.Path, "x"), Ct);

        Assert.Equal(68, result.ExitCode); // CURLE_TFTP_NOTFOUND
    }
}
