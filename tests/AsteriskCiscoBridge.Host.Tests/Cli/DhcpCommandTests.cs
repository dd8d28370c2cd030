using System.Globalization;
using AsteriskCiscoBridge.Testing.Support;

namespace AsteriskCiscoBridge.Host.Tests.Cli;

/// <summary>
/// `acb dhcp` output fed to a real dnsmasq, and read back by a real DHCP client (busybox
/// udhcpc), each in a network namespace this test creates: option 150 must arrive as the bytes
/// the phones expect. Needs root (network namespaces), as CI runs.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait(AcbProgram.Trait, AcbProgram.Acb)]
public sealed class DhcpCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Acb_dhcp_prints_a_one_line_reason_for_bad_addresses()
    {
        var result = await AcbProgram.RunAsync(["dhcp", "--tftp", "10.0.0.1,fe80::1", "--format", "dnsmasq"], TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("acb dhcp: 'fe80::1' is not an IPv4 address (option 150 lists IPv4 addresses)\n", result.StandardError);
    }

    [Fact]
    public async Task Dnsmasq_with_the_snippet_hands_option_150_and_66_to_a_real_dhcp_client()
    {
        var snippet = await AcbProgram.RunAsync(["dhcp", "--tftp", "192.168.1.10,192.168.1.11", "--format", "dnsmasq"], TimeSpan.FromSeconds(60), Ct);
        Assert.Equal(0, snippet.ExitCode);
        using var temp = new TempDirectory("acb-dhcp");
        var conf = Path.Combine(temp.Path, "dnsmasq.conf");
        await File.WriteAllTextAsync(conf, snippet.StandardOutput, Ct);
        var script = Path.Combine(temp.Path, "udhcpc.sh");
        var seen = Path.Combine(temp.Path, "seen.txt");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\nenv | grep -E '^(opt150|tftp|ip)=' >> {seen}\n", Ct);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var id = (Environment.ProcessId % 10000).ToString("D4", CultureInfo.InvariantCulture);
        string server = $"acbs{id}", client = $"acbc{id}", vethS = $"acbvs{id}", vethC = $"acbvc{id}";
        var dnsmasq = Which("dnsmasq");
        var udhcpc = Which("udhcpc");
        await Ip(["netns", "add", server]);
        await Ip(["netns", "add", client]);
        try
        {
            await Ip(["link", "add", vethS, "type", "veth", "peer", "name", vethC]);
            await Ip(["link", "set", vethS, "netns", server]);
            await Ip(["link", "set", vethC, "netns", client]);
            await Ip(["-n", server, "addr", "add", "10.201.0.1/24", "dev", vethS]);
            await Ip(["-n", server, "link", "set", vethS, "up"]);
            await Ip(["-n", client, "link", "set", vethC, "up"]);

            using var daemon = System.Diagnostics.Process.Start("ip", [
                "netns", "exec", server, dnsmasq, "-k", $"--conf-file={conf}", "--port=0", $"--interface={vethS}", "--bind-interfaces",
                "--dhcp-range=10.201.0.50,10.201.0.60,2m", $"--dhcp-leasefile={Path.Combine(temp.Path, "leases")}", "--pid-file=",
                $"--log-facility={Path.Combine(temp.Path, "dnsmasq.log")}"])!;
            try
            {
                // udhcpc retries its DISCOVER until dnsmasq answers (bounded: 10 tries, 1 s apart).
                var lease = await ProcessRunner.RunAsync("ip", ["netns", "exec", client, udhcpc, "-f", "-q", "-n", "-i", vethC, "-O", "150", "-O", "66", "-s", script, "-t", "10", "-T", "1"], TimeSpan.FromSeconds(60), Ct);
                Assert.True(lease.ExitCode == 0, lease.StandardError);
            }
            finally
            {
                daemon.Kill();
                await daemon.WaitForExitAsync(Ct);
            }

            var lines = await File.ReadAllLinesAsync(seen, Ct);
            Assert.Contains("opt150=c0a8010ac0a8010b", lines);
            Assert.Contains("tftp=192.168.1.10", lines);
        }
        finally
        {
            await Ip(["netns", "del", client]);
            await Ip(["netns", "del", server]);
        }
    }

    private static string Which(string program) =>
        ProcessRunner.Which(program) ?? throw new InvalidOperationException($"'{program}' is not installed; .ci/run installs it (apt-get install -y dnsmasq-base udhcpc iproute2)");

    private static async Task Ip(string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("ip", arguments, TimeSpan.FromSeconds(30), Ct);
        Assert.True(result.ExitCode == 0, $"ip {string.Join(' ', arguments)}: {result.StandardError} (network namespaces need root, as CI runs)");
    }
}
