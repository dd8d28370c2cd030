using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AsteriskCiscoBridge.Ami.Pjsip;

/// <summary>A snapshot read either gives a complete snapshot or says why there is none.</summary>
public sealed record PjsipSnapshotResult(PjsipSnapshot? Snapshot, string? Failure, bool PermissionDenied = false)
{
    /// <summary>True when <see cref="Snapshot"/> is complete and may be published.</summary>
    public bool IsComplete => Snapshot is not null;
}

/// <summary>A contacts read either gives every registered contact or says why it could not.</summary>
public sealed record PjsipContactsResult(PjsipContactsUpdate? Update, string? Failure);

/// <summary>
/// Reads a complete <see cref="PjsipSnapshot"/> in two pipelined rounds:
/// <list type="number">
/// <item><c>PJSIPShowEndpoints</c>, <c>PJSIPShowAuths</c> (user names and passwords), <c>PJSIPShowContacts</c>
/// (User-Agent, Call-ID, status) and <c>GetConfig pjsip.conf</c> filtered to <c>type=endpoint</c> (caller id,
/// set_var), to <c>type=phoneprov</c> (passed on as key/values) and to <c>type=transport</c> (where SIP is listened for),
/// all written at once;</item>
/// <item><c>PJSIPShowEndpoint</c> only for the endpoints pjsip.conf does not describe (realtime) or
/// describes differently from what is loaded, and for one endpoint of each transport pjsip.conf does not
/// describe (its <c>TransportDetail</c>), pipelined.</item>
/// </list>
/// <c>PJSIPShowAors</c> is not needed: <c>EndpointList</c> names each endpoint's AORs and their contacts.
/// Any failure (connection lost mid-read, permission denied, an endpoint gone between the rounds)
/// gives a failure result, never a partial snapshot.
/// </summary>
public sealed class PjsipSnapshotReader
{
    private readonly IAmiActionSender _ami;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a reader over a connection or a client.</summary>
    public PjsipSnapshotReader(IAmiActionSender ami, TimeProvider timeProvider, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(ami);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _ami = ami;
        _time = timeProvider;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Most <c>PJSIPShowEndpoint</c> actions in flight at once in the second round. Default 512.</summary>
    public int DetailWindow { get; init; } = 512;

    /// <summary>The configuration file to read. Default <c>pjsip.conf</c>.</summary>
    public string ConfigFile { get; init; } = "pjsip.conf";

    /// <summary>Reads a snapshot. Never throws for AMI failures; cancellation propagates.</summary>
    public async Task<PjsipSnapshotResult> ReadAsync(CancellationToken cancellationToken)
    {
        var takenAt = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        try
        {
            var endpointsTask = _ami.SendAsync(new AmiAction("PJSIPShowEndpoints"), cancellationToken);
            var authsTask = _ami.SendAsync(new AmiAction("PJSIPShowAuths"), cancellationToken);
            var contactsTask = _ami.SendAsync(new AmiAction("PJSIPShowContacts"), cancellationToken);
            // Only the sections the snapshot uses: auth and aor sections (half the file, and every
            // password a second time) stay on the PBX. The filters are in the same round trip.
            var configTask = _ami.SendAsync(new AmiAction("GetConfig").Add("Filename", ConfigFile).Add("Filter", "type=endpoint"), cancellationToken);
            var phoneprovTask = _ami.SendAsync(new AmiAction("GetConfig").Add("Filename", ConfigFile).Add("Filter", "type=phoneprov"), cancellationToken);
            var transportTask = _ami.SendAsync(new AmiAction("GetConfig").Add("Filename", ConfigFile).Add("Filter", "type=transport"), cancellationToken);
            await Task.WhenAll(endpointsTask, authsTask, contactsTask, configTask, phoneprovTask, transportTask);

            if (ListOrEmpty(await endpointsTask) is not { } endpoints)
            {
                return Failed("PJSIPShowEndpoints", await endpointsTask);
            }

            if (ListOrEmpty(await authsTask) is not { } auths)
            {
                return Failed("PJSIPShowAuths", await authsTask);
            }

            if (ListOrEmpty(await contactsTask) is not { } contacts)
            {
                return Failed("PJSIPShowContacts", await contactsTask);
            }

            if (ConfigOrEmpty(await configTask) is not { } endpointSections)
            {
                return Failed("GetConfig " + ConfigFile, await configTask);
            }

            if (ConfigOrEmpty(await phoneprovTask) is not { } phoneprovSections)
            {
                return Failed("GetConfig " + ConfigFile, await phoneprovTask);
            }

            if (ConfigOrEmpty(await transportTask) is not { } transportSections)
            {
                return Failed("GetConfig " + ConfigFile, await transportTask);
            }

            var config = endpointSections.AddRange(phoneprovSections).AddRange(transportSections);

            var needDetail = PjsipSnapshotBuilder.EndpointsNeedingDetail(endpoints, config);
            var details = new Dictionary<string, IReadOnlyList<AmiMessage>>(StringComparer.Ordinal);
            var actions = 6 + needDetail.Count;
            string? detailFailure = null;
            var detailDenied = false;
            using (var window = new SemaphoreSlim(Math.Max(1, DetailWindow)))
            {
                var tasks = new List<Task>(needDetail.Count);
                foreach (var name in needDetail)
                {
                    await window.WaitAsync(cancellationToken);
                    tasks.Add(ReadDetailAsync(name));
                }

                await Task.WhenAll(tasks);

                async Task ReadDetailAsync(string name)
                {
                    try
                    {
                        var response = await _ami.SendAsync(new AmiAction("PJSIPShowEndpoint").Add("Endpoint", name), cancellationToken);
                        lock (details)
                        {
                            if (response.IsSuccess)
                            {
                                details[name] = Trim(response.Events);
                            }
                            else
                            {
                                detailDenied |= response.IsPermissionDenied;
                                detailFailure ??= $"PJSIPShowEndpoint {name}: {response.Message?.Trim()} (changed during the read?)";
                            }
                        }
                    }
                    finally
                    {
                        window.Release();
                    }
                }
            }

            if (detailFailure is not null)
            {
                return Fail(detailFailure, detailDenied);
            }

            var snapshot = PjsipSnapshotBuilder.Build(new PjsipReadResults(endpoints, auths, contacts, config, details), takenAt, actions);
            Log.SnapshotRead(_logger, snapshot.Endpoints.Length, snapshot.Endpoints.Count(e => e.IsProvisionable), actions, _time.GetElapsedTime(started));
            return new PjsipSnapshotResult(snapshot, null);
        }
        catch (AmiConnectionLostException ex)
        {
            return Fail($"connection lost during the read: {ex.Message}", false, ex);
        }
    }

    /// <summary>
    /// Reads the registered contacts alone (one <c>PJSIPShowContacts</c>): what changes when phones
    /// register, without the endpoints, credentials and configuration a snapshot re-reads. Never throws
    /// for AMI failures; cancellation propagates.
    /// </summary>
    public async Task<PjsipContactsResult> ReadContactsAsync(CancellationToken cancellationToken)
    {
        var takenAt = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        try
        {
            var response = await _ami.SendAsync(new AmiAction("PJSIPShowContacts"), cancellationToken);
            if (ListOrEmpty(response) is not { } list)
            {
                var reason = response.IsPermissionDenied ? "PJSIPShowContacts: Permission denied" : $"PJSIPShowContacts: {response.Message?.Trim() ?? "error"}";
                Log.ContactsFailed(_logger, reason, null);
                return new PjsipContactsResult(null, reason);
            }

            var update = new PjsipContactsUpdate { TakenAt = takenAt, Contacts = PjsipSnapshotBuilder.Contacts(list) };
            Log.ContactsRead(_logger, update.Contacts.Length, _time.GetElapsedTime(started));
            return new PjsipContactsResult(update, null);
        }
        catch (Exception ex) when (ex is AmiException or TimeoutException)
        {
            Log.ContactsFailed(_logger, ex.Message, ex);
            return new PjsipContactsResult(null, ex.Message);
        }
    }

    private static readonly HashSet<string> DetailFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "Event", "ObjectName", "Callerid", "SetVar", "Username", "Password", "AuthType", "Realm",
        "Protocol", "Bind", "ExternalSignalingAddress", "ExternalSignalingPort",
    };

