using System.Collections.Concurrent;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Services.Firmware;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Services.Provisioning;

/// <summary>What rendering a stored phone gave: files, or why there are none; the load plan the files follow and the lines they carry.</summary>
/// <remarks>
/// Lines the phone's file cannot carry are left out, not failures: <see cref="PhoneRenderResult.LeftOut"/>
/// names them and the files carry the rest. When none is left, <see cref="PhoneRenderResult.CarriesNoLine"/>
/// is set and the files are what a bound phone with no line gets (<see cref="StoredPhoneRenderer.DeprovisionAsync"/>).
/// </remarks>
internal sealed record StoredPhoneRenderResult(PhoneRenderResult? Result, SiteFileSet Site, string? Error, LoadPlan? Plan = null, IReadOnlyList<LineInput>? Lines = null)
{
    /// <summary>
    /// When the files name the load the phone already runs ("keep current", spec §3.5), the content hash of
    /// the same files naming none: equal to what was stored, the change asks nothing of the phone. Rendered
    /// only when asked (a round asks only for a phone whose files changed).
    /// </summary>
    public Lazy<string?>? HashWithoutEcho { get; init; }

    public static StoredPhoneRenderResult Fail(SiteFileSet site, string error) => new(null, site, error);

    /// <summary>
    /// One line per left-out line, for a provisioning round's problems: MAC, endpoint, file, field and why.
    /// <paramref name="endpoints"/> are the endpoint names of the lines rendered, in the order given.
    /// </summary>
    public IEnumerable<string> LeftOutProblems(MacAddress mac, IReadOnlyList<string> endpoints)
    {
        foreach (var left in Result?.LeftOut ?? [])
        {
            var endpoint = left.Position <= endpoints.Count ? endpoints[left.Position - 1] : left.Line.Extension;
            yield return $"{mac}: endpoint {endpoint}: {left}";
        }

        // A speed dial its buttons cannot hold is left out of its file, and said so in the round.
        foreach (var key in Result?.Warnings.Where(w => w.Field.StartsWith(FeatureKeys.SettingPrefix, StringComparison.Ordinal) && w.Message.StartsWith("left out:", StringComparison.Ordinal)) ?? [])
        {
            yield return $"{mac}: {key.Field} {key.Message}";
        }

        if (Result?.CarriesNoLine == true)
        {
            yield return Result.Files.Count == 0
                ? $"{mac}: no line fits its file; its files are withdrawn (file-not-found) until a line is fixed in Asterisk"
                : $"{mac}: no line fits its file; it is served a configuration without credentials until a line is fixed in Asterisk";
        }
    }
}

/// <summary>
/// Renders a phone from what the store holds: its model and its bindings' line data, which the endpoint
/// sync records from Asterisk's endpoints every round (or <c>acb bind --line-data</c> for a phone bound by
/// hand); a binding without it is an error, never a placeholder.
/// </summary>
/// <remarks>
/// With <paramref name="loads"/>, the load each phone is offered is its plan's next hop (one hop per boot): the running load from <c>phones.load</c>, its pin, the site default for its model and the
/// staircase rules, against the stored catalog. A phone with nothing to offer gets no
/// <c>loadInformation</c>/<c>image_version</c> and keeps what it runs; the site files name a default only
/// when the catalog holds it complete.
/// </remarks>
internal sealed class StoredPhoneRenderer(PhoneStore phones, ConfigStore config, SiteSettings site, TemplateSet templates, LoadPlanSource? loads = null)
{
    // The lines (and Asterisk's feature keys) of each phone's last render from live endpoints, so a phone whose load
    // plan moves (it reported a new running load) is re-rendered between snapshots with the same lines.
    private readonly ConcurrentDictionary<MacAddress, (IReadOnlyList<LineInput> Lines, IReadOnlyList<FeatureKey> Keys)> _lines = new();

    public LoadPlanSource? Loads => loads;

