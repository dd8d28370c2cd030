using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AsteriskCiscoBridge.Scenarios.Tests.Diagnostics;

/// <summary>
/// <c>acb doctor</c> as an admin runs it, against the running service (its real TFTP and HTTP
/// ports, its SQLite store) and the AMI test server: exit 0 when all is well, 1 on any FAIL.
/// </summary>
public sealed class DoctorTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("0011223344AA").Mac!.Value;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(int Exit, string Output)> DoctorAsync(TempDirectory folder, object configuration)
    {
        var file = folder.Write("acb.json", JsonSerializer.Serialize(configuration));
        var output = new StringWriter { NewLine = "\n" };
        var root = new RootCommand { DoctorCommand.Create() };
        var exit = await root.Parse(["doctor", "--config", file, "--timeout", "00:00:30"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, Ct);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task Doctor_against_the_running_service_passes_and_only_warns_about_missing_firmware()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "pw", "\"Ann\" <6001>") with { Contacts = [new AmiTestContact("sip:6001@127.0.0.1:5070", "Cisco-CP7960G/8.0", "reg-6001")] });
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        await service.BindAsync(Mac, PhoneModels.Cisco7960, Ct, new BindingRow { Position = 1, Endpoint = "6001" });
        await service.StartAsync(Ct);
        var http = service.App.Urls.Select(u => new Uri(u)).First(u => u.Port != service.App.Services.GetRequiredService<AsteriskCiscoBridge.Dashboard.DashboardSettings>().Bound!().Port);
        using var folder = new TempDirectory("acb-doctor");

        var (exit, output) = await DoctorAsync(folder, new
        {
            Ami = new { Host = "127.0.0.1", service.Asterisk!.Port, Username = "bridge", Secret = "bridgepw" },
            Tftp = new { Listen = new[] { service.Tftp.ToString() } },
            Http = new { Listen = new[] { $"127.0.0.1:{http.Port}" } },
            Storage = new { service.Database },
            Firmware = new { Directory = Path.Combine(folder.Path, "firmware") },
        });

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("13 checks: 0 failed, 1 warnings", lines[^1]);
        Assert.StartsWith("WARN  firmware             load P0S3-08-12-00 (for 7960) is not in the firmware folder", Assert.Single(lines, l => l.StartsWith("WARN", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith($"OK    tftp {service.Tftp}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"OK    store                {Path.GetFullPath(service.Database)} can be written; request log ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"OK    http 127.0.0.1:{http.Port}", StringComparison.Ordinal) && l.Contains("404", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("OK    endpoints            1 bound endpoint, all provisionable", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("OK    notify.contacts      every bound endpoint (1) has a registered contact", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_exits_1_when_asterisk_and_the_http_port_are_down()
    {
        static int ClosedPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        using var root = new TempDirectory("acb-doctor-tftp");
        await using var tftp = new Tftp.Server.TftpServer(new Tftp.Server.TftpServerOptions { Listen = [new IPEndPoint(IPAddress.Loopback, 0)] }, [new Tftp.Files.DirectoryFileSource(root.Path)]);
        tftp.Start();
        using var folder = new TempDirectory("acb-doctor");

        var (exit, output) = await DoctorAsync(folder, new
        {
            Ami = new { Host = "127.0.0.1", Port = ClosedPort(), Username = "bridge", Secret = "bridgepw" },
            Tftp = new { Listen = new[] { tftp.LocalEndPoints[0].ToString() } },
            Http = new { Listen = new[] { $"127.0.0.1:{ClosedPort()}" } },
            Storage = new { Database = Path.Combine(folder.Path, "acb.db") },
            Firmware = new { Directory = Path.Combine(folder.Path, "firmware") },
        });

        Assert.Equal(1, exit);
        Assert.Contains("FAIL  ami.reachable", output, StringComparison.Ordinal);
        Assert.Contains("FAIL  http 127.0.0.1:", output, StringComparison.Ordinal);
        Assert.Contains($"OK    tftp {tftp.LocalEndPoints[0]}", output, StringComparison.Ordinal);
    }
}
