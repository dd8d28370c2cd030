using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Provisioning;

/// <summary>
/// A provisioning round with no snapshot to work from (no AMI settings, or Asterisk not read yet): every
/// phone whose bindings all carry recorded line data (<c>acb bind --line-data</c>) is rendered from it, and
/// the store is published as at start (<see cref="StorageMigration.PublishAsync"/>). A phone with a line
/// only Asterisk can give keeps the files it has until a snapshot comes. Changed phones join the resync
/// queue in the transaction that stores them, as in a snapshot round; the first snapshot plans them.
/// </summary>
internal sealed class StoredPhoneRound(
    PhoneStore phones,
    StoredPhoneRenderer renderer,
    StoredFileTree tree,
    ResyncOptions resync,
    TimeProvider time,
    ILogger<StoredPhoneRound> logger)
{
    public async Task<ProvisioningRound> ApplyAsync(CancellationToken cancellationToken)
    {
        var site = await renderer.RenderSiteAsync(cancellationToken);
        var renderings = new List<StoredPhoneFiles>();
        var problems = new List<string>();
        var waiting = 0;
        foreach (var (mac, rows) in await phones.AllBindingsAsync(cancellationToken))
        {
            if (rows.Any(r => r.ToLine() is null))
            {
                waiting++;
                continue;
            }

            var render = await renderer.RenderAsync(mac, cancellationToken, site);
            if (render.Result is null)
            {
                problems.Add(render.Error!);
                continue;
            }

            renderings.Add(new StoredPhoneFiles(mac, [.. render.Result.Files.Where(f => f.Scope == FileScope.Phone)], render.Result.SyncValue, render.Result.VersionStamp));
        }

        var now = time.GetUtcNow();
        var saved = await phones.SaveRenderedAsync(renderings, now, resync.Enabled ? "changed" : null, cancellationToken);
        var changed = renderings.Where((_, i) => saved[i].Outcome == SaveOutcome.Updated).Select(r => r.Mac).ToArray();
        await StorageMigration.PublishAsync(renderer, tree, now, cancellationToken);
        foreach (var problem in problems)
        {
            Log.StoredPhoneNotRendered(logger, problem);
        }

        Log.StoredRoundDone(logger, changed.Length, renderings.Count - changed.Length, waiting);
        return new ProvisioningRound(changed, renderings.Count - changed.Length, problems);
    }
}
