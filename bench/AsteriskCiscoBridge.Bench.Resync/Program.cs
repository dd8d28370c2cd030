using System.Diagnostics;
using System.Globalization;
using System.Text;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Tftp;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

// Reload to NOTIFY: PHONES bound phones on PHONES endpoints of the AMI test server, the whole
// service in-process with staggering off; one Reload after CHANGED passwords changed; time from
// the Reload to the last PJSIPNotify Asterisk receives. Usage: PHONES CHANGED [--program ACB]
// (default 5000 1000). With --program the service is that program (the native executable, or an
// acb.dll run by dotnet) started as `acb run` in its own process, whose own peak RSS and CPU are
// then reported apart from this process's AMI test server.
// With "storm PHONES SECONDS" first: the registration storm instead (RegistrationStorm.cs).
if (args is ["storm", ..])
{
    return await RegistrationStorm.RunAsync(args[1..]);
}

var program = args.SkipWhile(a => a != "--program").Skip(1).FirstOrDefault();
args = [.. args.TakeWhile(a => a != "--program")];
if (program is not null)
{
    return await ServiceProcess.RunAsync(program, args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000);
}

var phones = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
var changed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
var folder = Directory.CreateTempSubdirectory("acb-bench-resync-").FullName;
try
{
    var site = await BenchSite.CreateAsync(folder, phones);
    await using var asterisk = AmiTestServer.Start(site.Pbx);
    var database = site.Database;
    var connections = site.Connections;
    var store = site.Store;

    await using var app = RunCommand.Build([], null, new Dictionary<string, string?>
    {
        ["Tftp:Listen:0"] = "127.0.0.1:0",
        ["Http:Listen:0"] = "127.0.0.1:0",
        ["Storage:Database"] = database,
        ["Firmware:Directory"] = Path.Combine(folder, "firmware"),
        ["Ami:Host"] = "127.0.0.1",
        ["Ami:Port"] = asterisk.Port.ToString(CultureInfo.InvariantCulture),
        ["Ami:Username"] = "bridge",
        ["Ami:Secret"] = "bridgepw",
        ["Ami:Sync:Debounce"] = "00:00:00",
        ["Resync:Interval"] = "00:00:00",
        ["Logging:LogLevel:Default"] = "Warning",
        // The served-change probe below asks every 20 ms from one address.
        ["Security:RateLimit:RequestsPerSecond"] = "0",
    });
    var clock = Stopwatch.StartNew();
    await app.StartAsync();

    // First start: every phone's files are new, so every phone is told once.
    await NotifiesAsync(asterisk, phones);
    Console.WriteLine($"first start: {phones} phones rendered, stored and notified in {clock.ElapsedMilliseconds} ms");

    site.ChangePasswords(changed);

    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    clock.Restart();
    await asterisk.SendReloadAsync(CancellationToken.None);
    await NotifiesAsync(asterisk, changed);
    var elapsed = clock.ElapsedMilliseconds;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
    Console.WriteLine($"reload changing {changed} of {phones}: last NOTIFY {elapsed} ms after the Reload event (cpu {cpu.TotalMilliseconds:0} ms, AMI test server in the same process)");

    // An admin change beside the service (what `acb bind MAC … --set label=…` commits): from its commit to the
    // first TFTP fetch that serves it, through the store watcher and a round over the held snapshot.
    var tftp = app.Services.GetRequiredService<TftpHostedService>().Server.LocalEndPoints[0];
    var probe = BenchSite.MacOf(0);
    var sync = app.Services.GetRequiredService<EndpointSyncService>();
    var snapshotRounds = sync.Rounds;
    clock.Restart();
    await store.SetSettingsAsync(probe, [new("label", "Probe")], "bench", DateTimeOffset.UtcNow, CancellationToken.None);
    while (!Encoding.UTF8.GetString((await TftpTestClient.AskAsync(tftp, "127.0.0.1", $"SIP{probe}.cnf", CancellationToken.None)).Bytes ?? []).Contains("phone_label: \"Probe\"", StringComparison.Ordinal))
    {
        await Task.Delay(20);
    }

    var served = clock.ElapsedMilliseconds;
    // The round serves the file before it plans resyncs; it counts itself once done.
    while (sync.RequestedRounds == 0)
    {
        await Task.Delay(20);
    }

    Console.WriteLine($"admin change beside the service: served {served} ms after its commit, round done after {clock.ElapsedMilliseconds} ms ({sync.RequestedRounds} requested round, {sync.Rounds - snapshotRounds} snapshot reads)");
    // The persisted queue after the round: every phone told is awaiting its fetch (answers are
    // written per round, after the last NOTIFY; stopping the app waits for that write).
    await app.StopAsync();
    var queued = await new ResyncQueue(connections).ListAsync(CancellationToken.None);
    Console.WriteLine($"resync queue: {queued.Count(r => r.State == ResyncState.AwaitingFetch)} awaiting fetch, {queued.Count} rows");
    Console.WriteLine($"peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MB; managed heap {GC.GetTotalMemory(false) / (1 << 20)} MB");
}
finally
{
    Directory.Delete(folder, recursive: true);
}

return 0;

static async Task NotifiesAsync(AmiTestServer server, int count)
{
    var seen = 0;
    using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
    while (seen < count)
    {
        var received = await server.Received.ReadAsync(limit.Token);
        seen += received.Action["Action"] == "PJSIPNotify" ? 1 : 0;
    }
}
