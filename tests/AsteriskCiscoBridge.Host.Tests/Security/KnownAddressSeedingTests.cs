using System.Net;
using AsteriskCiscoBridge.Host.Tests.Cli;
using AsteriskCiscoBridge.Host.Tests.Provisioning;
using AsteriskCiscoBridge.Host.Tests.Support;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.Extensions.DependencyInjection;

namespace AsteriskCiscoBridge.Host.Tests.Security;

public sealed class KnownAddressSeedingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<int> AskAsync(IPEndPoint server, string from, string name) => (await TftpTestClient.AskAsync(server, from, name, Ct)).ErrorCode;


    [Fact]
    public async Task After_a_restart_a_phone_stays_pinned_to_the_address_of_its_last_fetch()
    {
        using var cli = new CliHarness();
        using var firmware = new TempDirectory("acb-fw");
        var bound = await cli.RunAsync("bind", "0011223344AA", "6001", "--model", "7960", "--line-data", cli.WriteLineData("""[{"endpoint":"6001","password":"pw"}]"""));
        Assert.Equal(0, bound.Exit);
        var log = new RequestLog(new SqliteConnectionFactory(new StorageOptions { Database = cli.DatabasePath }));
        await using (var before = PhoneDiscoveryTests.Build(cli, firmware))
        {
            await before.StartAsync(Ct);
            var tftp = before.Services.GetRequiredService<TftpHostedService>().Server.LocalEndPoints[0];
            var recorder = before.Services.GetRequiredService<RequestRecorder>();
            var logged = recorder.LoggedCount.Value;
            Assert.Equal(0, await AskAsync(tftp, "127.0.0.90", "SIP0011223344AA.cnf"));
            await recorder.LoggedCount.ReachedAsync(logged + 1, Ct).WithinAsync(TimeSpan.FromSeconds(30), "the fetch in the request log", Ct);
            Assert.Single(await log.RecentAsync(null, 10, Ct));
            await before.StopAsync(Ct);
        }

        await using var after = PhoneDiscoveryTests.Build(cli, firmware, ("Security:AddressPinning", "deny"));
        await after.StartAsync(Ct);
        var server = after.Services.GetRequiredService<TftpHostedService>().Server.LocalEndPoints[0];

        Assert.Equal(2, await AskAsync(server, "127.0.0.91", "SIP0011223344AA.cnf"));
        Assert.Equal(0, await AskAsync(server, "127.0.0.90", "SIP0011223344AA.cnf"));
        await after.StopAsync(Ct);
    }
}
