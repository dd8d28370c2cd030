using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Services.Security;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Provisioning;

/// <summary>What one provisioning round did.</summary>
/// <param name="Changed">Phones whose files changed (their sync counter moved): the ones to resync.</param>
/// <param name="Unchanged">Phones rendered to the same bytes.</param>
/// <param name="Problems">Lines or phones left out, and why.</param>
internal sealed record ProvisioningRound(IReadOnlyList<MacAddress> Changed, int Unchanged, IReadOnlyList<string> Problems);

/// <summary>
/// Turns a complete PJSIP snapshot into the files every phone of the <see cref="PhoneInventory"/> gets
/// (phones Asterisk binds with phoneprov or set_var, and the bridge's own bindings): each line comes
/// from its live endpoint (auth user, password, caller id); a line whose endpoint is gone or cannot be
/// provisioned (md5 credential, no auth) is left out and said so, never filled with someone else's data. Renders, stores (the sync counter moves only when bytes change), and
/// republishes the file tree. The snapshot is the whole truth or not used: partial snapshots
/// never reach this class (the endpoint source publishes complete ones only).
/// </summary>
internal sealed partial class EndpointProvisioner(
    PhoneStore phones,
    ConfigStore config,
    StoredPhoneRenderer renderer,
    StoredFileTree tree,
    ResyncOptions resync,
    TimeProvider time,
    ILogger<EndpointProvisioner> logger,
    PhoneDiscovery? discovery = null,
    KnownAddresses? addresses = null,
    SnapshotStore? snapshots = null,
    SipServerContext? servers = null,
    Phonebook.DirectorySource? directory = null)
{
    /// <summary>The inventory of the last round: what every reader of the service shows.</summary>
    public PhoneInventory Inventory { get; private set; } = PhoneInventory.Empty;

    public async Task<ProvisioningRound> ApplyAsync(PjsipSnapshot snapshot, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var changed = new List<MacAddress>();
        var renderings = new List<StoredPhoneFiles>();
        var site = await renderer.RenderSiteAsync(cancellationToken);
        var unchanged = 0;
        if (discovery is not null)
        {
            await discovery.OnSnapshotAsync(snapshot, cancellationToken);
        }

        // One inventory answers which MAC carries which lines: Asterisk's declarations first, then the
        // bridge's own bindings. Phones that only Asterisk declares get their row here, with the model
        // the inventory settled on (learned models are kept for the rounds when the phone is offline).
        var endpoints = InventoryReading.EndpointsOf(snapshot, servers);
        var inventory = await phones.InventoryAsync(endpoints, cancellationToken);
        foreach (var (mac, from, to) in addresses?.Update(snapshot, inventory) ?? [])
        {
            Log.AddressMoved(logger, mac.Value, from, to);
        }

        var now = time.GetUtcNow();
        var created = await phones.SyncModelsAsync(
            [.. inventory.Phones.Select(p => (p.Mac, p.Model?.Name ?? string.Empty, ModelSourceText.Of(p.ModelSource)))], now, cancellationToken);
        foreach (var mac in created)
        {
            var declared = inventory.Find(mac);
            Log.DeclaredInAsterisk(logger, mac, string.Join(", ", declared?.Lines.Select(l => $"{l.Endpoint} ({l.Origin})") ?? []), declared?.Model?.Name ?? "unknown: learned from its first request");
        }

        if (snapshots is not null)
        {
            await snapshots.SaveAsync(new StoredSnapshot(snapshot.TakenAt, endpoints), cancellationToken);
        }

        directory?.Publish(snapshot);

        var storedHashes = (await phones.ListAsync(cancellationToken)).ToDictionary(p => p.Mac, p => p.ContentHash);
        var userAgentsOf = snapshot.Endpoints.ToDictionary(e => e.Name, e => e.Contacts.Select(c => c.UserAgent).OfType<string>().ToArray(), StringComparer.Ordinal);
        foreach (var phone in inventory.Phones)
        {
            problems.AddRange(phone.Lines.Where(l => l.Problem is not null && !phone.Conflicts.Contains(l.Problem)).Select(l => $"{phone.Mac}: {l.Problem}; its line is left out"));
            problems.AddRange(phone.Conflicts.Select(c => $"{phone.Mac}: {c}"));
            var lines = phone.ServedLines;
            if (lines.Count == 0)
            {
                // Every line is gone: stop serving the old credentials; the phone gets what an unbound one gets.
                if (await renderer.DeprovisionAsync(phone.Mac, cancellationToken) is { } deprovisioned)
                {
                    renderings.Add(deprovisioned);
                    if (phone.Lines.Length > 0 || await phones.FilesAsync(phone.Mac, cancellationToken) is { Count: > 0 })
                    {
                        problems.Add(deprovisioned.Files.Count == 0
                            ? $"{phone.Mac}: no line can be provisioned; its files are withdrawn (file-not-found) until its binding is fixed"
                            : $"{phone.Mac}: no line can be provisioned; it is served a configuration without credentials until its binding is fixed");
                    }
                }

                continue;
            }

            string[] userAgents = [.. phone.ServedEndpoints.SelectMany(e => userAgentsOf.GetValueOrDefault(e) ?? [])];
            var render = await renderer.RenderLinesAsync(phone.Mac, lines, cancellationToken, site, userAgents, phone.Keys);
            if (render.Result is null)
            {
                problems.Add(render.Error!);
                continue;
            }

            // Lines its file cannot carry are left out; the phone keeps the others (or, with none, is deprovisioned).
            problems.AddRange(render.LeftOutProblems(phone.Mac, phone.ServedEndpoints));

            // A file that only starts naming the load the phone already runs (learned from its User-Agent) is
            // stored, but the phone is not made to re-read it: it would reboot for nothing.
            var stored = storedHashes.GetValueOrDefault(phone.Mac);
            var echoOnly = render.HashWithoutEcho is { } quiet && stored is not null
                && PhoneStore.SetHash(StoredPhoneRenderer.OwnFiles(render.Result.Files)) != stored && quiet.Value == stored;
            renderings.Add(new StoredPhoneFiles(phone.Mac, [.. render.Result.Files.Where(f => f.Scope == FileScope.Phone)], render.Result.SyncValue, render.Result.VersionStamp, Notify: !echoOnly));
        }

        Inventory = inventory;

        // One transaction for the lot: each phone's files and its counter bump still commit
        // together, and a round over thousands of phones costs one commit, not thousands.
        await config.SaveSiteFilesAsync(site.Files, now, cancellationToken);

        // Changed phones join the resync queue in that same transaction: a crash after it cannot
        // keep the new files and forget to tell the phones.
        var saved = await phones.SaveRenderedAsync(renderings, now, resync.Enabled ? "changed" : null, cancellationToken);
        for (var i = 0; i < saved.Count; i++)
        {
            if (saved[i].Outcome == SaveOutcome.Updated)
            {
                changed.Add(renderings[i].Mac);
            }
            else
            {
                unchanged++;
            }
        }

        await tree.ReloadAsync(cancellationToken);
        foreach (var problem in problems)
        {
            Log.LineLeftOut(logger, problem);
        }

        Log.SnapshotRoundDone(logger, snapshot.Endpoints.Length, changed.Count, unchanged);
        return new ProvisioningRound(changed, unchanged, problems);
    }

    /// <summary>Known addresses follow contacts refreshed without a round (phones that registered from a new address).</summary>
    public void FollowContacts(PjsipSnapshot snapshot)
    {
        foreach (var (mac, from, to) in addresses?.Update(snapshot, Inventory) ?? [])
        {
            Log.AddressMoved(logger, mac.Value, from, to);
        }
    }

    /// <summary>
    /// The line a live endpoint gives a phone, or null when it has no plain password to give. It registers where
    /// <paramref name="servers"/> says the endpoint's transport listens.
    /// </summary>
    internal static LineInput? LineOf(PjsipEndpoint endpoint, SipServerContext servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        if (!endpoint.IsProvisionable || endpoint.Auth?.Password is not { } password)
        {
            return null;
        }

        var extension = string.IsNullOrEmpty(endpoint.Auth.Username) ? endpoint.Name : endpoint.Auth.Username;
        return new LineInput(
            Extension: endpoint.Name,
            AuthUser: extension,
            Password: password,
            DisplayName: string.IsNullOrEmpty(endpoint.CallerIdName) ? null : endpoint.CallerIdName,
            CallerIdNumber: string.IsNullOrEmpty(endpoint.CallerIdNumber) ? null : endpoint.CallerIdNumber,
            Server: servers.For(endpoint));
    }
}
