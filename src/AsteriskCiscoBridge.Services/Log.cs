using System.Net;
using AsteriskCiscoBridge.Provisioning.Model;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services;

// The one Log class of the Services assembly. Event ids 5000–6999: resync in the 5000s, the other
// services in the 6000s, in blocks by area, each named below with its next free id; a new area takes
// the next free hundred, 6500. Never reuse or repurpose an id: 6077, 6101–6104, 6110 and 6141 are
// retired (events removed, or moved to the Dashboard's and the host's ranges).
internal static partial class Log
{
    // Resync: NOTIFYs, call deferral and the proof that a phone acted (5000–5017; the next free one is 5018).
    [LoggerMessage(5000, LogLevel.Information, "{Event} to {Mac} via endpoint {Endpoint}: {Outcome} {Detail}")]
    public static partial void NotifyOutcome(ILogger logger, string @event, MacAddress mac, string endpoint, string outcome, string detail);

    [LoggerMessage(5001, LogLevel.Information, "{Mac} changed but has no live contact: its resync waits for it to register")]
    public static partial void WaitingForContact(ILogger logger, MacAddress mac);

    [LoggerMessage(5002, LogLevel.Information, "{Mac} acted on its NOTIFY: {Detail}")]
    public static partial void PhoneFetched(ILogger logger, MacAddress mac, string detail);

    [LoggerMessage(5003, LogLevel.Warning, "{Mac} is stale: {Reason}")]
    public static partial void PhoneStale(ILogger logger, MacAddress mac, string reason);

    [LoggerMessage(5010, LogLevel.Warning, "{Mac}: a NOTIFY was going out when the service stopped; taken as sent ({Kind}), never sent twice: its fetch or the escalation decides")]
    public static partial void TakenAsSent(ILogger logger, MacAddress mac, string kind);

    [LoggerMessage(5011, LogLevel.Information, "{Mac} is in a call ({DeviceState}): its resync waits until it is idle, at most until {Until}")]
    public static partial void DeferredInCall(ILogger logger, MacAddress mac, string deviceState, DateTimeOffset until);

    [LoggerMessage(5012, LogLevel.Warning, "{Mac} is still in a call ({DeviceState}) after {Deadline}: its NOTIFY goes out anyway")]
    public static partial void SentDespiteCall(ILogger logger, MacAddress mac, string deviceState, TimeSpan deadline);

    [LoggerMessage(5013, LogLevel.Debug, "{Mac}: not sent, it fetched its files meanwhile or another sender took it")]
    public static partial void NotSent(ILogger logger, MacAddress mac);

    [LoggerMessage(5014, LogLevel.Information, "{Mac} is resynced: {Detail}")]
    public static partial void PhoneProven(ILogger logger, MacAddress mac, string detail);

    [LoggerMessage(5015, LogLevel.Warning, "{Mac}: Asterisk refused the NOTIFY ({Detail}); try {Try} of {Tries}, sent again in {Wait}")]
    public static partial void RetryLater(ILogger logger, MacAddress mac, string detail, int @try, int tries, TimeSpan wait);

    [LoggerMessage(5016, LogLevel.Debug, "Reading the contacts: phones that fetched their files await their registration")]
    public static partial void ContactsPolled(ILogger logger);

    [LoggerMessage(5017, LogLevel.Information, "{Mac} registered {Endpoint} after its boot with Call-ID {CallId} (Asterisk lists {Listed}): its service-control NOTIFYs name it")]
    public static partial void RegistrationLearned(ILogger logger, MacAddress mac, string endpoint, string callId, string listed);

    // Files over HTTP 6970 (6001; the next free one is 6002).
    [LoggerMessage(6001, LogLevel.Information, "HTTP {Client} {FileName}: {Status}, {Detail}")]
    public static partial void HttpRequest(ILogger logger, IPAddress client, string fileName, int status, string detail);

    // Firmware: the catalog and the loads phones run (6050–6056; the next free one is 6057).
    [LoggerMessage(6050, LogLevel.Information, "Firmware catalog: {Loads} loads in {Directory}, {Complete} complete")]
    public static partial void CatalogVerified(ILogger logger, int loads, int complete, string directory);

