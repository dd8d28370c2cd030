using System.CommandLine;
using System.Net;
using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Host.Dashboard;
using AsteriskCiscoBridge.Host.Diagnostics;
using AsteriskCiscoBridge.Host.Phonebook;
using AsteriskCiscoBridge.Host.Files;
using AsteriskCiscoBridge.Firmware;
using AsteriskCiscoBridge.Host.Firmware;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Host.Asterisk;
using AsteriskCiscoBridge.Host.Http;
using AsteriskCiscoBridge.Host.Provisioning;
using AsteriskCiscoBridge.Host.Resync;
using AsteriskCiscoBridge.Host.Storage;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Host.Security;
using AsteriskCiscoBridge.Host.Telemetry;
using AsteriskCiscoBridge.Tftp.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary><c>acb run [--config FILE]</c>: the service: AMI endpoint sync, rendering into the store, TFTP and HTTP over the file tree (resync joins it).</summary>
internal static partial class RunCommand
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
                    ServiceDied(logger, line);
                    await error.WriteLineAsync($"acb run: {line}; exiting with code 1 so that the service is restarted");
                }

                return 1;
            }

            return 0;
        }
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
    internal static WebApplication Build(string[] args, string? configFile, IReadOnlyDictionary<string, string?> overrides, Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddAcbSources(configFile, overrides);
        var configuration = builder.Configuration;
        if (ConfigurationCheck.Problems(configuration) is { Count: > 0 } problems)
        {
            throw new InvalidOperationException(string.Join('\n', problems));
        }

        if (!TftpSettings.TryRead(configuration, out var tftpOptions, out var allowed, out var error))
        {
            throw new InvalidOperationException(error);
        }

        var settings = HostSettings.From(configuration);
        if (settings.Firmware.Problems.Length > 0)
        {
            throw new InvalidOperationException(string.Join("; ", settings.Firmware.Problems));
        }

        var resyncOptions = configuration.GetSection("Resync").Get<ResyncOptions>() ?? new ResyncOptions();
        if (AsteriskCiscoBridge.Provisioning.Resync.ServiceControlStamps.Problems(resyncOptions.VersionStamps) is { Length: > 0 } stampProblems)
        {
            throw new InvalidOperationException(string.Join('\n', stampProblems));
        }

        var site = settings.Site.ToSettings();
        var ami = AmiOptions.Bind(configuration, out var amiProblem);
        var firmware = FirmwareFolder.DirectoryOf(configuration["Firmware:Directory"]);
        try
        {
            Directory.CreateDirectory(firmware);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(StartupFailure.Folder("firmware folder", firmware, "Firmware:Directory", e), e);
        }

        // The virtual tree, first answer wins: generated files from the store, the credential-free
        // answer for unbound phones, the firmware folder, then "not found" at once for trust lists.
        if (!SecuritySettings.TryRead(configuration, out var pinning, out var rateLimit, out var securityError))
        {
            throw new InvalidOperationException(securityError);
        }

        var stored = new InMemoryFileSource(GuardedFileSource.StoreLayer);
        var discovery = new DiscoveryFeed();
        // An unbound phone is offered no load until it is bound and planned (never a load the folder cannot serve).
        var unbound = new UnboundPhoneFileSource(site with { Loads = settings.Firmware.Offered(AsteriskCiscoBridge.Provisioning.Firmware.FirmwareCatalog.Empty) }, discovery, stored);
        // Generated files may name "the address this request reached" for Asterisk (Site:AsteriskHost unset, AMI on loopback).
        var here = LocalAddressFileSource.DefaultRouteAddress();
        var layers = new LayeredFileSource([new LocalAddressFileSource(stored, here), new LocalAddressFileSource(unbound, here), new DirectoryFileSource(firmware), new TrustFileSource()]);
        var connections = new SqliteConnectionFactory(settings.Storage);
        var phones = new PhoneStore(connections);
        var config = new ConfigStore(connections);

        if (!ListenAddresses.TryRead(configuration, "Http:Listen", [HttpOptions.DefaultListen], "0.0.0.0:6970", out var httpListen, out var httpError) || httpListen.Count == 0)
        {
            throw new InvalidOperationException(httpListen.Count == 0 && httpError.Length == 0 ? "Http:Listen is empty: give ADDR:PORT (e.g. 0.0.0.0:6970), or leave it out for 0.0.0.0:6970" : httpError);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var endPoint in httpListen)
            {
                kestrel.Listen(endPoint);
            }
        });
        var dashboardSettings = DashboardOptions.Read(configuration);
        var listeners = new ServiceListeners([
            .. tftpOptions.Listen.Select(ServiceListener.Tftp),
            .. httpListen.Select(ServiceListener.Http),
            .. dashboardSettings is null ? [] : new[] { ServiceListener.Dashboard(dashboardSettings.Listen) }]);
        builder.Services.AddSingleton(listeners);
        builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = endPoint => ListenerProbe.Bind(listeners, endPoint));
        // One line per phone request is ours to log; ASP.NET's own request lines would double them.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(tftpOptions);
        var pins = new KnownAddresses();
        // Bound phones, and the addresses they live at, are told apart from a scan.
        var guard = new EnumerationGuard(configuration.GetSection("Security").Get<EnumerationGuardOptions>() ?? new EnumerationGuardOptions(), unbound.IsBound, pins.IsKnownAddress);
        builder.Services.AddSingleton(guard);
        builder.Services.AddSingleton(pins);
        // One rate limit for the files and the directory on the same listeners.
        var limiter = new RequestRateLimiter(rateLimit);
        builder.Services.AddSingleton<ITftpFileSource>(sp => new GuardedFileSource(
            layers, guard, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GuardedFileSource>>(), limiter, pins, pinning));
        builder.Services.AddSingleton(discovery);
        builder.Services.AddSingleton(new DiscoveryStore(connections));
        builder.Services.AddSingleton(configuration.GetSection("Discovery").Get<DiscoveryOptions>() ?? new DiscoveryOptions());
        builder.Services.AddSingleton<PhoneDiscovery>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PhoneDiscovery>());
        builder.Services.AddSingleton(connections);
        builder.Services.AddSingleton(phones);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(new StoredFileTree(phones, config, stored, unbound));
        var loads = new LoadPlanSource(new FirmwareStore(connections), settings.Firmware);
        builder.Services.AddSingleton(new StoredPhoneRenderer(phones, config, site, settings.LoadTemplates(), loads));
        builder.Services.AddSingleton<LoadLearningService>();
        builder.Services.AddSingleton<FamilyLearning>();
        builder.Services.AddSingleton(new SnapshotStore(connections));
        builder.Services.AddSingleton<DirectorySource>();
        builder.Services.AddSingleton(sp => settings.SipServers(sp.GetRequiredService<ILogger<SipServerContext>>()));
        builder.Services.AddSingleton<EndpointProvisioner>();
        builder.Services.AddSingleton(SyncOptions.Read(configuration));
        builder.Services.AddSingleton(new RemovalHoldStore(connections));
        builder.Services.AddSingleton<RemovalHoldGate>();
        builder.Services.AddSingleton(new NotifyLog(connections));
        builder.Services.AddSingleton(new ResyncQueue(connections));
        builder.Services.AddSingleton(resyncOptions);
        builder.Services.AddSingleton<ResyncService>();
        builder.Services.AddSingleton(sp => new EndpointSyncService(
            ami, amiProblem, configuration.GetSection("Ami:Sync").Get<PjsipEndpointSourceOptions>() ?? new PjsipEndpointSourceOptions(),
            sp.GetRequiredService<EndpointProvisioner>(), sp.GetRequiredService<ResyncService>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), ActivatorUtilities.CreateInstance<StoredPhoneRound>(sp),
            sp.GetRequiredService<RemovalHoldGate>()));
        builder.Services.AddHostedService(sp => new FirmwareCatalogService(connections, loads.Store, firmware, settings.Firmware, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FirmwareCatalogService>>()));
        builder.Services.AddSingleton(sp => new StorageMigration(connections, sp.GetRequiredService<StoredPhoneRenderer>(), sp.GetRequiredService<StoredFileTree>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StorageMigration>());
        builder.Services.AddHostedService(sp => new KnownAddressSeeding(new RequestHistory(connections), pins, sp.GetRequiredService<ILogger<KnownAddressSeeding>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EndpointSyncService>());
        builder.Services.AddStoreChangeWatcher(configuration, connections, sp => () => sp.GetRequiredService<StorageMigration>().PublishedAfterAuditId);
        builder.Services.AddSingleton<TftpHostedService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TftpHostedService>());
        builder.Services.AddSingleton(new RequestLog(connections));
        builder.Services.AddSingleton<StoreHealth>();
        builder.Services.AddSingleton<RequestRecorder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RequestRecorder>());
        builder.Services.AddSingleton(sp => new RequestLogPruning(
            sp.GetRequiredService<RequestLog>(), settings.Storage, sp.GetRequiredService<StoreHealth>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RequestLogPruning>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RequestLogPruning>());
        builder.AddDashboard(configuration);
        builder.Services.AddTelemetry(configuration);
        builder.Services.AddSystemdIntegration();
        // A background loop that dies stops the service (RunAsync then exits non-zero): never a process that lives on serving nothing.
        builder.Services.Configure<HostOptions>(host => host.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost);
        configure?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseDashboard();
        app.MapFileTree(app.Services.GetRequiredService<ITftpFileSource>(), allowed, tftpOptions.AnswerDeniedClients);
        if (DirectoryOptions.Read(configuration) is { Enabled: true } directory)
        {
            app.MapDirectory(app.Services.GetRequiredService<DirectorySource>(), directory, allowed, limiter, pins, tftpOptions.AnswerDeniedClients);
        }
        return app;
    }

    [LoggerMessage(6141, LogLevel.Critical, "{What}: the service stops with exit code 1 so that systemd restarts it")]
    private static partial void ServiceDied(ILogger logger, string what);

    private static void AddList(Dictionary<string, string?> overrides, string key, string[]? values)
    {
        for (var i = 0; values is not null && i < values.Length; i++)
        {
            overrides[$"{key}:{i}"] = values[i];
        }
    }
}
