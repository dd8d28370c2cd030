using System.CommandLine;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Firmware;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary>What <c>acb pin</c> and <c>acb unpin</c> share: the pin rule (<see cref="LoadPinRule"/>, stored by <see cref="LoadPins"/>), then rendering the phone again with its new plan.</summary>
internal static class PinCommands
{
    /// <summary>Pins (or with a null load unpins) and renders; exit code 2 for a malformed load name, 1 for a refusal.</summary>
    public static async Task<int> ApplyAsync(ParseResult parse, string command, CliStore store, MacAddress address, string? load, TimeProvider time, CancellationToken cancellationToken)
    {
        var outcome = await new LoadPins(store.Phones, new FirmwareStore(store.Factory)).SetAsync(address, load, CliStore.Actor, time.GetUtcNow(), cancellationToken);
        if (!outcome.Ok)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"{command}: {outcome.Message}");
            return outcome.Verdict == PinVerdict.BadInput ? 2 : 1;
        }

        await parse.InvocationConfiguration.Output.WriteLineAsync(outcome.Message);
        return await RenderAsync(parse, store, address, time, cancellationToken);
    }

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
