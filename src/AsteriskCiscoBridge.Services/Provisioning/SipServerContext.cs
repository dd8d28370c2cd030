using System.Collections.Concurrent;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Model;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Provisioning;

/// <summary>
/// Where each endpoint's phone registers: the admin's <c>Site:AsteriskHost</c>/<c>Site:AsteriskPort</c>, the AMI
/// host and the endpoint's transport as Asterisk reports it, decided by <see cref="SipServerResolver"/>. Says
/// which source it used: the site default once at start, then each transport's decision when it is first made
/// or changes.
/// </summary>
internal sealed class SipServerContext
{
    private readonly SipServerOverrides _site;
    private readonly string? _amiHost;
    private readonly ILogger? _logger;
    private readonly ConcurrentDictionary<(string Transport, PjsipTransportChoice Choice), SipServer> _announced = new();

    public SipServerContext(SipServerOverrides site, string? amiHost, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        _site = site;
        _amiHost = amiHost;
        _logger = logger;
        Default = SipServerResolver.Resolve(site, null, amiHost);
        if (logger is not null)
        {
            Log.SipServerDefault(logger, Default.ToString());
        }
    }

    /// <summary>No site setting, no AMI host: the endpoint's transport alone decides (for callers given no context).</summary>
    public static SipServerContext Unconfigured { get; } = new(SipServerOverrides.None, null);

    /// <summary>The server of the site files and of a line whose endpoint's transport is unknown.</summary>
    public SipServer Default { get; }

    /// <summary>The server a line made from <paramref name="endpoint"/> registers to.</summary>
    public SipServer For(PjsipEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var server = SipServerResolver.Resolve(_site, Facts(endpoint), _amiHost);
        var key = (endpoint.SipTransport?.Name ?? string.Empty, endpoint.TransportChoice);
        if (_logger is not null && (!_announced.TryGetValue(key, out var before) || before != server))
        {
            _announced[key] = server;
            Log.TransportDecided(_logger, key.Item1.Length == 0 ? "(none known)" : key.Item1, server.ToString());
        }

        return server;
    }

    /// <summary>An endpoint's transport in Provisioning's terms, or null when none is known.</summary>
    public static SipTransportFacts? Facts(PjsipEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.SipTransport is { } t
            ? new SipTransportFacts(t.Name, t.Protocol, t.BindHost, t.BindPort, t.ExternalSignalingAddress, t.ExternalSignalingPort, endpoint.TransportChoice == PjsipTransportChoice.FirstOfProtocol)
            : null;
    }
}
