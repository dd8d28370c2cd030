using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Host.Diagnostics;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Services.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host.Composition;

/// <summary>The listeners of <c>acb run</c>: Kestrel on <c>Http:Listen</c>, every socket bound through the start-up probe.</summary>
internal static class ListenerSetup
{
    public static WebApplicationBuilder AddListeners(this WebApplicationBuilder builder, StartupSettings startup)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var endPoint in startup.HttpListen)
            {
                kestrel.Listen(endPoint);
            }
        });
        var listeners = startup.Listeners;
        builder.Services.AddSingleton(listeners);
        builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = endPoint => ListenerProbe.Bind(listeners, endPoint));
        // One line per phone request is ours to log; ASP.NET's own request lines would double them.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return builder;
    }
}
