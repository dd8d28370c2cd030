using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Services.Security;
using AsteriskCiscoBridge.Tftp.Server;

namespace AsteriskCiscoBridge.Services.Configuration;

/// <summary>
/// The settings the services are registered with, read and checked once by the host before anything is built
/// (<c>StartupSettings</c> in acb). The options the services read while running are bound per section on their own.
/// </summary>
/// <param name="Tftp">The TFTP server's options (listeners, limits, refused options).</param>
/// <param name="SiteConfiguration">The Storage, Site and Firmware sections.</param>
/// <param name="Site">The site settings every rendered file reads.</param>
/// <param name="Ami">The AMI connection, or null when none is configured (<paramref name="AmiProblem"/> says why).</param>
/// <param name="AmiProblem">Why there is no AMI connection, for the doctor and the log.</param>
/// <param name="FirmwareFolder">The firmware folder, created.</param>
/// <param name="Pinning">What a request from an address other than the phone's known one gets.</param>
/// <param name="RateLimit">The request rate limit of the file listeners.</param>
/// <param name="Templates">The site's template overrides.</param>
/// <param name="Sync">How Asterisk's endpoints are read and held.</param>
internal sealed record ServiceSettings(
    TftpServerOptions Tftp,
    SiteConfiguration SiteConfiguration,
    SiteSettings Site,
    AmiOptions? Ami,
    string? AmiProblem,
    string FirmwareFolder,
    AddressMismatchMode Pinning,
    RateLimitOptions RateLimit,
    TemplateSet Templates,
    SyncOptions Sync);
