using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;

namespace AsteriskCiscoBridge.Host.Tests.Cli;

[Trait(AcbProgram.Trait, AcbProgram.Acb)]
public sealed class TftpCommandTests
{
    private static readonly TftpCommand.TransferLimits Defaults = new(1468, 32, 2000, 16);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void TryBuildOptions_reads_listen_addresses_networks_and_port_range()
    {
        Assert.True(TftpCommand.TryBuildOptions(["127.0.0.1:6969", "[::1]:6969"], ["10.0.0.0/8"], "50000-50100", Defaults, out var options, out _));

        Assert.Equal([IPEndPoint.Parse("127.0.0.1:6969"), IPEndPoint.Parse("[::1]:6969")], options.Listen);
        Assert.Equal([IPNetwork.Parse("10.0.0.0/8")], options.AllowedNetworks);
        Assert.Equal((50000, 50100), (options.PortRangeStart, options.PortRangeEnd));
    }

    [Fact]
    public void TryBuildOptions_defaults_to_port_69_on_every_address()
    {
        Assert.True(TftpCommand.TryBuildOptions([], [], null, Defaults, out var options, out _));
        Assert.Equal([new IPEndPoint(IPAddress.Any, 69), new IPEndPoint(IPAddress.IPv6Any, 69)], options.Listen);
    }

    [Theory]
    [InlineData("localhost:69", null, null, "is not ADDR:PORT")]
    [InlineData("127.0.0.1", null, null, "is not ADDR:PORT")]
    [InlineData("127.0.0.1:69", "10.0.0.0/33", null, "CIDR")]
    [InlineData("127.0.0.1:69", null, "5-", "FIRST-LAST")]
    [InlineData("127.0.0.1:69", null, "600-500", "start ≤ end")]
    public void TryBuildOptions_explains_bad_input(string listen, string? allow, string? range, string message)
    {
        Assert.False(TftpCommand.TryBuildOptions([listen], allow is null ? [] : [allow], range, Defaults, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acb_tftp_serve_serves_a_folder_and_stops_cleanly_on_sigterm()
    {
        using var root = new TempDirectory("acb-serve");
        root.Write("OS79XX.TXT", "P0S3-08-12-00");
        var port = FreeUdpPort();
        var info = AcbProgram.StartInfo("tftp", "serve", "--root", root.Path, "--listen", $"127.0.0.1:{port}");

        using var process = Process.Start(info)!;
        var listening = new TaskCompletionSource();
        var served = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("TFTP listening", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }

            if (e.Data?.Contains("os79xx.txt: Served", StringComparison.Ordinal) == true)
            {
                served.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            using var client = new TftpTestClient();

            var (bytes, _) = await client.DownloadAsync(new IPEndPoint(IPAddress.Loopback, port), "os79xx.txt", Ct);

            Assert.Equal("P0S3-08-12-00"u8.ToArray(), bytes);

            // The last ACK reaches the server after the client is done: wait for the log line.
            await served.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task Acb_tftp_serve_fails_with_one_line_when_the_root_is_missing()
    {
        var result = await AcbProgram.RunAsync(["tftp", "serve", "--root", "/nonexistent/acb", "--listen", "127.0.0.1:0"], TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("acb tftp serve: TFTP root '/nonexistent/acb' does not exist", result.StandardError, StringComparison.Ordinal);
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
