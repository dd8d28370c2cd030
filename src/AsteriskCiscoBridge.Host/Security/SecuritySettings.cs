using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Host.Security;

/// <summary>Reads the pinning and rate-limit parts of the <c>Security</c> section (the scan guard reads its own).</summary>
internal static class SecuritySettings
{
    public static bool TryRead(IConfiguration configuration, out AddressPinningMode pinning, out RateLimitOptions rateLimit, out string error)
    {
        error = string.Empty;
        pinning = AddressPinningMode.Off;
        rateLimit = configuration.GetSection("Security:RateLimit").Get<RateLimitOptions>() ?? new RateLimitOptions();
        var text = configuration["Security:AddressPinning"];
        if (!string.IsNullOrEmpty(text) && !(Enum.TryParse(text, ignoreCase: true, out pinning) && Enum.IsDefined(pinning) && !int.TryParse(text, out _)))
        {
            error = $"Security:AddressPinning '{text}' is not off, alert or deny";
            return false;
        }

        if (rateLimit.RequestsPerSecond < 0 || rateLimit.Burst < 0 || rateLimit.MaxTrackedAddresses < 1)
        {
            error = "Security:RateLimit: RequestsPerSecond and Burst must be 0 or more (0: no limit), MaxTrackedAddresses 1 or more";
            return false;
        }

        return true;
    }
}
