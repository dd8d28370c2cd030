using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Services.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

// Request log under a hostile flood: the whole service in-process (`acb run` as RunCommand.Build
// makes it, Tftp:AllowedNetworks 127.0.0.0/29, no AMI), then DATAGRAMS hostile TFTP datagrams per
// phase over loopback, a third each of: malformed read requests from 127.0.0.2 (allowed), valid
// requests from 127.0.1.1 (outside the allowed networks) and SEP<MAC>.cnf.xml for ever new unknown
// MACs from 127.0.0.4 (allowed: the rate limit and the scan guard refuse most of them). Paced at
// RATE datagrams per second so the server's event channel does not shed them before the recorder
// sees them. After each phase, once the store stops growing, prints the growth of the database and
// its WAL since the start. With SOURCES above 1, the requests from outside the allowed networks come
// from that many addresses (127.1.0.1 on; UDP sources are easily forged). Usage: DATAGRAMS PHASES RATE
// SOURCES (default 100000 2 10000 1).
var datagrams = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var phases = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
var rate = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000;
var sources = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
var folder = Directory.CreateTempSubdirectory("acb-bench-reqlog-").FullName;
try
{
    var database = Path.Combine(folder, "acb.db");
    await using var app = RunCommand.Build([], null, new Dictionary<string, string?>
    {
        ["Tftp:Listen:0"] = "127.0.0.1:0",
        ["Tftp:AllowedNetworks:0"] = "127.0.0.0/29",
        ["Http:Listen:0"] = "127.0.0.1:0",
        ["Storage:Database"] = database,
        ["Firmware:Directory"] = Path.Combine(folder, "firmware"),
        ["Logging:LogLevel:Default"] = "Error",
    });
    await app.StartAsync();
    var server = app.Services.GetRequiredService<TftpHostedService>().Server;
    var tftp = server.LocalEndPoints[0];
    await SettleAsync(database);
    var before = Size(database);
    Console.WriteLine($"store after start: {Mb(before)} (db {Mb(FileSize(database))}, wal {Mb(FileSize(database + "-wal"))})");

    using var malformed = Bound("127.0.0.2");
    byte[] truncated = [0, 1, .. "SEP0006D7AABBCC.cnf.xml"u8];
    var outside = Enumerable.Range(0, sources).Select(n => Bound(n == 0 ? "127.0.1.1" : $"127.1.{n / 250}.{(n % 250) + 1}")).ToArray();
    // A scanner asks each time from a new port, as a TFTP client does: a repeated request from a port whose
    // transfer still runs would be ignored as a retransmission.
    // It aborts every transfer it is answered with (ERROR 0), so its transfers do not hold the
    // per-address limit and the rate limit and scan guard see its requests.
    var scanners = Enumerable.Range(0, 512).Select(_ => Bound("127.0.0.4")).ToArray();
    using var stopAborting = new CancellationTokenSource();
    var aborting = scanners.Select(s => AbortTransfersAsync(s, stopAborting.Token)).ToArray();
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    long sent = 0;
    long mac = 0x0006D7000000L;
    for (var phase = 1; phase <= phases; phase++)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < datagrams; i++)
        {
            switch (i % 3)
            {
                case 0:
                    // An RRQ whose file name has no terminating NUL (catalogue case 9).
                    malformed.SendTo(truncated, tftp);
                    break;
                case 1:
                    outside[i / 3 % outside.Length].SendTo(ReadRequest("OS79XX.TXT"), tftp);
                    break;
                default:
                    scanners[i / 3 % scanners.Length].SendTo(ReadRequest("SEP" + (mac++).ToString("X12", CultureInfo.InvariantCulture) + ".cnf.xml"), tftp);
                    break;
            }

            sent++;
            if (i % 100 == 99)
            {
                // Pace: never ahead of RATE per second.
                var due = TimeSpan.FromSeconds((i + 1) / (double)rate);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }
            }
        }

        var sending = clock.Elapsed;
        await SettleAsync(database);
        var after = Size(database);
        var c = server.Counters;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"after {sent:N0} datagrams (phase {phase} sent in {sending.TotalSeconds:0.0} s, settled after {clock.Elapsed.TotalSeconds:0.0} s): store {Mb(after)}, growth {Mb(after - before)} (db {Mb(FileSize(database))}, wal {Mb(FileSize(database + "-wal"))})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  server: requests {c.Requests:N0}, malformed {c.Malformed:N0}, denied {c.Denied:N0}, busy {c.Busy:N0}, served {c.Served:N0}, not found {c.NotFound:N0}, failed {c.Failed:N0}, active {c.Active:N0}, repeated {c.DuplicateRequests:N0}, events dropped {c.DroppedEvents:N0}"));
        var tables = await TablesAsync(database);
        Console.WriteLine("  store: " + tables);
    }

    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
    Console.WriteLine($"cpu {cpu.TotalSeconds:0.0} s for {sent:N0} datagrams (sender, server and recorder in one process); peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MB");
    await stopAborting.CancelAsync();
    await Task.WhenAll(aborting);
    await app.StopAsync();
    foreach (var socket in scanners.Concat(outside))
    {
        socket.Dispose();
    }
}
finally
{
    SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}

static Socket Bound(string address)
{
    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
    return socket;
}

static async Task AbortTransfersAsync(Socket socket, CancellationToken cancellationToken)
{
    var buffer = new byte[70_000];
    try
    {
        while (true)
        {
            var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
            if (received.ReceivedBytes >= 2 && buffer[1] is 3 or 6)
            {
                await socket.SendToAsync(new byte[] { 0, 5, 0, 0, (byte)'x', 0 }, received.RemoteEndPoint, cancellationToken);
            }
        }
    }
    catch (OperationCanceledException)
    {
    }
}

static byte[] ReadRequest(string name) => [0, 1, .. Encoding.ASCII.GetBytes(name), 0, .. "octet"u8, 0];

static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

static long Size(string database) => FileSize(database) + FileSize(database + "-wal");

static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.00} MB");

// The recorder writes behind the server: wait until the files have not changed for three seconds.
static async Task SettleAsync(string database)
{
    var last = (-1L, -1L);
    var lastRows = -1L;
    var stable = 0;
    while (stable < 6)
    {
        await Task.Delay(500);
        var now = (FileSize(database), FileSize(database + "-wal"));
        var rows = await RowsAsync(database);
        stable = now == last && rows == lastRows ? stable + 1 : 0;
        last = now;
        lastRows = rows;
    }
}

static async Task<long> RowsAsync(string database)
{
    await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
    await connection.OpenAsync();
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT coalesce(max(id), 0) FROM request_log";
    return (long)(await command.ExecuteScalarAsync())!;
}

static async Task<string> TablesAsync(string database)
{
    await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
    await connection.OpenAsync();
    var parts = new List<string>();
    foreach (var table in new[] { "request_log", "refused_requests", "discovered_phones" })
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '{table}'";
        if ((long)(await command.ExecuteScalarAsync())! == 0)
        {
            continue;
        }

        command.CommandText = $"SELECT count(*) FROM {table}";
        var rows = (long)(await command.ExecuteScalarAsync())!;
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"{table} {rows:N0} rows"));
    }

    return string.Join(", ", parts);
}