    public async Task<StoredPhoneRenderResult> RenderAsync(MacAddress mac, CancellationToken cancellationToken, SiteFileSet? siteFiles = null)
    {
        // A round over many phones renders the site files once and passes them in.
        if (siteFiles is null)
        {
            await RefreshAsync(cancellationToken);
            siteFiles = RenderSite();
        }

        var phone = await phones.GetAsync(mac, cancellationToken);
        if (phone is null)
        {
            return StoredPhoneRenderResult.Fail(siteFiles, $"{mac} is not bound (acb bind {mac} ENDPOINT…)");
        }

        var model = PhoneFamilies.Find(phone.Model);
        if (model is null && phone.Model.Length > 0)
        {
            return StoredPhoneRenderResult.Fail(siteFiles, $"{mac}: stored model '{phone.Model}' is not supported");
        }

        var bindings = await phones.BindingsAsync(mac, cancellationToken);
        var missing = bindings.Where(b => b.ToLine() is null).Select(b => b.Endpoint).ToArray();
        if (missing.Length > 0)
        {
            return StoredPhoneRenderResult.Fail(siteFiles, $"{mac}: no line data for endpoint{(missing.Length == 1 ? "" : "s")} {string.Join(", ", missing)}: Asterisk has not been read (configure Ami, or bind with --line-data)");
        }

        var overrides = PhoneSettings.ToOverrides(await phones.SettingsAsync(mac, cancellationToken), out var settingsError);
        if (overrides is null)
        {
            return StoredPhoneRenderResult.Fail(siteFiles, $"{mac}: {settingsError}");
        }

        return Render(siteFiles, phone, model, [.. bindings.Select(b => b.ToLine()!)], overrides);
    }

    /// <summary>
    /// Renders a phone as the inventory has it (its served lines and its model): what the CLI shows and
    /// stores, with the same data the service's rounds use. A phone Asterisk declares that the store
    /// does not hold yet is rendered all the same (with no load offered: nothing is planned for it yet).
    /// </summary>
    public async Task<StoredPhoneRenderResult> RenderAsync(InventoryPhone phone, CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        var siteFiles = RenderSite();
        if (phone.ServedLines.Count == 0)
        {
            var why = phone.Lines.Select(l => l.Problem).OfType<string>().ToArray();
            return StoredPhoneRenderResult.Fail(siteFiles, $"{phone.Mac}: no line can be provisioned{(why.Length == 0 ? string.Empty : ": " + string.Join("; ", why))}");
        }

        var epoch = DateTimeOffset.UnixEpoch;
        var row = (await phones.GetAsync(phone.Mac, cancellationToken) ?? new PhoneRow { Mac = phone.Mac, Model = string.Empty, CreatedAt = epoch, UpdatedAt = epoch })
            with { Model = phone.Model?.Name ?? string.Empty };
        var overrides = PhoneSettings.ToOverrides(await phones.SettingsAsync(phone.Mac, cancellationToken), out var settingsError);
        if (overrides is null)
        {
            return StoredPhoneRenderResult.Fail(siteFiles, $"{phone.Mac}: {settingsError}");
        }

        return Render(siteFiles, row, phone.Model, phone.ServedLines, WithKeys(overrides, phone.Keys));
    }

