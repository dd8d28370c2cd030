using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary>
/// <c>acb sync [--accept-removals] [--json]</c>: whether the service holds an answer of Asterisk that would strip
/// many phones at once (<c>Sync:RemovalHold</c>), and with <c>--accept-removals</c> the admin's word that it is
/// meant: the acceptance is written to the store with an audit row, and the running service (which watches its
/// store) applies the held answer within about a second; a service not running applies it when it next reads the
/// same answer. Exit 0 in every case where the store could be read, "nothing is held" included: after the
/// command no answer waits for an admin. The JSON form is <c>{held, reason, heldSince, lastSeen, appliesAt,
/// endpoints, boundPhones, phones: [{mac, endpoints, kept}], acceptedAt, acceptedBy, accepted}</c> (<c>accepted</c>:
/// this run accepted it; with nothing held only <c>held: false</c> and <c>accepted: false</c>).
/// </summary>
internal static partial class SyncCommand
{
    public static Command Create(TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var accept = new Option<bool>("--accept-removals") { Description = "Apply the held answer now: the phones it takes lines from are deprovisioned and told." };
        var json = new Option<bool>("--json") { Description = "Stable JSON output." };
        var config = CliStore.ConfigOption();
        var command = new Command("sync", $"Show an answer of Asterisk held because it would strip many phones at once; {RemovalHoldView.AcceptCommand} applies it.") { accept, json, config };
        command.SetAction(async (parse, ct) =>
        {
            var store = await CliStore.OpenAsync(parse, config, ct);
            var holds = new RemovalHoldStore(store.Factory);
            var accepting = parse.GetValue(accept);
            var hold = accepting ? await holds.AcceptAsync(CliStore.Actor, time.GetUtcNow(), ct) : await holds.GetAsync(ct);
            var holdFor = RemovalHoldView.HoldOf(store.Configuration);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(View(hold, holdFor, accepting && hold is not null), SyncJson.Default.HoldView));
                return 0;
            }

            if (hold is null)
            {
                await output.WriteLineAsync(accepting
                    ? "nothing is held: the service applied Asterisk's last answer (or has none), there is nothing to accept"
                    : "nothing is held: the service applies Asterisk's answers as they come");
                return 0;
            }

            if (accepting)
            {
                await output.WriteLineAsync($"accepted: {hold.Describe()}");
                await output.WriteLineAsync($"phones losing lines: {RemovalHoldView.Phones(hold)}");
                await output.WriteLineAsync("the running service applies it within a second and tells those phones; a service not running now applies it when it next reads the same answer");
                return 0;
            }

            await output.WriteLineAsync($"held: {RemovalHoldView.Summary(hold, holdFor)}");
            await output.WriteLineAsync($"phones losing lines: {RemovalHoldView.Phones(hold)}");
            return 0;
        });
        return command;
    }

    private static HoldView View(RemovalHoldRow? hold, TimeSpan holdFor, bool accepted) => hold is null
        ? new HoldView(false, null, null, null, null, null, null, null, null, null, accepted)
        : new HoldView(
            true,
            RemovalHoldStore.ReasonText(hold.Reason),
            RemovalHoldView.Utc(hold.FirstSeen),
            RemovalHoldView.Utc(hold.LastSeen),
            RemovalHoldView.Utc(RemovalHoldView.AppliesAt(hold, holdFor)),
            hold.Endpoints,
            hold.Bound,
            [.. hold.Phones.Select(p => new HeldPhoneView(p.Mac.Value, [.. p.Endpoints], p.Kept))],
            hold.AcceptedAt is { } at ? RemovalHoldView.Utc(at) : null,
            hold.AcceptedBy,
            accepted);

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
    [JsonSerializable(typeof(HoldView))]
    private sealed partial class SyncJson : JsonSerializerContext;

    private sealed record HoldView(bool Held, string? Reason, string? HeldSince, string? LastSeen, string? AppliesAt, int? Endpoints, int? BoundPhones, HeldPhoneView[]? Phones, string? AcceptedAt, string? AcceptedBy, bool Accepted);

    private sealed record HeldPhoneView(string Mac, string[] Endpoints, int Kept);
}
