using System.Net;
using System.Security.Cryptography;
using AsteriskCiscoBridge.Services.Configuration;
using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Dashboard;

/// <summary>The <c>Dashboard</c> configuration section.</summary>
internal sealed class DashboardOptions
{
    public const string DefaultListen = "127.0.0.1:6980";

    /// <summary>
    /// The dashboard's own listener, one <c>ADDR:PORT</c> (<c>Dashboard:Listen</c> or <c>Dashboard:Listen:0</c>);
    /// empty turns it off. Default <c>127.0.0.1:6980</c>: never the phones' 6970.
    /// </summary>
    public List<string>? Listen { get; set; }

    /// <summary>
    /// Required when <see cref="Listen"/> is not a loopback address (the service refuses to start
    /// without it): sent by the browser in the <c>X-Acb-Token</c> header (or
    /// <c>Authorization: Bearer</c> for a Prometheus scraper), at least 16 characters. Never logged.
    /// </summary>
    public string? Token { get; set; }

    public const int MinimumTokenLength = 16;

    /// <summary>The checked settings, or null when the dashboard is off; throws with a one-line reason when they are unusable.</summary>
    public static DashboardSettings? Read(IConfiguration configuration)
    {
        var options = configuration.GetSection("Dashboard").Get<DashboardOptions>() ?? new DashboardOptions();
        if (!ListenAddresses.TryRead(configuration, "Dashboard:Listen", [DefaultListen], "127.0.0.1:6980", out var endPoints, out var error))
        {
            throw new InvalidOperationException(error);
        }

        if (endPoints.Count == 0)
        {
            return null;
        }

        if (endPoints.Count > 1)
        {
            throw new InvalidOperationException($"Dashboard:Listen has {endPoints.Count} addresses: the dashboard has one listener (e.g. 127.0.0.1:6980)");
        }

        var endPoint = endPoints[0];

        var loopback = IPAddress.IsLoopback(endPoint.Address);
        var token = string.IsNullOrEmpty(options.Token) ? null : options.Token;
        if (token is not null && token.Length < MinimumTokenLength)
        {
            throw new InvalidOperationException($"Dashboard:Token is shorter than {MinimumTokenLength} characters (e.g. openssl rand -hex 24)");
        }

        if (!loopback && token is null)
        {
            throw new InvalidOperationException($"Dashboard:Listen {endPoint} is not a loopback address: set Dashboard:Token (ACB_Dashboard__Token), or listen on 127.0.0.1 and use an SSH tunnel");
        }

        // Without a configured token (loopback only), POSTs still need one: a random one, handed
        // to the page the dashboard serves, so another site's form cannot post (no custom header).
        return new DashboardSettings(endPoint, loopback, token ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), token is not null);
    }
}

/// <summary>The dashboard's checked settings: where it listens, and the token actions need.</summary>
internal sealed record DashboardSettings(IPEndPoint Listen, bool Loopback, string Token, bool TokenConfigured)
{
    /// <summary>The endpoint Kestrel bound (the real port when 0 was asked), set when the listener starts.</summary>
    public Func<IPEndPoint>? Bound { get; set; }

    public override string ToString() => $"DashboardSettings {{ Listen = {Listen}, Loopback = {Loopback}, TokenConfigured = {TokenConfigured} }}";
}
