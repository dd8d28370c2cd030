using System.Diagnostics;
using System.Globalization;
using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Testing.Ami;

// Usage: dotnet run -c Release --project bench/AsteriskCiscoBridge.Bench.Ami -- [endpoints] [realtimeEvery] [runs]
// The AMI test server runs in a child process (so its memory is not counted); this process reads
// full snapshots from it over loopback and reports time per snapshot and its own peak RSS.
if (args.Length > 0 && args[0] == "serve")
{
    var count = int.Parse(args[1], CultureInfo.InvariantCulture);
    var realtime = int.Parse(args[2], CultureInfo.InvariantCulture);
    await using var server = AmiTestServer.Start(AmiTestPbx.Generate(count, realtime));
    Console.WriteLine(server.Port.ToString(CultureInfo.InvariantCulture));
    await Console.In.ReadLineAsync();
    return 0;
}

var endpoints = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var realtimeEvery = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;

var host = Environment.ProcessPath!;
var childArgs = new List<string>();
if (Path.GetFileNameWithoutExtension(host) == "dotnet")
{
    childArgs.Add(typeof(AmiTestServer).Assembly.Location.Replace("AsteriskCiscoBridge.Testing.dll", "AsteriskCiscoBridge.Bench.Ami.dll", StringComparison.Ordinal));
}

childArgs.AddRange(["serve", endpoints.ToString(CultureInfo.InvariantCulture), realtimeEvery.ToString(CultureInfo.InvariantCulture)]);
using var child = Process.Start(new ProcessStartInfo(host, childArgs)
{
    RedirectStandardInput = true,
    RedirectStandardOutput = true,
})!;
var port = int.Parse((await child.StandardOutput.ReadLineAsync())!, CultureInfo.InvariantCulture);

var time = TimeProvider.System;
var options = new AmiConnectionOptions { Port = port, Username = "bridge", Secret = "bridgepw", PingInterval = TimeSpan.Zero };
await using var connection = await AmiConnection.ConnectAsync(options, time, null, CancellationToken.None);
await connection.LoginAsync(CancellationToken.None);
var reader = new PjsipSnapshotReader(connection, time);

Console.WriteLine($"endpoints={endpoints} realtimeEvery={realtimeEvery} runs={runs} (first run includes JIT)");
var timings = new List<double>();
PjsipSnapshot? last = null;
for (var run = 0; run < runs; run++)
{
    var started = time.GetTimestamp();
    var result = await reader.ReadAsync(CancellationToken.None);
    var elapsed = time.GetElapsedTime(started);
    last = result.Snapshot ?? throw new InvalidOperationException(result.Failure);
    timings.Add(elapsed.TotalMilliseconds);
    Console.WriteLine($"run {run + 1}: {elapsed.TotalMilliseconds:F0} ms, {last.Endpoints.Length} endpoints, {last.ActionCount} actions, managed heap {GC.GetTotalMemory(false) / 1048576.0:F0} MB");
}

var live = GC.GetTotalMemory(forceFullCollection: true);
using var self = Process.GetCurrentProcess();
self.Refresh();
var sorted = timings.Skip(1).Order().ToList();
Console.WriteLine($"median (runs 2..{runs}): {(sorted.Count > 0 ? sorted[sorted.Count / 2] : timings[0]):F0} ms; best {(sorted.Count > 0 ? sorted[0] : timings[0]):F0} ms; first {timings[0]:F0} ms");
Console.WriteLine($"live managed heap holding the last snapshot (after a full GC): {live / 1048576.0:F0} MB");
Console.WriteLine($"peak RSS of the reading process: {self.PeakWorkingSet64 / 1048576.0:F0} MB; provisionable {last!.Endpoints.Count(e => e.IsProvisionable)}; phoneprov sections {last.PhoneprovSections.Length}; set_var entries {last.Endpoints.Sum(e => e.SetVars.Length)}");
await child.StandardInput.WriteLineAsync();
await child.WaitForExitAsync();
return 0;
