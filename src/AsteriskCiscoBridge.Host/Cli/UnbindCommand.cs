using System.CommandLine;
using AsteriskCiscoBridge.Services.Storage;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary><c>acb unbind MAC</c>: removes the bridge's binding, the phone's stored files with it.</summary>
internal static class UnbindCommand
{
    public static Command Create(TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var mac = new Argument<string>("MAC") { Description = "MAC address of the phone." };
        var config = CliStore.ConfigOption();
        var command = new Command("unbind", "Remove a phone's binding and its stored files.") { mac, config };
        command.SetAction(async (parse, ct) =>
        {
            if (CliStore.ParseMac(parse, parse.GetValue(mac)) is not { } address)
            {
                return 2;
            }

            var store = await CliStore.OpenAsync(parse, config, ct);
            var (inventory, _) = await store.InventoryAsync(askAsterisk: false, ct);
            if (inventory.Find(address) is { IsDeclaredByAsterisk: true } declared)
            {
                var where = declared.Lines.Where(l => l.IsFromAsterisk).Select(l => l.Source == AsteriskCiscoBridge.Provisioning.Inventory.LineSource.Phoneprov
                    ? $"remove the type=phoneprov section [{l.Declaration}] (endpoint {l.Endpoint})"
                    : $"remove set_var={l.Declaration}=… from endpoint {l.Endpoint}");
                await parse.InvocationConfiguration.Error.WriteLineAsync($"{address} is bound in Asterisk, not by acb bind: {string.Join("; ", where)} in pjsip.conf, then: asterisk -rx \"module reload res_pjsip.so\"");
                return 1;
            }

            if (!await store.Phones.UnbindAsync(address, CliStore.Actor, time.GetUtcNow(), ct))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"{address} is not bound");
                return 1;
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync($"unbound {address}");
            return 0;
        });
        return command;
    }
}