    // An EndpointDetail has ~150 fields; keeping only what the builder reads bounds the second round's memory.
    private static List<AmiMessage> Trim(IReadOnlyList<AmiMessage> events) =>
        [.. events
            .Where(e => e.EventName is "EndpointDetail" or "AuthDetail" or "TransportDetail")
            .Select(e => new AmiMessage(e.Fields.Where(f => DetailFields.Contains(f.Name))))];

    // Realtime-only setups have no pjsip.conf ("Config file not found", getconfig/09): every endpoint is read in detail.
    private static ImmutableArray<ConfigCategory>? ConfigOrEmpty(AmiResponse response) =>
        response.IsSuccess ? GetConfigFile.Parse(response.Response)
        : string.Equals(response.Message, "Config file not found", StringComparison.OrdinalIgnoreCase) ? []
        : null;

    // An empty list is sometimes an error ("No Contacts found", recorded in pjsip-show/14).
    private static IReadOnlyList<AmiMessage>? ListOrEmpty(AmiResponse response)
    {
        if (response.IsSuccess)
        {
            return response.Events;
        }

        var message = response.Message?.Trim() ?? string.Empty;
        return message.StartsWith("No ", StringComparison.OrdinalIgnoreCase) && message.EndsWith(" found", StringComparison.OrdinalIgnoreCase)
            ? []
            : null;
    }

    private PjsipSnapshotResult Failed(string action, AmiResponse response) =>
        Fail(
            response.IsPermissionDenied
                ? $"{action}: Permission denied (the manager.conf user needs read=system and write=system,config; see asterisk-conf/README.md)"
                : $"{action}: {response.Message?.Trim() ?? "error"}",
            response.IsPermissionDenied);

    private PjsipSnapshotResult Fail(string reason, bool permissionDenied, Exception? exception = null)
    {
        Log.SnapshotFailed(_logger, reason, exception);
        return new PjsipSnapshotResult(null, reason, permissionDenied);
    }
}
