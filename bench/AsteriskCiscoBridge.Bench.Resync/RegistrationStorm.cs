using System.Diagnostics;
using System.Globalization;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registration storm (docs/benchmarks.md, "Registration storm: AMI actions"): PHONES bound phones on
/// PHONES endpoints of the AMI test server, none registered when the service starts (so each waits for
/// its contact); then every phone registers, evenly over SECONDS, each REGISTER announced as the
/// recording shows (ContactStatus NonQualified, then Reachable); then all of them again from the same
/// contact with a new Call-ID (ContactStatus Updated), as after a power cut. Counts the AMI actions the
/// service sends during each storm and until it settles, by name. The service runs with its default
/// Ami:Sync settings (debounce 1 s, poll 5 min) and staggering off, so every waiting phone is told at once.
/// </summary>
internal static class RegistrationStorm
{
    public static async Task<int> RunAsync(string[] args)
    {
        var phones = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 60;
        var folder = Directory.CreateTempSubdirectory("acb-bench-storm-").FullName;
        try
        {
            var pbx = new AmiTestPbx();
            var names = new List<string>();
            for (var i = 0; i < phones; i++)
            {
                var name = (100000 + i).ToString(CultureInfo.InvariantCulture);
                names.Add(name);
                pbx.Set(AmiTestEndpoint.Plain(name, "pw-" + name, $"\"User {i}\" <{name}>"));
            }

            await using var asterisk = AmiTestServer.Start(pbx);
            var database = Path.Combine(folder, "acb.db");
            var connections = new SqliteConnectionFactory(new StorageOptions { Database = database });
            await connections.MigrateAsync(CancellationToken.None);
            var store = new PhoneStore(connections);
            for (var i = 0; i < phones; i++)
            {
                var mac = MacAddress.Parse((0x0006D7000000L + i).ToString("X12", CultureInfo.InvariantCulture)).Mac!.Value;
                await store.BindAsync(mac, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = names[i] }], "bench", DateTimeOffset.UtcNow, CancellationToken.None);
            }

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
                ["Resync:Interval"] = "00:00:00",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            await app.StartAsync();
            var sync = app.Services.GetRequiredService<EndpointSyncService>();
            while (sync.Rounds == 0)
            {
                await Task.Delay(20);
            }

            // 1. A new site: every phone registers for the first time (new contact, User-Agent not seen before).
            await StormAsync("first registrations", asterisk, sync, names, phones, seconds, n => $"{n:x8}@127.0.0.1");

            // 2. A power cut: the same phones boot again and register from the same contact with a new
            //    Call-ID (ContactStatus Updated), same load; every phone was told in phase 1 and is not queued.
            await StormAsync("the same phones again after a power cut", asterisk, sync, names, phones, seconds, n => $"{n:x8}-boot2@127.0.0.1");
            await app.StopAsync();
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task StormAsync(string label, AmiTestServer asterisk, EndpointSyncService sync, List<string> names, int phones, double seconds, Func<int, string> callId)
    {
        var before = asterisk.ActionCounts;
        var rounds = sync.Rounds;
        var requested = sync.RequestedRounds;
        var notifies = asterisk.CountOf("PJSIPNotify");
        var events = 0;
        var clock = Stopwatch.StartNew();
        var gap = TimeSpan.FromSeconds(seconds / phones);
        for (var i = 0; i < phones; i++)
        {
            // Evenly spread: phone i registers at i × gap from the start.
            var due = gap * i - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var name = names[i];
            var known = asterisk.Pbx.Find(name)!.Contacts.Length > 0;
            events += known ? 1 : 2;
            await asterisk.RegisterAsync(name, "pw-" + name, _ => new AmiTestContact($"sip:{name}@127.0.0.1:9", "Cisco-CP7960G/8.0", callId(i)), CancellationToken.None);
        }

        var storm = clock.Elapsed;

        // Settled: no action for two seconds (and, the first time, every phone told).
        var last = Total(asterisk.ActionCounts);
        var quiet = Stopwatch.StartNew();
        while (quiet.Elapsed < TimeSpan.FromSeconds(2) || (notifies == 0 && asterisk.CountOf("PJSIPNotify") < phones))
        {
            await Task.Delay(50);
            if (Total(asterisk.ActionCounts) != last)
            {
                last = Total(asterisk.ActionCounts);
                quiet.Restart();
            }

            if (clock.Elapsed > storm + TimeSpan.FromMinutes(2))
            {
                Console.WriteLine("did not settle within 2 min after the storm");
                break;
            }
        }

        var after = asterisk.ActionCounts;
        Console.WriteLine($"{label}: {phones} phones registered over {storm.TotalSeconds:F1} s ({events} ContactStatus events); settled {clock.Elapsed.TotalSeconds:F1} s after the first");
        Console.WriteLine($"  snapshot rounds: {sync.Rounds - rounds}; rounds over the held snapshot (no AMI read): {sync.RequestedRounds - requested}");
        foreach (var name in after.Keys.Order(StringComparer.Ordinal))
        {
            var d = Delta(after, before, name);
            if (d > 0)
            {
                Console.WriteLine($"  {name,-28} {d,6}");
            }
        }

        var all = after.Keys.Sum(k => Delta(after, before, k));
        Console.WriteLine($"  {"total",-28} {all,6}  (reads: {all - Delta(after, before, "PJSIPNotify")})");
    }

    private static int Total(IReadOnlyDictionary<string, int> counts) => counts.Values.Sum();

    private static int Delta(IReadOnlyDictionary<string, int> after, IReadOnlyDictionary<string, int> before, string name) =>
        after.GetValueOrDefault(name) - before.GetValueOrDefault(name);
}
