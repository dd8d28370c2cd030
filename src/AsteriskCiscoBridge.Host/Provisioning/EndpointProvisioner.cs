using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Host.Resync;
using AsteriskCiscoBridge.Host.Security;
using AsteriskCiscoBridge.Host.Storage;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host.Provisioning;

/// <summary>What one provisioning round did.</summary>
/// <param name="Changed">Phones whose files changed (their sync counter moved): the ones to resync.</param>
/// <param name="Unchanged">Phones rendered to the same bytes.</param>
/// <param name="Problems">Lines or phones left out, and why.</param>
internal sealed record ProvisioningRound(IReadOnlyList<MacAddress> Changed, int Unchanged, IReadOnlyList<string> Problems);

/// <summary>
/// Turns a complete PJSIP snapshot into the files every bound phone gets: each binding's line
/// comes from its live endpoint (auth user, password, caller id); a line whose endpoint is gone
/// or cannot be provisioned (md5 credential, no auth) is left out and said so, never filled with
/// someone else's data. Renders, stores (the sync counter moves only when bytes change), and
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
    AddressPins? pins = null)
{
    public async Task<ProvisioningRound> ApplyAsync(PjsipSnapshot snapshot, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var changed = new List<MacAddress>();
        var renderings = new List<PhoneRendering>();
        var site = await renderer.RenderSiteAsync(cancellationToken);
        var unchanged = 0;
        if (discovery is not null)
        {
            await discovery.OnSnapshotAsync(snapshot, cancellationToken);
        }

        var bindings = await phones.AllBindingsAsync(cancellationToken);
        foreach (var (mac, from, to) in pins?.Update(snapshot, bindings) ?? [])
        {
            PinMoved(logger, mac, from, to);
        }

        foreach (var (mac, rows) in bindings)
        {
            var lines = new List<LineInput>();
            var endpoints = new List<string>();
            var userAgents = new List<string>();
            foreach (var row in rows.OrderBy(r => r.Position))
            {
                var endpoint = snapshot.Find(row.Endpoint);
                userAgents.AddRange(endpoint?.Contacts.Select(c => c.UserAgent).OfType<string>() ?? []);
                var line = endpoint is null ? null : LineOf(endpoint);
                if (line is null)
                {
                    problems.Add(endpoint is null
                        ? $"{mac}: endpoint {row.Endpoint} is not in Asterisk; its line is left out"
                        : $"{mac}: endpoint {row.Endpoint} cannot be provisioned: {endpoint.NotProvisionableReason}");
                    continue;
                }

                lines.Add(line);
                endpoints.Add(row.Endpoint);
            }

            if (lines.Count == 0)
            {
                // Every line is gone: stop serving the old credentials; the phone gets what an unbound one gets.
                if (await renderer.DeprovisionAsync(mac, cancellationToken) is { } deprovisioned)
                {
                    renderings.Add(deprovisioned);
                    problems.Add(deprovisioned.Files.Count == 0
                        ? $"{mac}: no line can be provisioned; its files are withdrawn (file-not-found) until its binding is fixed"
                        : $"{mac}: no line can be provisioned; it is served a configuration without credentials until its binding is fixed");
                }

                continue;
            }

            var render = await renderer.RenderLinesAsync(mac, lines, cancellationToken, site, userAgents);
            if (render.Result is null)
            {
                problems.Add(render.Error!);
                continue;
            }

            // Lines its file cannot carry are left out; the phone keeps the others (or, with none, is deprovisioned).
            problems.AddRange(render.LeftOutProblems(mac, endpoints));

            renderings.Add(new PhoneRendering(mac, [.. render.Result.Files.Where(f => f.Scope == FileScope.Phone)], render.Result.SyncValue, render.Result.VersionStamp));
        }

        // One transaction for the lot: each phone's files and its counter bump still commit
        // together, and a round over thousands of phones costs one commit, not thousands.
        var now = time.GetUtcNow();
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
            LineLeftOut(logger, problem);
        }

        RoundDone(logger, snapshot.Endpoints.Length, changed.Count, unchanged);
        return new ProvisioningRound(changed, unchanged, problems);
    }

    /// <summary>The line a live endpoint gives a phone, or null when it has no plain password to give.</summary>
    internal static LineInput? LineOf(PjsipEndpoint endpoint)
    {
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
            CallerIdNumber: string.IsNullOrEmpty(endpoint.CallerIdNumber) ? null : endpoint.CallerIdNumber);
    }

    [LoggerMessage(6079, LogLevel.Information, "Phone {Mac} registers from {To} now (was {From}): its address pin follows")]
    private static partial void PinMoved(ILogger logger, string mac, System.Net.IPAddress from, System.Net.IPAddress to);

    [LoggerMessage(3100, LogLevel.Warning, "{Problem}")]
    private static partial void LineLeftOut(ILogger logger, string problem);

    [LoggerMessage(3101, LogLevel.Information, "Provisioned from a snapshot of {Endpoints} endpoints: {Changed} phones changed, {Unchanged} unchanged")]
    private static partial void RoundDone(ILogger logger, int endpoints, int changed, int unchanged);
}
