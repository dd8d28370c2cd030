using System.CommandLine;
using AsteriskCiscoBridge.Host.Storage;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary>
/// <c>acb pin MAC LOAD</c>: keeps one phone on a load of the catalog, newer or older than the site default
/// (spec §3.5: a phone on a newer load is brought back by pinning; a phone is kept on its own load by pinning
/// it). Refused when the load is not in the catalog, is incomplete, or is for another family.
/// </summary>
internal static class PinCommand
{
    public static Command Create(TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var mac = new Argument<string>("MAC") { Description = "MAC address of the phone." };
        var load = new Argument<string>("LOAD") { Description = "Load name without extension, e.g. SIP41.8-5-2S or P0S3-08-12-00 (see acb firmware list)." };
        var config = CliStore.ConfigOption();
        var command = new Command("pin", "Pin a phone to a load of the firmware catalog (its plan then leads it there, one hop per boot).") { mac, load, config };
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (CliStore.ParseMac(parse, parse.GetValue(mac)) is not { } address)
            {
                return 2;
            }

            if (!LoadName.TryParse(parse.GetValue(load), out var wanted, out var reason))
            {
                await error.WriteLineAsync($"acb pin: {reason}");
                return 2;
            }

            var store = await CliStore.OpenAsync(parse, config, ct);
            var phone = await store.Phones.GetAsync(address, ct);
            if (phone is null)
            {
                await error.WriteLineAsync($"acb pin: {address} is not bound (acb bind {address} ENDPOINT…)");
                return 1;
            }

            if (!LoadFamily.TryForModel(phone.Model, out var family, out _) || !wanted.Family.SameAs(family))
            {
                await error.WriteLineAsync($"acb pin: {wanted.Name} is a load for {wanted.Family}, not for {address}, a {phone.Model}");
                return 1;
            }

            var firmware = new FirmwareStore(store.Factory);
            var entry = (await firmware.CatalogAsync(ct)).Find(wanted.Name);
            if (entry is null)
            {
                await error.WriteLineAsync($"acb pin: {wanted.Name} is not in the firmware catalog (acb firmware import PACKAGE; acb firmware list)");
                return 1;
            }

            if (!entry.IsComplete)
            {
                await error.WriteLineAsync($"acb pin: {entry.Name} is incomplete ({entry.Explain()}); an incomplete load is never offered");
                return 1;
            }

            await firmware.PinAsync(address, entry.Name, CliStore.Actor, time.GetUtcNow(), ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"pinned {address} to {entry.Name}");
            return await PinCommands.RenderAsync(parse, store, address, time, ct);
        });
        return command;
    }
}

/// <summary>What <c>acb pin</c> and <c>acb unpin</c> share: rendering the phone again with its new plan.</summary>
internal static class PinCommands
{
    /// <summary>Renders and stores the phone's files when its line data is at hand; the service's next round does it otherwise.</summary>
    public static async Task<int> RenderAsync(ParseResult parse, CliStore store, MacAddress address, TimeProvider time, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var renderer = store.Renderer();
        var render = await renderer.RenderAsync(address, cancellationToken);
        if (render.Plan is { } plan)
        {
            await output.WriteLineAsync($"load plan: {plan.Reason}");
        }

        if (render.Result is null)
        {
            await output.WriteLineAsync($"files not rendered now ({render.Error}); the service renders them at its next round");
            return 0;
        }

        var saved = await renderer.SaveAsync(address, render, time.GetUtcNow(), cancellationToken);
        await output.WriteLineAsync(saved.Outcome == SaveOutcome.Updated
            ? $"files rendered and stored; sync counter {saved.SyncCounter}"
            : $"files unchanged; sync counter {saved.SyncCounter}");
        return 0;
    }
}
