using AsteriskCiscoBridge.Services.Diagnostics;
using AsteriskCiscoBridge.Services.Files;
using Microsoft.Extensions.Hosting;

namespace AsteriskCiscoBridge.Host.Diagnostics;

/// <summary>
/// What made <c>acb run</c> stop on its own: a loop of the service (the TFTP event loop, or a
/// <see cref="BackgroundService"/>: endpoint sync, request recorder, store watcher, discovery) that
/// ended by an exception. The host stops when one does (<see cref="BackgroundServiceExceptionBehavior.StopHost"/>,
/// and <see cref="TftpHostedService"/> for its thread); the exit code must then say failure, or
/// systemd (<c>Restart=on-failure</c>) would take the stop for a clean one and leave the service down.
/// </summary>
internal static class DeadLoops
{
    /// <summary>One line per loop that died, naming it and the error; empty when none did.</summary>
    public static IReadOnlyList<string> Describe(IServiceProvider services)
    {
        var dead = new List<string>();
        if (services.GetService<TftpHostedService>()?.Failure is { } tftp)
        {
            dead.Add($"the TFTP server's event loop died: {tftp.Message}");
        }

        foreach (var service in services.GetServices<IHostedService>().OfType<BackgroundService>())
        {
            if (service.ExecuteTask is { IsFaulted: true } task)
            {
                var error = task.Exception!.InnerExceptions is [var only] ? only : task.Exception;
                dead.Add($"{service.GetType().Name} died: {error.Message}");
            }
        }

        return dead;
    }
}
