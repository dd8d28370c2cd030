using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Services.Firmware;

/// <summary>
/// Where the load plans get the firmware catalog: the store (kept in step with the firmware folder by
/// <c>acb firmware import</c> and the start-up scan), read again for every provisioning round, plus the
/// configured defaults and staircase rules.
/// </summary>
internal sealed class LoadPlanSource(FirmwareStore store, SiteLoadDefaults defaults, TimeProvider? time = null)
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
