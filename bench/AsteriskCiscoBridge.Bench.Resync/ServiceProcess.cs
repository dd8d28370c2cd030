using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AsteriskCiscoBridge.Testing.Ami;

/// <summary>
/// The Reload-to-NOTIFY bench with the service as an admin runs it: <c>acb run</c> in its own process
/// (the native executable, or <c>dotnet acb.dll</c>) over the same store and AMI test server, so that
/// the service's own peak RSS (<c>VmHWM</c>) and CPU are measured apart from the test server's.
/// </summary>
internal static partial class ServiceProcess
{
    public static async Task<int> RunAsync(string program, int phones, int changed)
    {
        var folder = Directory.CreateTempSubdirectory("acb-bench-resync-").FullName;
        try
        {
            var site = await BenchSite.CreateAsync(folder, phones);
            await using var asterisk = AmiTestServer.Start(site.Pbx);
            var database = site.Database;
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var config = Path.Combine(folder, "acb.json");
            await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["Tftp"] = new Dictionary<string, object> { ["Listen"] = new[] { "127.0.0.1:0" } },
                ["Http"] = new Dictionary<string, object> { ["Listen"] = new[] { "127.0.0.1:0" } },
                ["Dashboard"] = new Dictionary<string, object> { ["Listen"] = "127.0.0.1:0" },
                ["Storage"] = new Dictionary<string, object> { ["Database"] = database },
                ["Firmware"] = new Dictionary<string, object> { ["Directory"] = Path.Combine(folder, "firmware") },
                ["Ami"] = new Dictionary<string, object>
                {
                    ["Host"] = "127.0.0.1", ["Port"] = asterisk.Port, ["Username"] = "bridge", ["Secret"] = "bridgepw",
                    // No wait between the first start's snapshot and the Reload's: the figure is the service's work.
                    ["Sync"] = new Dictionary<string, object> { ["Debounce"] = "00:00:00", ["MinInterval"] = "00:00:00" },
                },
                ["Resync"] = new Dictionary<string, object> { ["Interval"] = "00:00:00" },
                ["Logging"] = new Dictionary<string, object> { ["LogLevel"] = new Dictionary<string, object> { ["Default"] = "Warning" } },
            }));

            var native = !program.EndsWith(".dll", StringComparison.Ordinal);
            var info = new ProcessStartInfo(native ? program : "dotnet") { UseShellExecute = false, RedirectStandardOutput = true, WorkingDirectory = folder };
            string[] arguments = native ? ["run", "--config", config] : [program, "run", "--config", config];
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            var clock = Stopwatch.StartNew();
            using var acb = Process.Start(info)!;
            acb.OutputDataReceived += (_, _) => { };
            acb.BeginOutputReadLine();
            try
            {
                await NotifiesAsync(asterisk, phones);
                Console.WriteLine($"first start ({(native ? "native" : "dotnet")} acb run, own process): {phones} phones rendered, stored and notified in {clock.ElapsedMilliseconds} ms from exec");

                site.ChangePasswords(changed);

                var cpuBefore = Cpu(acb.Id);
                clock.Restart();
                await asterisk.SendReloadAsync(CancellationToken.None);
                await NotifiesAsync(asterisk, changed);
                var elapsed = clock.ElapsedMilliseconds;
                Console.WriteLine($"reload changing {changed} of {phones}: last NOTIFY {elapsed} ms after the Reload event (service cpu {(Cpu(acb.Id) - cpuBefore).TotalMilliseconds:0} ms)");
                Console.WriteLine($"service peak RSS {Status(acb.Id, "VmHWM") / 1024} MB, RSS now {Status(acb.Id, "VmRSS") / 1024} MB");
            }
            finally
            {
                using var term = Process.Start("kill", ["-TERM", acb.Id.ToString(CultureInfo.InvariantCulture)]);
                await acb.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    private static async Task NotifiesAsync(AmiTestServer server, int count)
    {
        var seen = 0;
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (seen < count)
        {
            var received = await server.Received.ReadAsync(limit.Token);
            seen += received.Action["Action"] == "PJSIPNotify" ? 1 : 0;
        }
    }

    /// <summary>A /proc/PID/status field in kB.</summary>
    private static long Status(int pid, string field) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(Digits().Match(l).Value, CultureInfo.InvariantCulture)).Single();

    /// <summary>User and system CPU of a process (/proc/PID/stat fields 14 and 15, in clock ticks of 10 ms).</summary>
    private static TimeSpan Cpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromMilliseconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10);
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