    [LoggerMessage(6051, LogLevel.Warning, "Firmware load {Load} is incomplete and is never offered: {Problem}")]
    public static partial void LoadIncomplete(ILogger logger, string load, string problem);

    [LoggerMessage(6052, LogLevel.Warning, "{FileName}: {Reason}")]
    public static partial void TermDefaultTrapFound(ILogger logger, string fileName, string reason);

    [LoggerMessage(6056, LogLevel.Warning, "The site default load of the {Model}, {Load}, is not complete in the firmware folder: it is not offered (acb firmware import)")]
    public static partial void DefaultNotOffered(ILogger logger, string model, string load);

    [LoggerMessage(6053, LogLevel.Information, "Phone {Mac} runs {Load} ({Source}); it is offered {NextHop} next: {Reason}")]
    public static partial void LoadLearned(ILogger logger, string mac, string load, string source, string nextHop, string reason);

    [LoggerMessage(6054, LogLevel.Warning, "Phone {Mac} runs {Load} but could not be rendered again: {Problem}")]
    public static partial void NotRerendered(ILogger logger, string mac, string load, string problem);

    [LoggerMessage(6055, LogLevel.Warning, "Learning the running load from the request for {FileName} failed")]
    public static partial void LoadLearningFailed(ILogger logger, string fileName, Exception exception);

    // Security: rate limit, address pins and MAC scans (6070–6073, 6079, 6082, 6100, 6142, 6143; the next free one is 6105).
    [LoggerMessage(6070, LogLevel.Warning, "Rate limit: {Client} made {Reason}; its requests are refused until it slows down")]
    public static partial void RateLimited(ILogger logger, IPAddress client, string reason);

    [LoggerMessage(6071, LogLevel.Warning, "Refused {FileName} to {Client}: the phone is pinned to {PinnedTo} (Security:AddressPinning=deny)")]
    public static partial void AddressDenied(ILogger logger, string fileName, IPAddress client, IPAddress pinnedTo);

    [LoggerMessage(6072, LogLevel.Warning, "Served {FileName} to {Client}, but the phone is pinned to {PinnedTo} (Security:AddressPinning=alert)")]
    public static partial void AddressAlert(ILogger logger, string fileName, IPAddress client, IPAddress pinnedTo);

    [LoggerMessage(6073, LogLevel.Debug, "Pinned {Mac} to {Client}, where it fetched its own file")]
    public static partial void AddressLearned(ILogger logger, string mac, IPAddress client);

    [LoggerMessage(6079, LogLevel.Information, "Phone {Mac} registers from {To} now (was {From}): its address pin follows")]
    public static partial void AddressMoved(ILogger logger, string mac, IPAddress from, IPAddress to);

    [LoggerMessage(6082, LogLevel.Debug, "Pinned {Count} phones to the address of their last fetch")]
    public static partial void AddressesSeeded(ILogger logger, int count);

    [LoggerMessage(6100, LogLevel.Warning, "MAC scan from {Client}: {Reason}; its per-phone requests are refused for a while")]
    public static partial void ScanDetected(ILogger logger, IPAddress client, string reason);

    [LoggerMessage(6142, LogLevel.Warning, "MAC scan from network {Prefix} (last from {Client}): {Reason}; its per-phone requests are refused for a while, bound phones at their own addresses excepted")]
    public static partial void NetworkScanDetected(ILogger logger, IPNetwork prefix, IPAddress client, string reason);

    [LoggerMessage(6143, LogLevel.Warning, "MAC scan across networks (last from {Client}): {Reason}; files of MACs bound to no phone are refused to everyone for a while, bound phones are still served")]
    public static partial void SpreadScanDetected(ILogger logger, IPAddress client, string reason);

    // New phones: discovery and auto-assignment (6074–6081; the next free one is 6083).
    [LoggerMessage(6074, LogLevel.Information, "New phone {Mac} at {Client} asked for {FileName} and is bound to nothing ({Model}): acb bind {Mac} ENDPOINT")]
    public static partial void PhoneDiscovered(ILogger logger, MacAddress mac, IPAddress client, string fileName, string model);

    [LoggerMessage(6075, LogLevel.Information, "Auto-assigned endpoint {Endpoint} to new phone {Mac} as a {Model} (acb unbind {Mac} reverses it)")]
    public static partial void AutoAssigned(ILogger logger, MacAddress mac, string endpoint, string model);

