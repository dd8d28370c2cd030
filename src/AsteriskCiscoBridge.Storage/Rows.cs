using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Provisioning.Requests;
using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Storage;

/// <summary>A row of <c>phones</c>.</summary>
public sealed record PhoneRow
{
    public required MacAddress Mac { get; init; }

    public required string Model { get; init; }

    public string? Load { get; init; }

    /// <summary>Bumped by one each time the phone's stored files change.</summary>
    public long SyncCounter { get; init; }

    public string? SyncValue { get; init; }

    public string? VersionStamp { get; init; }

    /// <summary>SHA-256 over the phone's stored files (names and bytes).</summary>
    public string? ContentHash { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? RenderedAt { get; init; }

    /// <summary>The load an admin pinned this phone to (<c>acb pin</c>), or null.</summary>
    public string? PinnedLoad { get; init; }

    /// <summary>Where <see cref="Load"/> (the running load) was learned: a TFTP fetch or a SIP User-Agent.</summary>
    public string? LoadSource { get; init; }

    public DateTimeOffset? LoadSeenAt { get; init; }

    /// <summary>Where <see cref="Model"/> is known from (<see cref="ModelSourceText"/>); null on rows bound before it was kept.</summary>
    public string? ModelSource { get; init; }
}

/// <summary>The text of <c>phones.model_source</c>.</summary>
public static class ModelSourceText
{
    public const string Bind = "bind";

    /// <summary>The column's text for a source (null for <see cref="Provisioning.Inventory.ModelSource.Unknown"/>).</summary>
    public static string? Of(Provisioning.Inventory.ModelSource source) => source switch
    {
        Provisioning.Inventory.ModelSource.Bind => Bind,
        Provisioning.Inventory.ModelSource.SetVar => "set_var",
        Provisioning.Inventory.ModelSource.Profile => "profile",
        Provisioning.Inventory.ModelSource.UserAgent => "user-agent",
        Provisioning.Inventory.ModelSource.Files => "files",
        _ => null,
    };

    /// <summary>
    /// Reads the column back. A row from before the column with a model was bound with a required
    /// --model; set_var and profile are read from Asterisk at each round, so they count for nothing here.
    /// </summary>
    public static Provisioning.Inventory.ModelSource Parse(string? text, string? model) => text switch
    {
        Bind => Provisioning.Inventory.ModelSource.Bind,
        null when !string.IsNullOrEmpty(model) => Provisioning.Inventory.ModelSource.Bind,
        "user-agent" => Provisioning.Inventory.ModelSource.UserAgent,
        "files" => Provisioning.Inventory.ModelSource.Files,
        _ => Provisioning.Inventory.ModelSource.Unknown,
    };
}

/// <summary>
/// One bound endpoint of a phone, in button order, with the line data recorded with the binding
/// (null until known: the AMI endpoint source fills them in later).
/// </summary>
public sealed record BindingRow
{
    public required int Position { get; init; }

    public required string Endpoint { get; init; }

    public string? Extension { get; init; }

    public string? AuthUser { get; init; }

    public string? Password { get; init; }

    public string? DisplayName { get; init; }

    public string? CallerId { get; init; }

    public string? Label { get; init; }

    /// <summary>The line for the renderers, or null while the binding has no password recorded.</summary>
    public LineInput? ToLine() => Password is null
        ? null
        : new LineInput(Extension ?? Endpoint, AuthUser, Password, DisplayName, CallerId, Label);
}

/// <summary>A phone's new rendered files (its own files only; site files go to <see cref="ConfigStore"/>).</summary>
/// <param name="Notify">
/// False when the change tells the phone nothing it must act on (its file only names the load it already
/// runs): stored, but not queued for a resync.
/// </param>
public sealed record StoredPhoneFiles(MacAddress Mac, IReadOnlyList<RenderedFile> Files, string? SyncValue, string? VersionStamp, bool Notify = true);

public enum SaveOutcome
{
    /// <summary>Same content as stored: nothing written, the counter stays.</summary>
    Unchanged = 0,

