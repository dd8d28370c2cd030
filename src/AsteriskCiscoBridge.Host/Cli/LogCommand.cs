using System.CommandLine;
using System.Globalization;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Requests;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary>
/// <c>acb log [--follow] [--mac MAC] [--limit N]</c>: what phones asked for, what they got and why,
/// one line per request, oldest first: <c>TIME  CLIENT  asked NAME: EXPLANATION</c>; refused requests
/// (malformed, outside the allowed networks, throttled, busy) one line per address and minute:
/// <c>TIME  ADDRESS  N refused requests (…) between HH:MM and HH:MM</c> (not with <c>--mac</c>: they
/// name no phone of the site). With <c>--follow</c>, keeps polling the store for new requests, and
/// prints each minute's refused requests once it is over, until Ctrl-C.
/// </summary>
internal static class LogCommand
{
    /// <summary>How often <c>--follow</c> polls the store.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long after its end a minute's refused requests are taken as all written (the recorder writes them within a second).</summary>
    public static readonly TimeSpan CountsGrace = TimeSpan.FromSeconds(5);

    public static Command Create(TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new requests as they come (Ctrl-C stops)." };
        var mac = new Option<string?>("--mac") { Description = "Only this phone's requests." };
        var limit = new Option<int>("--limit", "-n") { Description = "How many of the latest requests to print first (default 50).", DefaultValueFactory = _ => 50 };
        var config = CliStore.ConfigOption();
        var command = new Command("log", "What phones asked for, what they got, and why.") { follow, mac, limit, config };
        command.SetAction(async (parse, ct) =>
        {
            MacAddress? only = null;
            if (parse.GetValue(mac) is { } text)
            {
                if (CliStore.ParseMac(parse, text) is not { } parsed)
                {
                    return 2;
                }

                only = parsed;
            }

            var count = parse.GetValue(limit);
            if (count < 1)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("--limit must be 1 or more");
                return 2;
            }

            var store = await CliStore.OpenAsync(parse, config, ct);
            var log = new RequestLog(store.Factory);
            var output = parse.InvocationConfiguration.Output;
            var recent = await log.RecentAsync(only, count, ct);
            var last = recent.Count > 0 ? recent[0].Id : await LastIdAsync(log, ct);

            // Minutes from this one on may still grow: shown "so far", and again once over when following.
            var countsFrom = RefusedRequests.MinuteOf(time.GetUtcNow() - CountsGrace);
            var refused = only is null ? await log.RecentRefusedAsync(count, ct) : [];
            var lines = recent.Select(r => (r.At, Text: Line(r)))
                .Concat(refused.Select(c => (At: c.FirstAt, Text: Line(c, sofar: c.Minute >= countsFrom))))
                .OrderBy(l => l.At)
                .TakeLast(count);
            foreach (var line in lines)
            {
                await output.WriteLineAsync(line.Text);
            }

            if (!parse.GetValue(follow))
            {
                return 0;
            }

            await output.FlushAsync(ct);
            try
            {
                while (true)
                {
                    await Task.Delay(PollInterval, time, ct);
                    IReadOnlyList<RequestRecord> next;
                    do
                    {
                        next = await log.AfterAsync(last, only, 500, ct);
                        foreach (var record in next)
                        {
                            await output.WriteLineAsync(Line(record));
                            last = record.Id;
                        }
                    }
                    while (next.Count == 500);

                    var closedBefore = RefusedRequests.MinuteOf(time.GetUtcNow() - CountsGrace);
                    if (only is null && closedBefore > countsFrom)
                    {
                        foreach (var minute in await log.RefusedBetweenAsync(countsFrom, closedBefore, ct))
                        {
                            await output.WriteLineAsync(Line(minute));
                        }

                        countsFrom = closedBefore;
                    }

                    await output.FlushAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return 0;
            }
        });
        return command;
    }

    /// <summary>One request as <c>acb log</c> prints it.</summary>
    public static string Line(RequestRecord record) => string.Create(CultureInfo.InvariantCulture,
        $"{record.At.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}  {record.Client,-21}  asked {record.FileName}: {RequestExplanation.Explain(record.FileName, record.Outcome, record.Source, record.Bytes)}");

    /// <summary>A minute of refused requests from one address as <c>acb log</c> prints it.</summary>
    public static string Line(RefusedCount count, bool sofar = false) => string.Create(CultureInfo.InvariantCulture,
        $"{count.FirstAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}  {(count.Address == RefusedCount.OtherAddresses ? "(other addresses)" : count.Address),-21}  {RequestExplanation.Refused(new RefusedMinute(count.Minute, count.Malformed, count.Denied, count.Guarded, count.Busy, count.LastFile), sofar)}");

    // With --mac and no request of that phone yet, follow from the newest of all, not from the start.
    private static async Task<long> LastIdAsync(RequestLog log, CancellationToken cancellationToken) =>
        (await log.RecentAsync(null, 1, cancellationToken)).FirstOrDefault()?.Id ?? 0;
}
