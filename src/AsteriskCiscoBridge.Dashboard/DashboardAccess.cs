using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AsteriskCiscoBridge.Dashboard;

/// <summary>
/// Who may use the dashboard: on loopback, only requests whose <c>Host</c> names loopback (a DNS
/// rebinding page cannot read or post); the page and its assets are public; reading the API and
/// /metrics needs the token when listening beyond loopback; every POST needs the token in the
/// <c>X-Acb-Token</c> header, which a cross-site form cannot set (no cookie is ever used).
/// Tokens are compared in constant time.
/// </summary>
internal static class DashboardAccess
{
    public const string TokenHeader = "X-Acb-Token";

    public enum Verdict
    {
        Allowed = 0,
        WrongHost = 1,
        NeedsToken = 2,
    }

    public static Verdict Check(HttpRequest request, DashboardSettings settings, bool isAsset)
    {
        if (settings.Loopback && !IsLoopbackHost(request.Host.Host))
        {
            return Verdict.WrongHost;
        }

        var needsToken = HttpMethods.IsPost(request.Method) || (!isAsset && !settings.Loopback);
        return !needsToken || Matches(Presented(request), settings.Token) ? Verdict.Allowed : Verdict.NeedsToken;
    }

    internal static bool IsLoopbackHost(string host) =>
        host is "127.0.0.1" or "localhost" or "[::1]" or "::1";

    internal static string? Presented(HttpRequest request)
    {
        if (request.Headers[TokenHeader] is { Count: 1 } header)
        {
            return header[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..].Trim() : null;
    }

    /// <summary>Constant-time comparison of the presented token with the expected one.</summary>
    internal static bool Matches(string? presented, string expected)
    {
        if (presented is null)
        {
            return false;
        }

        // Hash both sides: equal lengths for FixedTimeEquals, and no early exit on a length mismatch.
        var a = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var b = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
