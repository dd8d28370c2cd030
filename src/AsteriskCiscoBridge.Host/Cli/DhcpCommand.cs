using System.CommandLine;
using AsteriskCiscoBridge.Provisioning.Dhcp;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary><c>acb dhcp --tftp IP[,IP…] --format dnsmasq|isc|kea|ios</c>: option 150 and 66 snippets.</summary>
internal static class DhcpCommand
{
    public static Command Create()
    {
        var tftp = new Option<string>("--tftp") { Description = "TFTP server address(es) the phones should use, IPv4, comma-separated, in order.", Required = true };
        var format = new Option<DhcpFormat>("--format") { Description = "DHCP server: dnsmasq, isc, kea or ios.", Required = true };
        var dhcp = new Command("dhcp", "Print the DHCP option 150/66 configuration that points phones at this bridge.") { tftp, format };
        dhcp.SetAction(async (parse, cancellationToken) =>
        {
            var servers = DhcpSnippets.ParseServers(parse.GetValue(tftp)!, out var error);
            if (servers is null)
            {
                await Console.Error.WriteLineAsync($"acb dhcp: {error}");
                return 2;
            }

            await Console.Out.WriteAsync(DhcpSnippets.Render(parse.GetValue(format), servers));
            return 0;
        });
        return dhcp;
    }
}
