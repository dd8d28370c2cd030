using System.CommandLine;
using System.Text;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Services.Storage;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary>
/// <c>acb render MAC [FILE] [--save]</c>: the files the phone would get, rendered now from the site
/// configuration and the same inventory the service uses (Asterisk's endpoints read now when AMI is
/// configured, else the service's last snapshot), or one of them byte for byte. An
/// unbound phone gets what the unprovisioned policy answers. <c>--save</c> stores the result.
/// </summary>
internal static class RenderCommand
{
    public static Command Create(TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var mac = new Argument<string>("MAC") { Description = "MAC address of the phone." };
        var file = new Argument<string?>("FILE") { Description = "One file, by the name the phone requests (any case).", Arity = ArgumentArity.ZeroOrOne };
        var save = new Option<bool>("--save") { Description = "Store the rendered files (the sync counter moves only if they changed)." };
        var config = CliStore.ConfigOption();
        var command = new Command("render", "Show the files a phone would get, byte for byte.") { mac, file, save, config };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (CliStore.ParseMac(parse, parse.GetValue(mac)) is not { } address)
            {
                return 2;
            }

            var store = await CliStore.OpenAsync(parse, config, ct);
            var renderer = store.Renderer();
            var (inventory, source) = await store.InventoryAsync(askAsterisk: true, ct);
            var phone = inventory.Find(address);
            var render = phone is { Lines.Length: > 0 } ? await renderer.RenderAsync(phone, ct) : await renderer.RenderAsync(address, ct);
            IReadOnlyList<RenderedFile> files;
            if (phone is { Lines.Length: > 0 } && source is not null)
            {
                await error.WriteLineAsync($"{address}: {source}; model {phone.Model?.Name ?? "unknown (both families' files)"}{(phone.ModelOrigin is null ? string.Empty : " from " + phone.ModelOrigin)}");
            }

            if (phone is { Lines.Length: > 0 } && render.Result is not null)
            {
                foreach (var line in phone.Lines.Where(l => !l.IsServed))
                {
                    await error.WriteLineAsync($"warning: {line.Endpoint} ({line.Origin}) left out: {line.Problem}");
                }
            }

            if (render.Result is not null)
            {
                files = render.Result.Files;
                foreach (var warning in render.Result.Warnings)
                {
                    await error.WriteLineAsync("warning: " + warning);
                }

                // The speed dials on the buttons after its lines, and where each is set.
                foreach (var key in await renderer.KeysAsync(address, phone?.Keys ?? [], ct))
                {
                    await error.WriteLineAsync($"key: {key} ({key.Origin})");
                }

                // Where the phone is pointed, and which source said so (a line without a server of its own uses the site's).
                var servers = store.Settings.SipServers();
                foreach (var server in (render.Lines ?? []).Select(l => l.Server ?? servers.Default).Distinct())
                {
                    await error.WriteLineAsync("proxy: " + server);
                }

                if (parse.GetValue(save))
                {
                    var saved = await renderer.SaveAsync(address, render, time.GetUtcNow(), ct);
                    await error.WriteLineAsync($"stored: {saved.Outcome}, sync counter {saved.SyncCounter}");
                }
            }
            else if (await store.Phones.GetAsync(address, ct) is null && phone is not { Lines.Length: > 0 })
            {
                var site = store.Settings.Site.ToSettings();
                var answers = new[] { $"SIP{address}.cnf", $"SEP{address}.cnf.xml" }.Select(n => UnprovisionedRenderer.Render(site, n)).ToArray();
                await error.WriteLineAsync($"{address} is not bound: showing the unprovisioned answer ({site.Unprovisioned})");
                files = [.. answers.Where(a => a.File is not null).Select(a => a.File!), .. render.Site.Files];
            }
            else
            {
                await error.WriteLineAsync(render.Error);
                return 1;
            }

            var wanted = parse.GetValue(file);
            if (wanted is not null)
            {
                var match = files.FirstOrDefault(f => f.Name == wanted) ?? files.FirstOrDefault(f => string.Equals(f.Name, wanted, StringComparison.OrdinalIgnoreCase));
                if (match is null)
                {
                    await error.WriteLineAsync($"{address} gets no file named '{wanted}' (it gets: {string.Join(", ", files.Select(f => f.Name))})");
                    return 1;
                }

                await WriteBytesAsync(parse, match.Content, ct);
                return 0;
            }

            foreach (var f in files)
            {
                await output.WriteLineAsync($"==> {f.Name} ({f.Content.Length} bytes) <==");
                await WriteBytesAsync(parse, f.Content, ct);
                if (f.Content.Length > 0 && f.Content[^1] != (byte)'\n')
                {
                    await output.WriteLineAsync();
                }
            }

            return 0;
        });
        return command;
    }

    // On the real console the bytes go out untouched; a redirected writer (tests) gets the UTF-8 text.
    private static async Task WriteBytesAsync(ParseResult parse, byte[] content, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        if (ReferenceEquals(output, Console.Out))
        {
            await output.FlushAsync(cancellationToken);
            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(content, cancellationToken);
            await stdout.FlushAsync(cancellationToken);
        }
        else
        {
            await output.WriteAsync(Encoding.UTF8.GetString(content));
        }
    }
}
