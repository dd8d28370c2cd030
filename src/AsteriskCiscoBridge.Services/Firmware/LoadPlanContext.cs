using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Services.Firmware;

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
