using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary>
/// <c>acb bind MAC ENDPOINT[,ENDPOINT…] [--model M] [--line-data FILE] [--set NAME=VALUE…]</c>: the bridge's own binding
/// of a phone to endpoints, in button order. When every endpoint has line data, the phone's files
/// are rendered and stored at once (the counter moves only if they changed). A phone in the
/// discovery inbox leaves it; its model is taken from its requests when they name exactly one.
/// </summary>
internal static partial class BindCommand
{
    public static Command Create(TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var mac = new Argument<string>("MAC") { Description = "MAC address: 001122334455, 00:11:22:33:44:55, 00-11-22-33-44-55 or 0011.2233.4455." };
        var endpoints = new Argument<string>("ENDPOINTS") { Description = "PJSIP endpoint names in button order, comma-separated." };
        var model = new Option<string?>("--model") { Description = $"Phone model ({PhoneModels.Names}); optional: learned from set_var CISCO_MODEL, the phone's User-Agent or the file it asks for." };
        var lineData = new Option<FileInfo?>("--line-data")
        {
            Description = "JSON array of {endpoint, extension, authUser, password, displayName, callerId, label}: line data recorded with the binding, used only while the bridge has never read Asterisk.",
        };
        var settings = new Option<string[]>("--set")
        {
            Description = "Per-phone setting NAME=VALUE; repeat for several: label, phone_password, messages, max_calls, busy_trigger, " +
                "key.N=speeddial:NUMBER[:LABEL] or key.N=blf:NUMBER[:LABEL] (the buttons after the lines), cnf:KEY (SIP<MAC>.cnf), xml:ELEMENT (SEP<MAC>.cnf.xml). " +
                "Given once or more, they replace the phone's settings.",
        };
        var config = CliStore.ConfigOption();
        var command = new Command("bind", "Bind a phone (MAC) to endpoints, in button order.") { mac, endpoints, model, lineData, settings, config };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (CliStore.ParseMac(parse, parse.GetValue(mac)) is not { } address)
            {
                return 2;
            }

            var names = parse.GetValue(endpoints)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (names.Length == 0 || names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            {
                await error.WriteLineAsync("give one or more distinct endpoint names, comma-separated");
                return 2;
            }

            var phoneSettings = new List<KeyValuePair<string, string>>();
            foreach (var text in parse.GetValue(settings) ?? [])
            {
                if (PhoneSettings.Parse(text, out var settingError) is not { } setting)
                {
                    await error.WriteLineAsync($"--set: {settingError}");
                    return 2;
                }

                phoneSettings.Add(setting);
            }

            var lines = ReadLineData(parse.GetValue(lineData), out var lineError);
            if (lineError is not null)
            {
                await error.WriteLineAsync(lineError);
                return 1;
            }

            var unknownLines = lines.Keys.Where(k => !names.Contains(k, StringComparer.Ordinal)).ToArray();
            if (unknownLines.Length > 0)
            {
                await error.WriteLineAsync($"--line-data names endpoint{(unknownLines.Length == 1 ? "" : "s")} not being bound: {string.Join(", ", unknownLines)}");
                return 1;
            }

            var store = await CliStore.OpenAsync(parse, config, ct);
            var inbox = new DiscoveryStore(store.Factory);
            var existing = await store.Phones.GetAsync(address, ct);
            var discovered = existing is null ? await inbox.GetAsync(address, ct) : null;
            var guess = discovered is null ? null : ModelGuesser.Guess(discovered.FileList);
            // The model is learned, never demanded: --model, else what the store knows from an earlier
            // --model, else the one model the phone's requests name; without any, the inventory learns it
            // (set_var CISCO_MODEL, the User-Agent, the file it asks for) and both families are offered meanwhile.
            var given = parse.GetValue(model);
            var modelText = given ?? (existing is { ModelSource: ModelSourceText.Bind } || existing is { ModelSource: null, Model.Length: > 0 } ? existing.Model : null)
                ?? (guess?.Models.Count == 1 ? guess.Models[0] : null);
            var phoneModel = PhoneModels.Find(modelText);
            if (phoneModel is null && modelText is not null)
            {
                await error.WriteLineAsync($"unsupported model '{modelText}' (supported: {PhoneModels.Names})");
                return 2;
            }

            if (phoneModel is not null && names.Length > phoneModel.LineKeys)
            {
                await error.WriteLineAsync($"a {phoneModel.Name} has {phoneModel.LineKeys} line button{(phoneModel.LineKeys == 1 ? "" : "s")}; {names.Length} endpoints given");
                return 1;
            }

            // Speed dials fill the buttons after the lines: more than the model has is refused here, in one line.
            var keys = PhoneSettings.ToOverrides(phoneSettings, out _)?.Keys ?? [];
            if ((phoneModel ?? PhoneModels.Find(existing?.Model)) is { } keyed && FeatureKeys.Refusal(keyed, names.Length, keys) is { } refusal)
            {
                await error.WriteLineAsync($"--set: {refusal}");
                return 2;
            }

            var bindings = names.Select((name, i) =>
            {
                var data = lines.GetValueOrDefault(name);
                return new BindingRow
                {
                    Position = i + 1,
                    Endpoint = name,
                    Extension = data?.Extension,
                    AuthUser = data?.AuthUser,
                    Password = data?.Password,
                    DisplayName = data?.DisplayName,
                    CallerId = data?.CallerId,
                    Label = data?.Label,
                };
            }).ToArray();

            var now = time.GetUtcNow();
            var isNew = await store.Phones.BindAsync(address, phoneModel, bindings, CliStore.Actor, now, ct);
            if (phoneModel is null && guess is { Models.Count: > 0 } && guess.Models.Select(m => PhoneModels.Find(m)?.Family).Distinct().Count() == 1
                && PhoneModels.Find(guess.Models[0]) is { } family)
            {
                // Its requests named the family (SIP<MAC>.cnf, a P0S3 load): only that family's files are offered.
                await store.Phones.SetLearnedModelAsync(address, PhoneFamilies.Representative(family.Family).Name, ModelSourceText.Of(AsteriskCiscoBridge.Provisioning.Inventory.ModelSource.Files)!, now, ct);
            }

            await output.WriteLineAsync($"{(isNew ? "bound" : "rebound")} {address} ({phoneModel?.Name ?? "model learned from Asterisk or its first request"}) to {string.Join(", ", names)}");
            if (await inbox.RemoveAsync(address, ct))
            {
                await output.WriteLineAsync($"claimed from the discovery inbox (last seen at {discovered?.LastAddress ?? "?"})");
            }

            if (phoneSettings.Count > 0)
            {
                await store.Phones.SetSettingsAsync(address, phoneSettings, CliStore.Actor, now, ct);
                await output.WriteLineAsync($"settings: {string.Join(", ", phoneSettings.Select(s => s.Key))}");
            }

            // Rendered with the line data the service uses (Asterisk now, else the service's last snapshot);
            // a running service picks the binding up on its own within seconds.
            var renderer = store.Renderer();
            var (inventory, source) = await store.InventoryAsync(askAsterisk: true, ct);
            var render = inventory.Find(address) is { } phone ? await renderer.RenderAsync(phone, ct) : await renderer.RenderAsync(address, ct);
            if (source is not null)
            {
                await error.WriteLineAsync(source);
            }
            if (render.Result is null)
            {
                await output.WriteLineAsync($"files not rendered: {render.Error}");
                return 0;
            }

            var saved = await renderer.SaveAsync(address, render, now, ct);
            foreach (var warning in render.Result.Warnings)
            {
                await error.WriteLineAsync("warning: " + warning);
            }

            if (render.Result.CarriesNoLine)
            {
                await output.WriteLineAsync($"no line fits the phone's file: it is served what an unbound phone gets ({(render.Result.Files.Count == 0 ? "file-not-found" : "a configuration without credentials")}); sync counter {saved.SyncCounter}");
                return 0;
            }

            await output.WriteLineAsync(saved.Outcome == SaveOutcome.Updated
                ? $"files rendered and stored: {string.Join(", ", render.Result.Files.Select(f => f.Name))}; sync counter {saved.SyncCounter}"
                : $"files unchanged; sync counter {saved.SyncCounter}");
            return 0;
        });
        return command;
    }

    private sealed record LineData(string Endpoint, string? Extension, string? AuthUser, string? Password, string? DisplayName, string? CallerId, string? Label);

    [JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
    [JsonSerializable(typeof(LineData[]))]
    private sealed partial class BindJson : JsonSerializerContext;

    private static Dictionary<string, LineData> ReadLineData(FileInfo? file, out string? error)
    {
        error = null;
        if (file is null)
        {
            return [];
        }

        try
        {
            var entries = JsonSerializer.Deserialize(File.ReadAllText(file.FullName), BindJson.Default.LineDataArray) ?? [];
            if (entries.Any(e => string.IsNullOrEmpty(e.Endpoint)))
            {
                error = $"{file.Name}: every entry needs an \"endpoint\"";
                return [];
            }

            return entries.ToDictionary(e => e.Endpoint, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or ArgumentException)
        {
            error = $"{file.Name}: {e.Message}";
            return [];
        }
    }
}
