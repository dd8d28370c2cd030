using System.CommandLine;
using AsteriskCiscoBridge.Services.Storage;

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
            return await PinCommands.ApplyAsync(parse, "acb unpin", store, address, null, time, ct);
        });
        return command;
    }
}
