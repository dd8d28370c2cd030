using System.CommandLine;
using System.Globalization;
using AsteriskCiscoBridge.Host.Storage;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary>
/// <c>acb log [--follow] [--mac MAC] [--limit N]</c>: what phones asked for, what they got and why,
/// one line per request, oldest first: <c>TIME  CLIENT  asked NAME: EXPLANATION</c>. With
/// <c>--follow</c>, keeps polling the store for new requests until Ctrl-C.
/// </summary>
internal static class LogCommand
{
    /// <summary>How often <c>--follow</c> polls the store.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

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
            for (var i = recent.Count - 1; i >= 0; i--)
            {
                await output.WriteLineAsync(Line(recent[i]));
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
        $"{record.At.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}  {record.Client,-21}  asked {record.FileName}: {RequestExplainer.Explain(record.FileName, record.Outcome, record.Source, record.Bytes)}");

    // With --mac and no request of that phone yet, follow from the newest of all, not from the start.
    private static async Task<long> LastIdAsync(RequestLog log, CancellationToken cancellationToken) =>
        (await log.RecentAsync(null, 1, cancellationToken)).FirstOrDefault()?.Id ?? 0;
}
