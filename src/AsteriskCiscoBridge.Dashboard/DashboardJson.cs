using System.Text.Json;
using System.Text.Json.Serialization;

namespace AsteriskCiscoBridge.Dashboard;

/// <summary>What <c>GET /api/state</c> answers: phones, resyncs, firmware and the AMI link. Never a secret.</summary>
internal sealed record DashboardState(
    IReadOnlyList<DashboardPhone> Phones,
    IReadOnlyList<string> Pending,
    IReadOnlyList<string> Stale,
    IReadOnlyList<DashboardLoad> Firmware,
    bool AmiConnected,
    double? SnapshotAgeSeconds,
    bool PinAvailable,
    DashboardRemovalHold? RemovalHold = null);

/// <summary>
/// An answer of Asterisk the service holds because it would strip many phones at once: what, since when, until when,
/// and how to let it through (<see cref="AcceptCommand"/>, or <c>POST /api/sync/accept-removals</c>).
/// </summary>
internal sealed record DashboardRemovalHold(
    string Summary,
    string Reason,
    DateTimeOffset HeldSince,
    DateTimeOffset AppliesAt,
    int BoundPhones,
    IReadOnlyList<DashboardHeldPhone> Phones,
    DateTimeOffset? AcceptedAt,
    string? AcceptedBy,
    string AcceptCommand);

/// <summary>A phone the held answer takes lines from: the endpoints it would lose, and how many lines it keeps.</summary>
internal sealed record DashboardHeldPhone(string Mac, IReadOnlyList<string> Endpoints, int Kept);

internal sealed record DashboardPhone(
    string Mac,
    string Model,
    IReadOnlyList<string> Endpoints,
    string? Load,
    string UpgradePath,
    string? PinnedLoad,
    IReadOnlyList<string> PinChoices,
    long SyncCounter,
    DashboardRequest? LastRequest,
    DashboardNotify? LastResync,
    IReadOnlyList<DashboardKey> Keys);

/// <summary>A speed dial after the phone's lines: <c>speeddial:6001:Reception</c> as written, and where it is set.</summary>
internal sealed record DashboardKey(int Index, string Value, string Origin);

internal sealed record DashboardRequest(long Id, DateTimeOffset At, string Client, string File, string? Mac, string Outcome, long Bytes);

internal sealed record DashboardNotify(DateTimeOffset At, string Event, string Outcome, string? Detail);

internal sealed record DashboardLoad(string Name, bool Complete, int Files, string? Problem);

internal sealed record DashboardActionResult(bool Ok, string Message);

/// <summary>The body of <c>POST /api/phones/{mac}/pin</c>: the load, or null to unpin.</summary>
internal sealed record DashboardPinRequest(string? Load);

/// <summary>The body of <c>POST /api/phones/{mac}/keys</c>: the phone's keys in order (<c>speeddial:NUMBER[:LABEL]</c>, <c>blf:…</c>); empty clears them.</summary>
internal sealed record DashboardKeysRequest(IReadOnlyList<string>? Keys);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DashboardState))]
[JsonSerializable(typeof(IReadOnlyList<DashboardRequest>))]
[JsonSerializable(typeof(DashboardActionResult))]
[JsonSerializable(typeof(DashboardPinRequest))]
[JsonSerializable(typeof(DashboardKeysRequest))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
