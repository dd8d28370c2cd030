using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Provisioning;

/// <summary>What rendering a stored phone gave: files, or why there are none.</summary>
internal sealed record StoredPhoneRender(PhoneRenderResult? Result, SiteFileSet Site, string? Error)
{
    public static StoredPhoneRender Fail(SiteFileSet site, string error) => new(null, site, error);
}

/// <summary>
/// Renders a phone from what the store holds: its model and its bindings' line data. Until the
/// AMI endpoint source is wired in, the line data is what was recorded with the binding
/// (<c>acb bind --line-data</c>); a binding without it is an error, never a placeholder.
/// </summary>
internal sealed class StoredPhoneRenderer(PhoneStore phones, ConfigStore config, SiteSettings site, TemplateSet templates)
{
    public async Task<StoredPhoneRender> RenderAsync(MacAddress mac, CancellationToken cancellationToken)
    {
        var siteFiles = SiteFileSet.Render(site, templates);
        var phone = await phones.GetAsync(mac, cancellationToken);
        if (phone is null)
        {
            return StoredPhoneRender.Fail(siteFiles, $"{mac} is not bound (acb bind {mac} ENDPOINT…)");
        }

        var model = PhoneModels.Find(phone.Model);
        if (model is null)
        {
            return StoredPhoneRender.Fail(siteFiles, $"{mac}: stored model '{phone.Model}' is not supported");
        }

        var bindings = await phones.BindingsAsync(mac, cancellationToken);
        var missing = bindings.Where(b => b.ToLine() is null).Select(b => b.Endpoint).ToArray();
        if (missing.Length > 0)
        {
            return StoredPhoneRender.Fail(siteFiles, $"{mac}: no line data for endpoint{(missing.Length == 1 ? "" : "s")} {string.Join(", ", missing)} (bind with --line-data until the AMI endpoint source supplies it)");
        }

        var overrides = PhoneSettings.ToOverrides(await phones.SettingsAsync(mac, cancellationToken), out var settingsError);
        if (overrides is null)
        {
            return StoredPhoneRender.Fail(siteFiles, $"{mac}: {settingsError}");
        }

        var result = PhoneFileSet.Render(site, siteFiles, new Phone(mac, model, bindings.Select(b => b.ToLine()!).ToArray(), phone.Load, overrides), templates);
        return result.Succeeded
            ? new StoredPhoneRender(result, siteFiles, null)
            : StoredPhoneRender.Fail(siteFiles, $"{mac}: {string.Join("; ", result.Errors)}");
    }

    /// <summary>Renders and stores the site-wide files (OS79XX.TXT, SIPDefault.cnf, XMLDefault.cnf.xml…), so they are served before any phone is bound.</summary>
    public Task SaveSiteFilesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        config.SaveSiteFilesAsync(RenderSite().Files, now, cancellationToken);

    /// <summary>The site-wide files as the current settings and templates give them.</summary>
    public SiteFileSet RenderSite() => SiteFileSet.Render(site, templates);

    /// <summary>Renders a stored phone with lines supplied by the caller (the live endpoints), not the binding's recorded data.</summary>
    public async Task<StoredPhoneRender> RenderLinesAsync(MacAddress mac, IReadOnlyList<LineInput> lines, CancellationToken cancellationToken, SiteFileSet? siteFiles = null)
    {
        // A round over many phones renders the site files once and passes them in.
        siteFiles ??= SiteFileSet.Render(site, templates);
        var phone = await phones.GetAsync(mac, cancellationToken);
        var model = phone is null ? null : PhoneModels.Find(phone.Model);
        if (phone is null || model is null)
        {
            return StoredPhoneRender.Fail(siteFiles, $"{mac}: not bound, or its model is not supported");
        }

        var overrides = PhoneSettings.ToOverrides(await phones.SettingsAsync(mac, cancellationToken), out var settingsError);
        if (overrides is null)
        {
            return StoredPhoneRender.Fail(siteFiles, $"{mac}: {settingsError}");
        }

        var result = PhoneFileSet.Render(site, siteFiles, new Phone(mac, model, lines, phone.Load, overrides), templates);
        return result.Succeeded
            ? new StoredPhoneRender(result, siteFiles, null)
            : StoredPhoneRender.Fail(siteFiles, $"{mac}: {string.Join("; ", result.Errors)}");
    }

    /// <summary>Stores the site files and the phone's own files; the counter moves only if they changed.</summary>
    public async Task<SaveResult> SaveAsync(MacAddress mac, StoredPhoneRender render, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(render.Result);
        await config.SaveSiteFilesAsync(render.Site.Files, now, cancellationToken);
        var own = render.Result.Files.Where(f => f.Scope == FileScope.Phone).ToArray();
        return await phones.SaveRenderedAsync(new PhoneRendering(mac, own, render.Result.SyncValue, render.Result.VersionStamp), now, cancellationToken);
    }
}
