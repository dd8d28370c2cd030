using AsteriskCiscoBridge.Services.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Console;

namespace AsteriskCiscoBridge.Host.Diagnostics;

/// <summary>
/// <c>Type=notify</c> and journal logging through Microsoft.Extensions.Hosting.Systemd: its
/// <see cref="SystemdLifetime"/> sends <c>READY=1</c> on ApplicationStarted (after every hosted
/// service has started, so after the TFTP, HTTP and dashboard listeners are bound) and
/// <c>STOPPING=1</c> on shutdown, over the <c>NOTIFY_SOCKET</c> its <see cref="SystemdNotifier"/>
/// reads; its systemd console formatter writes <c>&lt;priority&gt;category[event] message</c>.
/// </summary>
/// <remarks>
/// <c>AddSystemd()</c> of the 10.0 package turns all of this on only when it sees systemd as the
/// parent process by reading <c>/proc/PPID/comm</c>, which the unit's <c>ProtectProc=invisible</c>
/// hides from the <c>acb</c> user: it would then never send <c>READY=1</c> and systemd would kill the
/// service at <c>TimeoutStartSec</c> (dotnet/runtime#125368, fixed after 10.0 by keying on
/// <c>NOTIFY_SOCKET</c>). So the same parts are registered here when systemd's own variables say
/// so: <c>NOTIFY_SOCKET</c> for the lifetime, <c>JOURNAL_STREAM</c> for the log format.
/// </remarks>
internal static class SystemdIntegration
{
    public static IServiceCollection AddSystemdIntegration(this IServiceCollection services, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var underSystemd = SystemdHelpers.IsSystemdService();
        if (underSystemd || !string.IsNullOrEmpty(environment("JOURNAL_STREAM")))
        {
            services.Configure<ConsoleLoggerOptions>(options => options.FormatterName = ConsoleFormatterNames.Systemd);
        }

        if (underSystemd || !string.IsNullOrEmpty(environment("NOTIFY_SOCKET")))
        {
            services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }

        return services;
    }
}