    [LoggerMessage(6076, LogLevel.Warning, "New phone {Mac} waits: no free endpoint is marked set_var=ACB_AUTOASSIGN=yes")]
    public static partial void NoFreeEndpoint(ILogger logger, MacAddress mac);

    [LoggerMessage(6078, LogLevel.Warning, "Discovery could not record a request for {FileName}")]
    public static partial void DiscoveryNotRecorded(ILogger logger, string fileName, Exception exception);

    [LoggerMessage(6080, LogLevel.Warning, "Auto-assignment skipped in this provisioning round")]
    public static partial void AutoAssignmentSkipped(ILogger logger, Exception exception);

    [LoggerMessage(6081, LogLevel.Warning, "New phone {Mac} at {Client} waits: that address already got an auto-assigned endpoint; bind it with acb bind if it is a phone")]
    public static partial void SecondPhoneAtAddress(ILogger logger, MacAddress mac, string client);

    // The phone directory over HTTP (6120–6121; the next free one is 6122).
    [LoggerMessage(6120, LogLevel.Information, "HTTP {Client} {Name}: {Detail}")]
    public static partial void DirectoryServed(ILogger logger, IPAddress client, string name, string detail);

    [LoggerMessage(6121, LogLevel.Warning, "HTTP {Client} {Name}: {Status}, {Reason}")]
    public static partial void DirectoryRefused(ILogger logger, IPAddress client, string name, int status, string reason);

    // The TFTP service (6140; the next free one is 6144).
    [LoggerMessage(6140, LogLevel.Critical, "The TFTP server's event loop died ({Reason}): no phone is answered over TFTP any more; the service stops so that systemd restarts it")]
    public static partial void TftpLoopDied(ILogger logger, string reason, Exception exception);

    // Provisioning: the sync service (6200–6201; the next free one is 6202).
    [LoggerMessage(6200, LogLevel.Warning, "AMI is not configured ({Problem}): serving the stored files only")]
    public static partial void NoAmi(ILogger logger, string problem);

    [LoggerMessage(6201, LogLevel.Error, "A provisioning round failed; it is tried again")]
    public static partial void RoundFailed(ILogger logger, Exception exception);

    // Provisioning: rounds asked for by a store change, from the store's line data (6220–6225; the next free one is 6226).
    [LoggerMessage(6220, LogLevel.Debug, "Provisioning round asked for ({Reason}) over {Source}")]
    public static partial void RoundRequested(ILogger logger, string reason, string source);

    [LoggerMessage(6221, LogLevel.Error, "A provisioning round asked for by a store change failed; it is tried again in {RetryDelay}")]
    public static partial void RequestedRoundFailed(ILogger logger, TimeSpan retryDelay, Exception exception);

    [LoggerMessage(6222, LogLevel.Warning, "{Problem}")]
    public static partial void StoredPhoneNotRendered(ILogger logger, string problem);

    [LoggerMessage(6223, LogLevel.Information, "Provisioned from the store without a snapshot: {Changed} phones changed, {Unchanged} unchanged, {Waiting} wait for Asterisk's line data")]
    public static partial void StoredRoundDone(ILogger logger, int changed, int unchanged, int waiting);

    [LoggerMessage(6224, LogLevel.Debug, "Store changed beside the service (audit rows after {Before}, up to {Last}): a provisioning round is asked for")]
    public static partial void StoreChanged(ILogger logger, long before, long last);

    [LoggerMessage(6225, LogLevel.Warning, "Reading the audit log for store changes failed; changes made meanwhile wait for the next successful read")]
    public static partial void AuditReadFailed(ILogger logger, Exception exception);

    // Provisioning: contacts and requests Asterisk authenticated (6240–6241; the next free one is 6242).
    [LoggerMessage(6240, LogLevel.Error, "Refreshed contacts could not be applied; the next refresh or snapshot tries again")]
    public static partial void ContactsFailed(ILogger logger, Exception exception);

    [LoggerMessage(6241, LogLevel.Error, "A request Asterisk authenticated on {Endpoint} could not be taken into account; the next one is")]
    public static partial void AuthenticationFailed(ILogger logger, string endpoint, Exception exception);