    /// <summary>New content stored and the counter bumped, in one transaction.</summary>
    Updated = 1,

    /// <summary>No such phone: nothing written.</summary>
    UnknownPhone = 2,
}

public sealed record SaveResult(SaveOutcome Outcome, long SyncCounter);

/// <summary>A stored file, by the exact name a phone requests.</summary>
public sealed record StoredFile(string Name, byte[] Content, string Sha256);

/// <summary>The columns of a <see cref="StoredFile"/> (<c>rendered_files</c>, <c>site_files</c>) and their reader.</summary>
internal static class StoredFileColumns
{
    public const string List = "name, content, sha256";

    public static StoredFile Read(SqliteDataReader reader) => new(reader.GetString(0), reader.GetBlob(1), reader.GetString(2));
}

public sealed record RequestRecord
{
    public long Id { get; init; }

    public required DateTimeOffset At { get; init; }

    public required string Client { get; init; }

    public required string FileName { get; init; }

    public MacAddress? Mac { get; init; }

    /// <summary>How it ended and why; stored as <c>kind: detail</c> text (<see cref="RequestOutcome"/>).</summary>
    public required RequestOutcome Outcome { get; init; }

    public long Bytes { get; init; }

    /// <summary>The file-tree layer that answered (<c>store</c>, <c>unbound</c>, <c>guard</c>, <c>rate-limit</c>, <c>pinning</c>…); null: the server itself.</summary>
    public string? Source { get; init; }
}

/// <summary>
/// Requests from one address in one minute that were turned away before a file was looked up for them
/// or throttled (a row of <c>refused_requests</c>): counted, not logged one by one.
/// </summary>
public sealed record RefusedCount
{
    /// <summary>The start of the minute (UTC).</summary>
    public required DateTimeOffset Minute { get; init; }

    /// <summary>The client address without its port (<c>http:</c> in front for HTTP), or <see cref="OtherAddresses"/>.</summary>
    public required string Address { get; init; }

    /// <summary>Unreadable requests and refused options.</summary>
    public long Malformed { get; init; }

    /// <summary>Refused outright: outside the allowed networks, a write request, a refused name.</summary>
    public long Denied { get; init; }

    /// <summary>Throttled by the scan guard or the rate limit.</summary>
    public long Guarded { get; init; }

    /// <summary>Turned away because a transfer limit was reached.</summary>
    public long Busy { get; init; }

    public required DateTimeOffset FirstAt { get; init; }

    public required DateTimeOffset LastAt { get; init; }

    /// <summary>The name of the latest of them that named a file, shortened to <see cref="MaxFileLength"/> characters.</summary>
    public string? LastFile { get; init; }

    public long Total => Malformed + Denied + Guarded + Busy;

    /// <summary>The address of a row that counts every address of its minute beyond those kept apart.</summary>
    public const string OtherAddresses = "*";

    public const int MaxFileLength = 64;
}

public sealed record NotifyRecord
{
    public long Id { get; init; }

    public required DateTimeOffset At { get; init; }

    public required MacAddress Mac { get; init; }

    public required string Endpoint { get; init; }

    /// <summary><c>check-sync</c> or <c>service-control</c>.</summary>
    public required string Event { get; init; }

    public required string Outcome { get; init; }

    public string? Detail { get; init; }
}

public sealed record AuditRecord
{
    public long Id { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>Who: <c>cli:user</c>, <c>api:…</c>, <c>bridge</c>.</summary>
    public required string Actor { get; init; }

    /// <summary>e.g. <c>bind</c>, <c>unbind</c>.</summary>
    public required string Action { get; init; }

    public MacAddress? Mac { get; init; }

    /// <summary>What changed, never a secret.</summary>
    public string? Detail { get; init; }
}
