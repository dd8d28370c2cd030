using System.CommandLine;
using AsteriskCiscoBridge.Services.Storage;

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
            if (CliStore.ParseMac(parse, parse.GetValue(mac)) is not { } address)
            {
                return 2;
            }

            var store = await CliStore.OpenAsync(parse, config, ct);
            return await PinCommands.ApplyAsync(parse, "acb pin", store, address, parse.GetValue(load), time, ct);
        });
        return command;
    }
}