    /// <summary>Renders and stores the site-wide files (OS79XX.TXT, SIPDefault.cnf, XMLDefault.cnf.xml…), so they are served before any phone is bound.</summary>
    public async Task SaveSiteFilesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        var files = RenderSite().Files;
        await config.SaveSiteFilesAsync(files, now, cancellationToken);
        if (loads is not null && !files.Any(f => f.Name == Os79xxRenderer.FileName))
        {
            await loads.Store.WithdrawSiteFileAsync(Os79xxRenderer.FileName, cancellationToken);
        }
    }

    /// <summary>The site-wide files as the current settings, templates and (last read) catalog give them.</summary>
    public SiteFileSet RenderSite() => SiteFileSet.Render(CurrentSite, templates);

    /// <summary>Reads the catalog from the store again, then renders the site files: the start of a provisioning round.</summary>
    public async Task<SiteFileSet> RenderSiteAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        return RenderSite();
    }

    /// <summary>
    /// Renders a stored phone with lines supplied by the caller (the live endpoints), not the binding's recorded data.
    /// <paramref name="userAgents"/> are the User-Agents of the phone's registrations: the running load is learned from them.
    /// <paramref name="keys"/> are the feature keys Asterisk declares for it (<see cref="InventoryPhone.Keys"/>); the
    /// phone's own <c>key.N</c> settings come first.
    /// </summary>
    public async Task<StoredPhoneRenderResult> RenderLinesAsync(MacAddress mac, IReadOnlyList<LineInput> lines, CancellationToken cancellationToken, SiteFileSet? siteFiles = null, IReadOnlyList<string>? userAgents = null, IReadOnlyList<FeatureKey>? keys = null)
    {
        // A round over many phones renders the site files once and passes them in.
        if (siteFiles is null)
        {
            await RefreshAsync(cancellationToken);
            siteFiles = RenderSite();
        }

        var phone = await phones.GetAsync(mac, cancellationToken);
        var model = phone is null ? null : PhoneFamilies.Find(phone.Model);
        if (phone is null || (model is null && phone.Model.Length > 0))
        {
            return StoredPhoneRenderResult.Fail(siteFiles, $"{mac}: not bound, or its model is not supported");
        }

        var overrides = PhoneSettings.ToOverrides(await phones.SettingsAsync(mac, cancellationToken), out var settingsError);
        if (overrides is null)
        {
            return StoredPhoneRenderResult.Fail(siteFiles, $"{mac}: {settingsError}");
        }

        if (userAgents is { Count: > 0 } && model is not null && !PhoneFamilies.IsRepresentative(model))
        {
            phone = await LearnFromUserAgentsAsync(phone, model, userAgents, cancellationToken);
        }

        keys ??= [];
        _lines[mac] = (lines, keys);
        return Render(siteFiles, phone, model, lines, WithKeys(overrides, keys));
    }

    /// <summary>The feature keys a phone gets: its <c>key.N</c> settings, then <paramref name="fromAsterisk"/> (its set_var keys) for the indexes left free.</summary>
    public async Task<IReadOnlyList<FeatureKey>> KeysAsync(MacAddress mac, IReadOnlyList<FeatureKey> fromAsterisk, CancellationToken cancellationToken) =>
        FeatureKeys.Merge(PhoneSettings.ToOverrides(await phones.SettingsAsync(mac, cancellationToken), out _)?.Keys ?? [], fromAsterisk);

    // The phone's own key.N settings, then Asterisk's ACB_KEY_N for an index the settings leave free.
    private static PhoneOverrides WithKeys(PhoneOverrides overrides, IReadOnlyList<FeatureKey> fromAsterisk) =>
        fromAsterisk.Count == 0 ? overrides : overrides with { Keys = FeatureKeys.Merge(overrides.Keys, fromAsterisk) };

    /// <summary>
    /// Renders a phone again after its load plan moved: with the lines of its last render from live endpoints,
    /// or else with its binding's recorded line data.
    /// </summary>
    public Task<StoredPhoneRenderResult> RerenderAsync(MacAddress mac, CancellationToken cancellationToken) =>
        _lines.TryGetValue(mac, out var last) ? RenderLinesAsync(mac, last.Lines, cancellationToken, keys: last.Keys) : RenderAsync(mac, cancellationToken);

    /// <summary>
    /// The files of a bound phone none of whose lines can be provisioned any more (its endpoints were removed
    /// from Asterisk, or hold only md5 credentials): what the site's unprovisioned policy gives an unbound
    /// phone for its own file name (a config without any credential, or no file at all), stored in place of
    /// its old files so that the old credentials stop being served. It names no load: the phone keeps what
    /// it runs. Null when the phone or its model is unknown.
    /// </summary>
    public async Task<StoredPhoneFiles?> DeprovisionAsync(MacAddress mac, CancellationToken cancellationToken)
    {
        var phone = await phones.GetAsync(mac, cancellationToken);
        var model = phone is null ? null : PhoneFamilies.Find(phone.Model);
        if (phone is null || (model is null && phone.Model.Length > 0))
        {
            return null;
        }

        _lines.TryRemove(mac, out _);
        return new StoredPhoneFiles(mac, Unprovisioned(mac, model), null, null);
    }

    // What the unprovisioned policy answers for the phone's own file names (both, while its family is unknown), naming no load.
    private RenderedFile[] Unprovisioned(MacAddress mac, PhoneModel? model)
    {
        string[] names = model is null ? [SipCnfRenderer.FileName(mac), SepXmlRenderer.FileName(mac)]
            : model.Family == PhoneFamily.Sip79x0 ? [SipCnfRenderer.FileName(mac)] : [SepXmlRenderer.FileName(mac)];
        var noLoads = CurrentSite with { Loads = new SiteLoads { Sip79x0 = string.Empty, Sip79x1 = new Dictionary<string, string>() } };
        return [.. names.Select(name => UnprovisionedRenderer.Render(noLoads, name).File).OfType<RenderedFile>().Select(f => f with { Scope = FileScope.Phone })];
    }

    /// <summary>Stores the site files and the phone's own files; the counter moves only if they changed.</summary>
    public async Task<SaveResult> SaveAsync(MacAddress mac, StoredPhoneRenderResult render, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(render.Result);
        await config.SaveSiteFilesAsync(render.Site.Files, now, cancellationToken);
        var own = render.Result.Files.Where(f => f.Scope == FileScope.Phone).ToArray();
        return await phones.SaveRenderedAsync(new StoredPhoneFiles(mac, own, render.Result.SyncValue, render.Result.VersionStamp), now, cancellationToken);
    }

    /// <summary>The load plan of a stored phone against the catalog last read (null without load planning or for an unknown model).</summary>
    public LoadPlan? PlanOf(PhoneRow phone) =>
        loads is not null && PhoneModels.Find(phone.Model) is { } model ? loads.Current.Plan(phone, model) : null;

    private SiteSettings CurrentSite => loads is null ? site : site with { Loads = loads.Current.Offered with { PerPhone = true } };

    /// <summary>A phone's own files as <see cref="PhoneStore.SetHash"/> takes them.</summary>
    internal static IEnumerable<(string Name, byte[] Content)> OwnFiles(IEnumerable<RenderedFile> files) =>
        files.Where(f => f.Scope == FileScope.Phone).Select(f => (f.Name, f.Content));

    private Task RefreshAsync(CancellationToken cancellationToken) => loads?.RefreshAsync(cancellationToken) ?? Task.CompletedTask;

    private StoredPhoneRenderResult Render(SiteFileSet siteFiles, PhoneRow phone, PhoneModel? model, IReadOnlyList<LineInput> lines, PhoneOverrides overrides)
    {
        // Without load planning the stored load is handed out as it is; with it, the plan's next hop, or
        // none ("") when nothing may be offered: the phone then keeps what it runs. A phone known by its
        // family only (or not at all) is offered none: loads are planned per model.
        var plan = PlanOf(phone);
        var load = model is null || PhoneFamilies.IsRepresentative(model) ? string.Empty : loads is null ? phone.Load : plan?.NextHop ?? string.Empty;
        var result = model is null
            ? EitherFamilyFileSet.Render(CurrentSite, siteFiles, phone.Mac, lines, overrides, templates)
            : PhoneFileSet.Render(CurrentSite, siteFiles, new Phone(phone.Mac, model, lines, load, overrides), templates);
        if (result.CarriesNoLine)
        {
            // Not one line fits the file: the phone gets what a bound phone whose lines are all gone gets,
            // so the credentials it had stop being served; the result keeps the warnings and LeftOut.
            return new StoredPhoneRenderResult(result with { Files = Unprovisioned(phone.Mac, model) }, siteFiles, null, plan, lines);
        }

        if (!result.Succeeded)
        {
            return StoredPhoneRenderResult.Fail(siteFiles, $"{phone.Mac}: {string.Join("; ", result.Errors)}");
        }

        // Naming the running load keeps a phone where it is, as naming none does (it keeps what it runs):
        // what the files would be without it tells a round whether the phone has anything to re-read.
        Lazy<string?>? withoutEcho = null;
        if (model is not null && !string.IsNullOrEmpty(load) && string.Equals(load, phone.Load, StringComparison.OrdinalIgnoreCase))
        {
            var site = CurrentSite;
            withoutEcho = new Lazy<string?>(() =>
            {
                var quiet = PhoneFileSet.Render(site, siteFiles, new Phone(phone.Mac, model, lines, string.Empty, overrides), templates);
                return quiet.Succeeded ? PhoneStore.SetHash(OwnFiles(quiet.Files)) : null;
            });
        }

        return new StoredPhoneRenderResult(result, siteFiles, null, plan, lines) { HashWithoutEcho = withoutEcho };
    }

    /// <summary>
    /// Records the running load a registration's User-Agent shows. A load learned from a completed TFTP
    /// download is more precise (a User-Agent names a release, not a load) and newer than a registration
    /// made before the phone rebooted into it, so it is kept.
    /// </summary>
    private async Task<PhoneRow> LearnFromUserAgentsAsync(PhoneRow phone, PhoneModel model, IReadOnlyList<string> userAgents, CancellationToken cancellationToken)
    {
        if (loads is null || phone.LoadSource?.StartsWith("tftp", StringComparison.Ordinal) == true)
        {
            return phone;
        }

        var context = loads.Current;
        foreach (var userAgent in userAgents)
        {
            var seen = UserAgentLoad.Resolve(userAgent, model, phone.Load, context.Catalog, phone.PinnedLoad ?? context.Defaults.For(model));
            if (seen is null)
            {
                continue;
            }

            if (!string.Equals(seen, phone.Load, StringComparison.OrdinalIgnoreCase))
            {
                var source = "sip user-agent " + userAgent;
                var now = loads.Time.GetUtcNow();
                await loads.Store.SetRunningLoadAsync(phone.Mac, seen, source, now, cancellationToken);
                return phone with { Load = seen, LoadSource = source, LoadSeenAt = now };
            }

            return phone;
        }

        return phone;
    }
}
