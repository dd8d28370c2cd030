using System.CommandLine;
using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary>
/// <c>acb resync (MAC… | --all) [--dry-run]</c>: asks phones to re-read their configuration now,
/// the way the service does after a change (check-sync or service-control restart, staggered,
/// only to live contacts), and records each NOTIFY in the notify log.
/// </summary>
internal static class ResyncCommand
{
    // The queue row's reason for a phone an admin resynced from the command line.
    private const string AdminReason = "admin resync";

    public static Command Create(TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var macs = new Argument<string[]>("MAC") { Description = "Phones to resync.", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Every bound phone." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what would be sent, send nothing." };
        var config = CliStore.ConfigOption();
        var command = new Command("resync", "Ask phones to re-read their configuration now, through Asterisk (PJSIPNotify).") { macs, all, dryRun, config };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var given = parse.GetValue(macs) ?? [];
            if (given.Length == 0 == !parse.GetValue(all))
            {
                await error.WriteLineAsync("acb resync: give MAC addresses or --all (not both)");
                return 2;
            }

            var wanted = new List<MacAddress>();
            foreach (var text in given)
            {
                if (CliStore.ParseMac(parse, text) is not { } mac)
                {
                    return 2;
                }

                wanted.Add(mac);
            }

            var configuration = AcbConfiguration.Build(parse.GetValue(config)?.FullName);
            if (AmiOptions.Bind(configuration, out var problem) is not { } ami)
            {
                await error.WriteLineAsync("acb resync: " + problem);
                return 2;
            }

            var store = await CliStore.OpenAsync(parse, config, ct);
            if (parse.GetValue(all))
            {
                wanted.AddRange((await store.Phones.ListAsync(ct)).Select(p => p.Mac));
            }

            var options = configuration.GetSection("Resync").Get<ResyncOptions>() ?? new ResyncOptions();
            var queue = new ResyncQueue(store.Factory);
            var admin = new AdminResync(store.Phones, queue, options, time, NullLoggerFactory.Instance);
            try
            {
                await using var run = await admin.PlanAsync(ami, wanted, ct);
                if (run.Plan is not { } plan)
                {
                    await error.WriteLineAsync("acb resync: " + run.Failure);
                    return 1;
                }

                // Where each phone stood, so a stale one's reason (fetched but did not register, refused…) is seen where it is retried.
                var before = (await queue.ListAsync(ct)).ToDictionary(r => r.Mac);
                foreach (var order in plan.Orders)
                {
                    var was = before.TryGetValue(order.Mac, out var row) ? $" (was {PhonesCommand.QueueText(row)})" : string.Empty;
                    await output.WriteLineAsync($"{order.Mac}: {ResyncNotify.Describe(order.Kind)} via endpoint {order.Endpoint}{was}");
                }

                foreach (var mac in plan.Waiting)
                {
                    await output.WriteLineAsync($"{mac}: no live contact, nothing to send (it reads its files when it registers or boots)");
                }

                foreach (var mac in wanted.Where(m => !plan.Orders.Any(o => o.Mac == m) && !plan.Waiting.Contains(m)).Distinct())
                {
                    await output.WriteLineAsync($"{mac}: not bound (acb bind {mac} ENDPOINT…)");
                }

                if (!parse.GetValue(dryRun))
                {
                    var sent = TerminalProgress.For(output) is { } progress && plan.Orders.Count > 0
                        ? await progress.RunAsync($"sent 0 of {plan.Orders.Count}", show => run.SendAsync(AdminReason, show, ct))
                        : await run.SendAsync(AdminReason, null, ct);
                    await output.WriteLineAsync($"sent {sent} of {plan.Orders.Count}");
                    var after = (await queue.ListAsync(ct)).ToDictionary(r => r.Mac);
                    foreach (var order in plan.Orders.Where(o => after.TryGetValue(o.Mac, out var r) && r.State is ResyncState.Retry or ResyncState.Stale))
                    {
                        await output.WriteLineAsync($"{order.Mac}: {PhonesCommand.QueueText(after[order.Mac])}");
                    }
                }

                await run.LogoffAsync(ct);
                return 0;
            }
            catch (AmiException e)
            {
                await error.WriteLineAsync($"acb resync: AMI {ami.Host}:{ami.Port}: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
