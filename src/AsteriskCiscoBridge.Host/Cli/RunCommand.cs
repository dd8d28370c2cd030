using System.CommandLine;
using AsteriskCiscoBridge.Dashboard;
using AsteriskCiscoBridge.Host.Composition;
using AsteriskCiscoBridge.Services.Composition;
using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Host.Diagnostics;
using AsteriskCiscoBridge.Host.Telemetry;
using AsteriskCiscoBridge.Services.Configuration;
using AsteriskCiscoBridge.Services.Diagnostics;
using AsteriskCiscoBridge.Services.Http;
using AsteriskCiscoBridge.Services.Phonebook;
using AsteriskCiscoBridge.Services.Security;
using AsteriskCiscoBridge.Services.Telemetry;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Tftp.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary><c>acb run [--config FILE]</c>: the service: AMI endpoint sync, rendering into the store, TFTP and HTTP over the file tree, resync.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = $"JSON configuration file (default {AcbConfiguration.DefaultFile} when present)." };
        var tftpListen = new Option<string[]>("--tftp-listen") { Description = "TFTP ADDR:PORT; repeat for several (overrides Tftp:Listen)." };
        var httpListen = new Option<string[]>("--http-listen") { Description = "HTTP ADDR:PORT; repeat for several (overrides Http:Listen)." };
        var run = new Command("run", "Run the service: sync endpoints from Asterisk, render and store phone files, serve them and the firmware over TFTP and HTTP (6970).") { config, tftpListen, httpListen };
        run.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>();
            AddList(overrides, "Tftp:Listen", parse.GetValue(tftpListen));
            AddList(overrides, "Http:Listen", parse.GetValue(httpListen));
            return await RunAsync(parse.GetValue(config), overrides, parse.InvocationConfiguration.Error, cancellationToken);
        });
        return run;
    }

    /// <summary>
    /// Builds, checks and runs the service until <paramref name="cancellationToken"/>. A bad setting
    /// exits 2, a failure to start (a busy or privileged port, a database that cannot be opened) 1,
    /// each with one line on <paramref name="error"/> naming the key, address or path and the fix.
    /// </summary>
    /// <remarks>
    /// Once running, a loop of the service that dies (the TFTP event loop, a background service) stops it
    /// with exit code 1 and a line naming the loop, so that systemd restarts it (<c>Restart=on-failure</c>).
    /// <paramref name="configure"/> lets tests add or replace services (a failing file source, say).
    /// </remarks>
    internal static async Task<int> RunAsync(
        string? configFile, IReadOnlyDictionary<string, string?> overrides, TextWriter error, CancellationToken cancellationToken, Action<IServiceCollection>? configure = null)
    {
        WebApplication app;
        try
        {
            app = Build([], configFile, overrides, configure);
        }
        catch (StartupException e)
        {
            await error.WriteLineAsync($"acb run: {e.Message}");
            return 1;
        }
        catch (OptionsValidationException e)
        {
            return await BadOptionsAsync(e, error);
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or IOException or FormatException)
        {
            foreach (var line in e.Message.Split('\n'))
            {
                await error.WriteLineAsync($"acb run: {line}");
            }

            return 2;
        }

        await using (app)
        {
            var listeners = app.Services.GetRequiredService<ServiceListeners>();
            var database = app.Services.GetRequiredService<SqliteConnectionFactory>();
            try
            {
                // Before the host starts, so the usual failures are one line and not the host's
                // "failed to start" trace; whatever still fails in the host is worded the same way.
                ListenerProbe.Probe(listeners);
                await OpenStoreAsync(database, cancellationToken);
                await app.StartAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception e) when (StartupFailure.Describe(e, listeners, database.DatabasePath) is { } line)
            {
                await error.WriteLineAsync($"acb run: {line}");
                return 1;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"acb run: {e.Message}");
                return 1;
            }

            await app.WaitForShutdownAsync(cancellationToken);
            if (DeadLoops.Describe(app.Services) is [_, ..] dead)
            {
                var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AsteriskCiscoBridge.Host.Cli.RunCommand");
                foreach (var line in dead)
                {
                    Log.ServiceDied(logger, line);
                    await error.WriteLineAsync($"acb run: {line}; exiting with code 1 so that the service is restarted");
                }

                return 1;
            }

            return 0;
        }
    }

    /// <summary>
    /// The options' own rules, checked when a service first reads them and again at start (exit code 2, as any bad
    /// setting); <see cref="ConfigurationCheck"/> has worded the same rules before the build, so this is reached
    /// only by a rule added to the services after it (a test's, say).
    /// </summary>
    private static async Task<int> BadOptionsAsync(OptionsValidationException e, TextWriter error)
    {
        foreach (var failure in e.Failures)
        {
            await error.WriteLineAsync($"acb run: {failure}");
        }

        return 2;
    }

    /// <summary>Creates or migrates the store; any failure to do so is about <c>Storage:Database</c>.</summary>
    private static async Task OpenStoreAsync(SqliteConnectionFactory database, CancellationToken cancellationToken)
    {
        try
        {
            await database.MigrateAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
        {
            throw new StartupException(StartupFailure.Store(database.DatabasePath, e), e);
        }
    }

    /// <summary>Builds the service from configuration; tests call it with port 0 everywhere.</summary>
    /// <remarks>
    /// <paramref name="registerFirst"/> runs before anything is registered, so that what it adds wins over the
    /// defaults added with <c>TryAdd</c> (a fake <see cref="TimeProvider"/>); <paramref name="configure"/> runs
    /// last, to add or replace services.
    /// </remarks>
    internal static WebApplication Build(
        string[] args, string? configFile, IReadOnlyDictionary<string, string?> overrides, Action<IServiceCollection>? configure = null, Action<IServiceCollection>? registerFirst = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddAcbSources(configFile, overrides);
        var configuration = builder.Configuration;
        var startup = StartupSettings.Read(configuration);
        registerFirst?.Invoke(builder.Services);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddListeners(startup);
        builder.Services
            .AddBridgeOptions(configuration)
            .AddBridgeStorage(startup.Services.SiteConfiguration.Storage)
            .AddFileTree(startup.Services)
            .AddFirmware(startup.Services)
            .AddProvisioning(startup.Services)
            .AddResync()
            .AddServiceLoops(configuration);
        builder.AddDashboard(configuration);
        builder.Services.AddTelemetry(configuration);
        // Last of the hosted services: READY=1 once every other one has started.
        builder.Services.AddSystemdIntegration();
        // A background loop that dies stops the service (RunAsync then exits non-zero): never a process that lives on serving nothing.
        builder.Services.Configure<HostOptions>(host => host.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost);
        configure?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseDashboard();
        app.MapFileTree(app.Services.GetRequiredService<ITftpFileSource>(), startup.AllowedNetworks, startup.Services.Tftp.AnswerDeniedClients);
        if (app.Services.GetRequiredService<DirectoryOptions>() is { Enabled: true } directory)
        {
            app.MapDirectory(
                app.Services.GetRequiredService<DirectorySource>(), directory, startup.AllowedNetworks, app.Services.GetRequiredService<RequestRateLimiter>(),
                app.Services.GetRequiredService<KnownAddresses>(), startup.Services.Tftp.AnswerDeniedClients);
        }

        return app;
    }

    private static void AddList(Dictionary<string, string?> overrides, string key, string[]? values)
    {
        for (var i = 0; values is not null && i < values.Length; i++)
        {
            overrides[$"{key}:{i}"] = values[i];
        }
    }
}
