using System.CommandLine;
using System.Net;
using AsteriskCiscoBridge.Host.Configuration;
using AsteriskCiscoBridge.Host.Dashboard;
using AsteriskCiscoBridge.Host.Diagnostics;
using AsteriskCiscoBridge.Host.Files;
using AsteriskCiscoBridge.Host.Firmware;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Host.Asterisk;
using AsteriskCiscoBridge.Host.Http;
using AsteriskCiscoBridge.Host.Provisioning;
using AsteriskCiscoBridge.Host.Resync;
using AsteriskCiscoBridge.Host.Storage;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Host.Security;
using AsteriskCiscoBridge.Tftp.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary><c>acb run [--config FILE]</c>: the service: AMI endpoint sync, rendering into the store, TFTP and HTTP over the file tree (resync joins it).</summary>
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
            WebApplication app;
            try
            {
                app = Build([], parse.GetValue(config), overrides);
            }
            catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or IOException or FormatException)
            {
                await Console.Error.WriteLineAsync($"acb run: {e.Message}");
                return 2;
            }

            try
            {
                await app.RunAsync(cancellationToken);
                return 0;
            }
            catch (IOException e)
            {
                await Console.Error.WriteLineAsync($"acb run: {e.Message}");
                return 1;
            }
            finally
            {
                await app.DisposeAsync();
            }
        });
        return run;
    }

    /// <summary>Builds the service from configuration; tests call it with port 0 everywhere.</summary>
    internal static WebApplication Build(string[] args, string? configFile, IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddAcbSources(configFile, overrides);
        var configuration = builder.Configuration;

        if (!TftpSettings.TryRead(configuration, out var tftpOptions, out var allowed, out var error))
        {
            throw new InvalidOperationException(error);
        }

        var settings = HostSettings.From(configuration);
        if (settings.Firmware.Problems.Length > 0)
        {
            throw new InvalidOperationException(string.Join("; ", settings.Firmware.Problems));
        }

        var site = settings.Site.ToSettings();
        var ami = AmiOptions.Bind(configuration, out var amiProblem);
        var firmware = FirmwareFolder.DirectoryOf(configuration);
        Directory.CreateDirectory(firmware);

        // The virtual tree, first answer wins: generated files from the store, the credential-free
        // answer for unbound phones, then the firmware folder.
        if (!SecuritySettings.TryRead(configuration, out var pinning, out var rateLimit, out var securityError))
        {
            throw new InvalidOperationException(securityError);
        }

        var stored = new InMemoryFileSource(GuardedFileSource.StoreLayer);
        var discovery = new DiscoveryFeed();
        // An unbound phone is offered no load until it is bound and planned (never a load the folder cannot serve).
        var unbound = new UnboundPhoneFileSource(site with { Loads = settings.Firmware.Offered(AsteriskCiscoBridge.Provisioning.Firmware.FirmwareCatalog.Empty) }, discovery, stored);
        var layers = new LayeredFileSource([stored, unbound, new DirectoryFileSource(firmware)]);
        var connections = new SqliteConnectionFactory(settings.Storage);
        var phones = new PhoneStore(connections);
        var config = new ConfigStore(connections);
        var guard = new EnumerationGuard(configuration.GetSection("Security").Get<EnumerationGuardOptions>() ?? new EnumerationGuardOptions());

        var httpListen = configuration.GetSection("Http:Listen").Get<string[]>() ?? ["0.0.0.0:6970"];
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var text in httpListen)
            {
                if (!IPEndPoint.TryParse(text, out var endPoint) || (endPoint.Port == 0 && !text.EndsWith(":0", StringComparison.Ordinal)))
                {
                    throw new InvalidOperationException($"Http:Listen '{text}' is not ADDR:PORT (e.g. 0.0.0.0:6970)");
                }

                kestrel.Listen(endPoint);
            }
        });
        // One line per phone request is ours to log; ASP.NET's own request lines would double them.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(tftpOptions);
        builder.Services.AddSingleton(guard);
        var pins = new AddressPins();
        builder.Services.AddSingleton(pins);
        builder.Services.AddSingleton<ITftpFileSource>(sp => new GuardedFileSource(
            layers, guard, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GuardedFileSource>>(), new RequestRateLimiter(rateLimit), pins, pinning));
        builder.Services.AddSingleton(discovery);
        builder.Services.AddSingleton(new DiscoveryStore(connections));
        builder.Services.AddSingleton(configuration.GetSection("Discovery").Get<DiscoveryOptions>() ?? new DiscoveryOptions());
        builder.Services.AddSingleton<PhoneDiscovery>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PhoneDiscovery>());
        builder.Services.AddSingleton(connections);
        builder.Services.AddSingleton(phones);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(new StoredFileTree(phones, config, stored, unbound));
        var loads = new LoadPlanning(new FirmwareStore(connections), settings.Firmware);
        builder.Services.AddSingleton(new StoredPhoneRenderer(phones, config, site, settings.LoadTemplates(), loads));
        builder.Services.AddSingleton<LoadLearningService>();
        builder.Services.AddSingleton<EndpointProvisioner>();
        builder.Services.AddSingleton(new NotifyLog(connections));
        builder.Services.AddSingleton(new ResyncQueue(connections));
        builder.Services.AddSingleton(configuration.GetSection("Resync").Get<ResyncOptions>() ?? new ResyncOptions());
        builder.Services.AddSingleton<ResyncService>();
        builder.Services.AddSingleton(sp => new EndpointSyncService(
            ami, amiProblem, configuration.GetSection("Ami:Sync").Get<PjsipEndpointSourceOptions>() ?? new PjsipEndpointSourceOptions(),
            sp.GetRequiredService<EndpointProvisioner>(), sp.GetRequiredService<ResyncService>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), ActivatorUtilities.CreateInstance<StoredPhoneRound>(sp)));
        builder.Services.AddHostedService(sp => new FirmwareCatalogService(connections, loads.Store, firmware, settings.Firmware, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FirmwareCatalogService>>()));
        builder.Services.AddHostedService(sp => new StorageMigration(connections, sp.GetRequiredService<StoredPhoneRenderer>(), sp.GetRequiredService<StoredFileTree>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddHostedService(sp => new AddressPinSeeding(new RequestHistory(connections), pins, sp.GetRequiredService<ILogger<AddressPinSeeding>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EndpointSyncService>());
        builder.Services.AddStoreChangeWatcher(configuration, connections);
        builder.Services.AddSingleton<TftpHostedService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TftpHostedService>());
        builder.Services.AddSingleton(new RequestLog(connections));
        builder.Services.AddSingleton<RequestRecorder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RequestRecorder>());
        builder.AddDashboard(configuration);
        JournalLogging.Configure(builder.Logging);
        builder.Services.AddHostedService(sp => new SystemdNotifyService(SystemdNotifier.FromEnvironment(), sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<ILogger<SystemdNotifyService>>()));

        var app = builder.Build();
        app.UseDashboard();
        app.MapFileTree(app.Services.GetRequiredService<ITftpFileSource>(), allowed);
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
