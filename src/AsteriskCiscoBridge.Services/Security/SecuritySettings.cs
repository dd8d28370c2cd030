using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Services.Security;

/// <summary>The <c>Security</c> section beside the scan guard's settings (<see cref="EnumerationGuardOptions"/>).</summary>
internal sealed class SecurityOptions
{
    /// <summary><c>off</c> (default), <c>alert</c> or <c>deny</c>: what a request for a bound phone's files from another address gets.</summary>
    // The key keeps its first name (Security:AddressPinning); the type is KnownAddresses.
    public AddressMismatchMode AddressPinning { get; set; }

    /// <summary>The token bucket per source address over TFTP and HTTP.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();
}

/// <summary>Reads the address-check (<c>AddressPinning</c>) and rate-limit parts of the <c>Security</c> section (the scan guard reads its own).</summary>
internal static class SecuritySettings
{
    public static bool TryRead(IConfiguration configuration, out AddressMismatchMode mismatch, out RateLimitOptions rateLimit, out string error)
    {
        error = string.Empty;
        mismatch = AddressMismatchMode.Off;
        rateLimit = (configuration.GetSection("Security").Get<SecurityOptions>() ?? new SecurityOptions()).RateLimit;
        var text = configuration["Security:AddressPinning"];
        if (!string.IsNullOrEmpty(text) && !(Enum.TryParse(text, ignoreCase: true, out mismatch) && Enum.IsDefined(mismatch) && !int.TryParse(text, out _)))
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
