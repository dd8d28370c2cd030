using System.Net;
using AsteriskCiscoBridge.Dashboard;
using AsteriskCiscoBridge.Host.Diagnostics;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Services.Diagnostics;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Services.Firmware;
using AsteriskCiscoBridge.Services.Http;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Services.Security;
using AsteriskCiscoBridge.Tftp.Server;
using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Host.Configuration;

/// <summary>
/// What <c>acb run</c> reads and checks before it builds the host: the settings that decide what is
/// registered and where it listens. Each bad setting stops here with one line naming the key
/// (<see cref="InvalidOperationException"/>, exit code 2), or, for a folder that cannot be made, a
/// <see cref="StartupException"/> (exit code 1). The options the services read while running are bound
/// per section and validated again at start (<see cref="OptionsRegistration"/>).
/// </summary>
internal sealed record StartupSettings(
    ServiceSettings Services,
    IReadOnlyList<IPNetwork> AllowedNetworks,
    IReadOnlyList<IPEndPoint> HttpListen,
    DashboardSettings? Dashboard)
{
    /// <summary>The listeners the service opens, in the order the start-up probe checks them.</summary>
    public ServiceListeners Listeners { get; } = new([
        .. Services.Tftp.Listen.Select(ServiceListener.Tftp),
        .. HttpListen.Select(ServiceListener.Http),
        .. Dashboard is null ? [] : new[] { ServiceListener.Dashboard(Dashboard.Listen) }]);

    /// <summary>Reads and checks, in a fixed order so that the first problem reported is always the same one.</summary>
    public static StartupSettings Read(IConfiguration configuration)
    {
        if (ConfigurationCheck.Problems(configuration) is { Count: > 0 } problems)
        {
            throw new InvalidOperationException(string.Join('\n', problems));
        }

        if (!TftpSettings.TryRead(configuration, out var tftp, out var allowed, out var error))
        {
            throw new InvalidOperationException(error);
        }

        var settings = SiteConfiguration.From(configuration);
        if (settings.Firmware.Problems.Length > 0)
        {
            throw new InvalidOperationException(string.Join("; ", settings.Firmware.Problems));
        }

        var resync = configuration.GetSection("Resync").Get<ResyncOptions>() ?? new ResyncOptions();
        if (AsteriskCiscoBridge.Provisioning.Resync.ServiceControlStamps.Problems(resync.VersionStamps) is { Length: > 0 } stampProblems)
        {
            throw new InvalidOperationException(string.Join('\n', stampProblems));
        }

        var site = settings.Site.ToSettings();
        var ami = AmiOptions.Bind(configuration, out var amiProblem);
        var firmware = AsteriskCiscoBridge.Firmware.FirmwareFolder.DirectoryOf(configuration["Firmware:Directory"]);
        try
        {
            Directory.CreateDirectory(firmware);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(StartupFailure.Folder("firmware folder", firmware, "Firmware:Directory", e), e);
        }

        if (!SecuritySettings.TryRead(configuration, out var pinning, out var rateLimit, out var securityError))
        {
            throw new InvalidOperationException(securityError);
        }

        if (!ListenAddresses.TryRead(configuration, "Http:Listen", [HttpOptions.DefaultListen], "0.0.0.0:6970", out var httpListen, out var httpError) || httpListen.Count == 0)
        {
            throw new InvalidOperationException(httpListen.Count == 0 && httpError.Length == 0 ? "Http:Listen is empty: give ADDR:PORT (e.g. 0.0.0.0:6970), or leave it out for 0.0.0.0:6970" : httpError);
        }

        var dashboard = DashboardOptions.Read(configuration);
        var templates = settings.LoadTemplates();
        return new StartupSettings(
            new ServiceSettings(tftp, settings, site, ami, amiProblem, firmware, pinning, rateLimit, templates, SyncOptions.Read(configuration)),
            allowed, httpListen, dashboard);
    }
}
