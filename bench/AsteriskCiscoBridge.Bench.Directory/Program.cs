using System.Diagnostics;
using System.Globalization;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Provisioning.Phonebook;
using AsteriskCiscoBridge.Testing.Ami;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

// Directory page: ENDPOINTS endpoints (default 10,000). Part 1, the pure page: PhoneDirectory.Search plus
// DirectoryXml.Directory, RUNS times for each kind of request (no query, a page in the middle, the last page, a name
// search, a number search). Part 2, the same pages over real HTTP from the whole service in-process, its directory read
// from the AMI test server. Prints median, p95 and max per kind. Usage: ENDPOINTS RUNS (default 10000 2000).
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
string Number(int i) => (20000 + i).ToString(CultureInfo.InvariantCulture);

(string Kind, string? Name, string? Number, int Page)[] requests =
[
    ("first page, no query", null, null, 1),
    ("page in the middle", null, null, (count / PhoneDirectory.PageSize) / 2),
    ("page past the end (last)", null, null, int.MaxValue),
    ("name search 'person 0999'", "person 0999", null, 1),
    ("number search '99', page 2", null, "99", 2),
];

static string Stats(List<double> ms)
{
    ms.Sort();
    return string.Create(CultureInfo.InvariantCulture, $"median {ms[ms.Count / 2],7:F3} ms  p95 {ms[(int)(ms.Count * 0.95)],7:F3} ms  max {ms[^1],7:F3} ms");
}

var build = Stopwatch.StartNew();
var directory = PhoneDirectory.Build(Enumerable.Range(0, count).Select(i => new DirectoryListing(Number(i), $"Person {i:D5}", null)));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"build: {directory.Entries.Length} entries in {build.Elapsed.TotalMilliseconds:F1} ms"));
var client = DirectoryClient.Of("CP-8841");
foreach (var (kind, name, number, page) in requests)
{
    var times = new List<double>(runs);
    var bytes = 0;
    for (var r = 0; r < runs; r++)
    {
        var start = Stopwatch.GetTimestamp();
        var found = directory.Search(name, number, page);
        var xml = DirectoryXml.Directory("Directory", found, p => string.Create(CultureInfo.InvariantCulture, $"http://192.0.2.10:6970/directory/list?name={name}&number={number}&page={p}"), client);
        times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        bytes = xml.Length;
    }

    Console.WriteLine($"pure  {kind,-30} {Stats(times)}  ({bytes} chars)");
}

// Part 2: the whole service, the directory read from AMI, pages fetched over loopback HTTP.
var folder = Directory.CreateTempSubdirectory("acb-bench-directory-").FullName;
try
{
    var pbx = new AmiTestPbx();
    for (var i = 0; i < count; i++)
    {
        pbx.Set(AmiTestEndpoint.Plain(Number(i), "pw" + Number(i), $"\"Person {i:D5}\" <{Number(i)}>"));
    }

    await using var asterisk = AmiTestServer.Start(pbx);
    await using var app = RunCommand.Build([], null, new Dictionary<string, string?>
    {
        ["Tftp:Listen:0"] = "127.0.0.1:0",
        ["Http:Listen:0"] = "127.0.0.1:0",
        ["Dashboard:Listen"] = "127.0.0.1:0",
        ["Storage:Database"] = Path.Combine(folder, "acb.db"),
        ["Firmware:Directory"] = Path.Combine(folder, "firmware"),
        ["Ami:Host"] = "127.0.0.1",
        ["Ami:Port"] = asterisk.Port.ToString(CultureInfo.InvariantCulture),
        ["Ami:Username"] = "bridge",
        ["Ami:Secret"] = "bridgepw",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Security:RateLimit:RequestsPerSecond"] = "0",
    });
    await app.StartAsync();
    var dashboard = app.Services.GetRequiredService<AsteriskCiscoBridge.Dashboard.DashboardSettings>().Bound!().Port;
    using var http = new HttpClient { BaseAddress = app.Urls.Select(u => new Uri(u)).First(u => u.Port != dashboard) };
    http.DefaultRequestHeaders.Add("x-CiscoIPPhoneModelName", "CP-8841");
    var ready = Stopwatch.StartNew();
    while (!(await http.GetStringAsync(new Uri("/directory/list", UriKind.Relative))).Contains($"of {count}", StringComparison.Ordinal))
    {
        if (ready.Elapsed > TimeSpan.FromMinutes(2))
        {
            throw new TimeoutException("the service never listed every endpoint");
        }

        await Task.Delay(50);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"service: {count} endpoints listed {ready.Elapsed.TotalMilliseconds:F0} ms after start"));
    var httpRuns = Math.Max(1, runs / 4);
    foreach (var (kind, name, number, page) in requests)
    {
        var url = new Uri(string.Create(CultureInfo.InvariantCulture, $"/directory/list?name={name}&number={number}&page={(page == int.MaxValue ? 999999 : page)}"), UriKind.Relative);
        var times = new List<double>(httpRuns);
        for (var r = 0; r < httpRuns; r++)
        {
            var start = Stopwatch.GetTimestamp();
            _ = await http.GetByteArrayAsync(url);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        Console.WriteLine($"http  {kind,-30} {Stats(times)}");
    }

    await app.StopAsync();
}
finally
{
    Directory.Delete(folder, recursive: true);
}
