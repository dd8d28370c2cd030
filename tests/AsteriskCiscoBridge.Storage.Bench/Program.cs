using System.Diagnostics;
using System.Globalization;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Storage;

// Usage: AsteriskCiscoBridge.Storage.Bench [PHONES] [FOLDER]
// Renders PHONES phones (half 7960, half 7965, 2 lines each), then stores them in a fresh SQLite
// file in FOLDER (default: a new temp folder), and prints wall time and memory for each step.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var temporary = args.Length <= 1;
var folder = temporary ? Directory.CreateTempSubdirectory("acb-bench-").FullName : args[1];
var ct = CancellationToken.None;
var site = new SiteSettings { AsteriskHost = "192.0.2.10", PhoneLabel = "Bench site", NtpServer = "192.0.2.123" };
var phones = Enumerable.Range(0, count).Select(i =>
{
    var mac = MacAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"0050{i:X8}")).Mac!.Value;
    var model = i % 2 == 0 ? PhoneModels.Cisco7960 : PhoneModels.Cisco7965;
    var a = 100000 + (2 * i);
    LineInput[] lines =
    [
        new(a.ToString(CultureInfo.InvariantCulture), null, $"pw-{a}-x;#", $"User {a} & Co <desk>"),
        new((a + 1).ToString(CultureInfo.InvariantCulture), null, $"pw-{a + 1}", $"Zoë Müller {a + 1}"),
    ];
    return new Phone(mac, model, lines);
}).ToArray();

PhoneRenderResult[] Render()
{
    var siteFiles = SiteFileSet.Render(site);
    var results = new PhoneRenderResult[phones.Length];
    for (var i = 0; i < phones.Length; i++)
    {
        results[i] = PhoneFileSet.Render(site, siteFiles, phones[i]);
    }

    return results;
}

// CPU time next to wall time: on a shared machine wall time includes waiting for a core.
var cpuBefore = TimeSpan.Zero;
void Report(string step, TimeSpan elapsed, long allocated)
{
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{step,-44} {elapsed.TotalMilliseconds,6:F0} ms wall {(cpu - cpuBefore).TotalMilliseconds,6:F0} ms cpu  allocated {allocated / 1048576.0,6:F1} MiB  working set {Environment.WorkingSet / 1048576.0,4:F0} MiB"));
}

(T Result, TimeSpan Elapsed, long Allocated) Measure<T>(Func<T> work)
{
    GC.Collect();
    cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var start = Stopwatch.GetTimestamp();
    var result = work();
    return (result, Stopwatch.GetElapsedTime(start), GC.GetTotalAllocatedBytes(precise: true) - before);
}

async Task<(T Result, TimeSpan Elapsed, long Allocated)> MeasureAsync<T>(Func<Task<T>> work)
{
    GC.Collect();
    cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var start = Stopwatch.GetTimestamp();
    var result = await work();
    return (result, Stopwatch.GetElapsedTime(start), GC.GetTotalAllocatedBytes(precise: true) - before);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} phones (half 7960, half 7965), 2 lines each; database in {folder}"));
var cold = Measure(Render);
Report("render, first run (includes JIT)", cold.Elapsed, cold.Allocated);
var warm = Measure(Render);
Report("render, second run", warm.Elapsed, warm.Allocated);
var failed = warm.Result.Count(r => !r.Succeeded);
if (failed > 0)
{
    Console.WriteLine($"{failed} phones failed to render");
    return 1;
}

var factory = new SqliteConnectionFactory(new StorageOptions { Database = Path.Combine(folder, "bench.db") });
await factory.MigrateAsync(ct);
var store = new PhoneStore(factory);
var config = new ConfigStore(factory);
var now = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
var renderings = warm.Result.Select((r, i) => new StoredPhoneFiles(phones[i].Mac, r.Files.Where(f => f.Scope == FileScope.Phone).ToArray(), r.SyncValue, r.VersionStamp)).ToArray();

var bind = await MeasureAsync(async () =>
{
    foreach (var phone in phones)
    {
        await store.BindAsync(phone.Mac, phone.Model, [new BindingRow { Position = 1, Endpoint = phone.Lines[0].Extension }, new BindingRow { Position = 2, Endpoint = phone.Lines[1].Extension }], "bench", now, ct);
    }

    return 0;
});
Report("bind (one transaction per phone, setup)", bind.Elapsed, bind.Allocated);

var write = await MeasureAsync(async () =>
{
    await config.SaveSiteFilesAsync(SiteFileSet.Render(site).Files, now, ct);
    return await store.SaveRenderedAsync(renderings, now, ct);
});
Report("store write, all phones in one transaction", write.Elapsed, write.Allocated);

var unchanged = await MeasureAsync(() => store.SaveRenderedAsync(renderings, now, ct));
Report("store write again, content unchanged", unchanged.Elapsed, unchanged.Allocated);

var changed = renderings.Select(r => r with { Files = r.Files.Select(f => f with { Content = [.. f.Content, (byte)'\n'] }).ToArray() }).ToArray();
var perPhone = await MeasureAsync(async () =>
{
    foreach (var r in changed)
    {
        await store.SaveRenderedAsync(r, now, ct);
    }

    return 0;
});
Report("store write, one transaction per phone", perPhone.Elapsed, perPhone.Allocated);

// Reads back what a provisioning round and `acb phones` read: every phone, binding and stored file.
var read = await MeasureAsync(async () =>
{
    var rows = await store.ListAsync(ct);
    var bindings = await store.AllBindingsAsync(ct);
    var files = await store.AllFilesAsync(ct);
    return rows.Count + bindings.Sum(b => b.Value.Count) + files.Count;
});
Report("read back phones, bindings and files", read.Elapsed, read.Allocated);

var updated = write.Result.Count(r => r.Outcome == SaveOutcome.Updated);
var bumped = unchanged.Result.Count(r => r.Outcome == SaveOutcome.Updated);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"stored {updated} phones; unchanged rewrite bumped {bumped}; read back {read.Result} rows; database {new FileInfo(Path.Combine(folder, "bench.db")).Length / 1048576.0:F1} MiB (+WAL); peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB"));
if (temporary)
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}

return 0;
