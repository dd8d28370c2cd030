using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Firmware;

/// <summary>The stored catalog and the site's defaults and rules at one moment: what every plan of a round is made from.</summary>
internal sealed record LoadPlanContext(FirmwareCatalog Catalog, SiteLoadDefaults Defaults)
{
    public static LoadPlanContext Empty(SiteLoadDefaults defaults) => new(FirmwareCatalog.Empty, defaults);

    /// <summary>The loads the site files may name: configured defaults the catalog holds complete.</summary>
    public SiteLoads Offered => Defaults.Offered(Catalog);

    /// <summary>The plan for one phone: its running load, its pin, the site default for its model.</summary>
    public LoadPlan Plan(PhoneRow phone, PhoneModel model) =>
        LoadPlanner.Plan(new LoadPlanRequest(model.Name, LoadProtocol.Unknown, phone.Load, Defaults.For(model), phone.PinnedLoad), Catalog, Defaults.Rules);
}

/// <summary>
/// Where the load plans get the firmware catalog: the store (kept in step with the firmware folder by
/// <c>acb firmware import</c> and the start-up scan), read again for every provisioning round, plus the
/// configured defaults and staircase rules.
/// </summary>
internal sealed class LoadPlanning(FirmwareStore store, SiteLoadDefaults defaults, TimeProvider? time = null)
{
    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    private LoadPlanContext _current = LoadPlanContext.Empty(defaults);

    public FirmwareStore Store => store;

    public SiteLoadDefaults Defaults => defaults;

    /// <summary>The context last read from the store.</summary>
    public LoadPlanContext Current => Volatile.Read(ref _current);

    /// <summary>Reads the catalog from the store again.</summary>
    public async Task<LoadPlanContext> RefreshAsync(CancellationToken cancellationToken)
    {
        var context = new LoadPlanContext(await store.CatalogAsync(cancellationToken), defaults);
        Volatile.Write(ref _current, context);
        return context;
    }
}