    // Provisioning: the removal hold (6260–6263; the next free one is 6264).
    [LoggerMessage(6260, LogLevel.Warning, "Holding Asterisk's answer, nothing applied: {Held} ({Phones}). Phones keep their files and are not told. It is applied at {DueAt:u} if Asterisk still answers the same (Sync:RemovalHold {Hold}), or now with: acb sync --accept-removals")]
    public static partial void RemovalsHeld(ILogger logger, string held, string phones, DateTimeOffset dueAt, TimeSpan hold);

    [LoggerMessage(6261, LogLevel.Information, "Asterisk no longer gives the held answer ({Held}): it is dropped, never applied; phones keep their files")]
    public static partial void HoldCleared(ILogger logger, string held);

    [LoggerMessage(6262, LogLevel.Warning, "Applying the held answer accepted by {Actor} at {AcceptedAt:u}: {Held}")]
    public static partial void AppliedAccepted(ILogger logger, string held, string actor, DateTimeOffset acceptedAt);

    [LoggerMessage(6263, LogLevel.Warning, "Applying the held answer: Asterisk answered the same since {FirstSeen:u} (Sync:RemovalHold {Hold}): {Held}")]
    public static partial void AppliedAfterHold(ILogger logger, string held, DateTimeOffset firstSeen, TimeSpan hold);

    // Provisioning: rounds from an Asterisk snapshot (6280–6282; the next free one is 6283).
    [LoggerMessage(6280, LogLevel.Warning, "{Problem}")]
    public static partial void LineLeftOut(ILogger logger, string problem);

    [LoggerMessage(6281, LogLevel.Information, "Provisioned from a snapshot of {Endpoints} endpoints: {Changed} phones changed, {Unchanged} unchanged")]
    public static partial void SnapshotRoundDone(ILogger logger, int endpoints, int changed, int unchanged);

    [LoggerMessage(6282, LogLevel.Information, "Phone {Mac} is bound in Asterisk: {Lines}; model {Model}")]
    public static partial void DeclaredInAsterisk(ILogger logger, MacAddress mac, string lines, string model);

    // Provisioning: a phone's family, learned from the file it asks for (6290–6291; the next free one is 6292).
    [LoggerMessage(6290, LogLevel.Information, "Phone {Mac} asked for {FileName}: it is a {Family}; the other family's file is withdrawn")]
    public static partial void FamilyLearned(ILogger logger, MacAddress mac, string family, string fileName);

    [LoggerMessage(6291, LogLevel.Warning, "Learning a phone's family from its request for {FileName} failed")]
    public static partial void FamilyLearningFailed(ILogger logger, string fileName, Exception exception);

    // The request log (6300, 6330–6333; the next free one is 6334).
    [LoggerMessage(6300, LogLevel.Error, "The request log cannot be written ({Requests} requests lost; the files are still served); until it can, nothing more is logged about it")]
    public static partial void RequestLogNotWritten(ILogger logger, int requests, Exception exception);

    [LoggerMessage(6330, LogLevel.Warning, "Request for {FileName} could not be observed (resync proof, load or model learning)")]
    public static partial void RequestNotObserved(ILogger logger, string fileName, Exception exception);

    [LoggerMessage(6331, LogLevel.Information, "The request log is written again")]
    public static partial void RequestLogWrittenAgain(ILogger logger);

    [LoggerMessage(6332, LogLevel.Information, "Request log pruned: {Rows} rows older than {Retention} or beyond {MaxRows} rows deleted")]
    public static partial void RequestLogPruned(ILogger logger, long rows, TimeSpan retention, long maxRows);

    [LoggerMessage(6333, LogLevel.Warning, "Request log pruning stopped after {Rows} rows; the next run tries again")]
    public static partial void RequestLogPruneFailed(ILogger logger, long rows, Exception exception);

    // The SIP server phones are pointed at (6410–6411; the next free one is 6412).
    [LoggerMessage(6410, LogLevel.Information, "Phones are pointed at {Server} until an endpoint's transport says otherwise")]
    public static partial void SipServerDefault(ILogger logger, string server);

    [LoggerMessage(6411, LogLevel.Information, "Phones of endpoints on transport {Transport} are pointed at {Server}")]
    public static partial void TransportDecided(ILogger logger, string transport, string server);
}
