using System.CommandLine;
using AsteriskCiscoBridge.Host.Storage;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary><c>acb unpin MAC</c>: the phone follows the site default for its model again.</summary>
internal static class UnpinCommand
{
    public static Command Create(TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var mac = new Argument<string>("MAC") { Description = "MAC address of the phone." };
        var config = CliStore.ConfigOption();
        var command = new Command("unpin", "Remove a phone's pin: it follows the site default load for its model again.") { mac, config };
        command.SetAction(async (parse, ct) =>
        {
            if (CliStore.ParseMac(parse, parse.GetValue(mac)) is not { } address)
            {
                return 2;
            }

            var store = await CliStore.OpenAsync(parse, config, ct);
            var phone = await store.Phones.GetAsync(address, ct);
            if (phone is null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"acb unpin: {address} is not bound");
                return 1;
            }

            if (phone.PinnedLoad is null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"acb unpin: {address} is not pinned");
                return 1;
            }

            await new FirmwareStore(store.Factory).PinAsync(address, null, CliStore.Actor, time.GetUtcNow(), ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"unpinned {address} (was {phone.PinnedLoad})");
            return await PinCommands.RenderAsync(parse, store, address, time, ct);
        });
        return command;
    }
}
