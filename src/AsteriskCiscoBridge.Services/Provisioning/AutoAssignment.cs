using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Services.Provisioning;

/// <summary>
/// Which endpoint a newly discovered phone gets when <c>Discovery:AutoAssign</c> is on: endpoints
/// marked <c>set_var=ACB_AUTOASSIGN=yes</c>, in order of name, one phone each, skipping those
/// already bound and those that cannot be provisioned. Pure.
/// </summary>
internal static class AutoAssignment
{
    public const string MarkVariable = "ACB_AUTOASSIGN";

    /// <summary>Optional <c>set_var=ACB_MODEL=7961</c> on a marked endpoint: the model to bind with when the phone's requests do not tell.</summary>
    public const string ModelVariable = "ACB_MODEL";

    public static PjsipEndpoint? Choose(PjsipSnapshot snapshot, IReadOnlySet<string> boundEndpoints) =>
        snapshot.Endpoints
            .Where(e => IsMarked(e) && e.IsProvisionable && e.Auth?.Password is not null && !boundEndpoints.Contains(e.Name))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>The model to bind with: the endpoint's <c>ACB_MODEL</c>, else the guess's pick; null when neither names a supported model.</summary>
    public static PhoneModel? ModelFor(PjsipEndpoint endpoint, ModelGuess? guess)
    {
        var named = endpoint.SetVars.FirstOrDefault(v => v.Key.Equals(ModelVariable, StringComparison.Ordinal)).Value;
        return PhoneModels.Find(named) ?? PhoneModels.Find(guess?.Pick);
    }

    private static bool IsMarked(PjsipEndpoint endpoint) =>
        endpoint.SetVars.Any(v => v.Key.Equals(MarkVariable, StringComparison.Ordinal)
            && v.Value.Trim() is var value
            && (value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1"));
}
