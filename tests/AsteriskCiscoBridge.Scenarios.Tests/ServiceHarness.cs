using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using AsteriskCiscoBridge.Host.Cli;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Time;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Scenarios.Tests;

/// <summary>
/// The whole service (`acb run`) in-process over a fresh SQLite file and firmware folder, on
/// loopback ports chosen by the kernel, talking to the AMI test server (or to nobody).
/// </summary>
internal sealed class ServiceHarness : IAsyncDisposable
{
    private readonly TempDirectory _data = new("acb-service");

    private ServiceHarness(AmiTestServer? asterisk)
    {
        Asterisk = asterisk;
        Database = Path.Combine(_data.Path, "acb.db");
        Connections = new SqliteConnectionFactory(new StorageOptions { Database = Database });
        Phones = new PhoneStore(Connections);
    }

    public AmiTestServer? Asterisk { get; }

    public string Database { get; }

    public SqliteConnectionFactory Connections { get; }

    public PhoneStore Phones { get; }

    /// <summary>The service's firmware folder (Firmware:Directory); files written before start are in the start-up scan.</summary>
    public string FirmwareFolder => Path.Combine(_data.Path, "firmware");

    public WebApplication App { get; private set; } = null!;

    /// <summary>
    /// When set before <see cref="StartAsync"/>, the whole service runs on this clock (registered before the
    /// service's own, which it replaces): its deadlines, retries and stagger pass only when the test advances it.
    /// Reads of Asterisk are then neither debounced nor spaced, so that they need no advance.
    /// </summary>
    public CountingTimeProvider? Clock { get; set; }

    /// <summary>When set before <see cref="StartAsync"/>, receives every log line of the service.</summary>
    public ILoggerProvider? Capture { get; set; }

    public EndpointSyncService Sync => App.Services.GetRequiredService<EndpointSyncService>();

    public ResyncService Resync => App.Services.GetRequiredService<ResyncService>();

    public IPEndPoint Tftp => App.Services.GetRequiredService<TftpHostedService>().Server.LocalEndPoints[0];

    /// <summary>The HTTP listener of the file tree (port 6970 in production): the URL the service listens on that is not the dashboard's.</summary>
    public IPEndPoint Http
    {
        get
        {
            var dashboard = App.Services.GetService<AsteriskCiscoBridge.Dashboard.DashboardSettings>()?.Bound?.Invoke().Port;
            return IPEndPoint.Parse(App.Urls.Select(u => new Uri(u)).First(u => u.Port != dashboard).Authority);
        }
    }

    /// <summary>A store with its schema, before the service starts (to bind phones, say).</summary>
    public static async Task<ServiceHarness> CreateAsync(AmiTestPbx? pbx, CancellationToken cancellationToken)
    {
        var harness = new ServiceHarness(pbx is null ? null : AmiTestServer.Start(pbx));
        await harness.Connections.MigrateAsync(cancellationToken);
        return harness;
    }

    public Task BindAsync(MacAddress mac, PhoneModel model, CancellationToken cancellationToken, params BindingRow[] bindings) =>
        Phones.BindAsync(mac, model, bindings, "test", DateTimeOffset.UtcNow, cancellationToken);

    /// <summary>
    /// Runs store verbs in-process, as a separate <c>acb</c> beside the service would, on the service's SQLite
    /// file (no AMI settings: they read the service's last snapshot). Output and errors together.
    /// </summary>
    public async Task<(int Exit, string Output)> CliAsync(CancellationToken cancellationToken, params string[] args)
    {
        var config = Path.Combine(Path.GetDirectoryName(Database)!, "cli.json");
        // The service's Http:Listen too: the files name the directory on it, and the CLI renders the same bytes.
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { Storage = new { Database }, Http = new { Listen = "127.0.0.1:0" } }), cancellationToken);
        var output = new StringWriter { NewLine = "\n" };
        var root = new RootCommand { BindCommand.Create(), UnbindCommand.Create(), PinCommand.Create(), UnpinCommand.Create(), PhonesCommand.Create(), RenderCommand.Create(), LogCommand.Create(), SyncCommand.Create(), DoctorCommand.Create() };
        var exit = await root.Parse([.. args, "--config", config]).InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, cancellationToken);
        return (exit, output.ToString());
    }

    /// <summary>Starts the service; without an AMI test server it points at a closed port.</summary>
    public async Task StartAsync(CancellationToken cancellationToken, params (string Key, string Value)[] settings)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Tftp:Listen:0"] = "127.0.0.1:0",
            ["Http:Listen:0"] = "127.0.0.1:0",
            ["Dashboard:Listen"] = "127.0.0.1:0",
            ["Storage:Database"] = Database,
            ["Firmware:Directory"] = FirmwareFolder,
            ["Ami:Host"] = "127.0.0.1",
            ["Ami:Port"] = (Asterisk?.Port ?? 1).ToString(CultureInfo.InvariantCulture),
            ["Ami:Username"] = "bridge",
            ["Ami:Secret"] = "bridgepw",
            ["Ami:Sync:Debounce"] = "00:00:00.050",
            // Reads are spaced by the source's own tests; scenarios run on the real clock.
            ["Ami:Sync:MinInterval"] = "00:00:00",
            ["Resync:Interval"] = "00:00:00",
            // A phone registering again from the same contact is seen only by this look (no ContactStatus).
            ["Resync:ProofPollInterval"] = "00:00:00.200",
        };
        if (Clock is not null)
        {
            overrides["Ami:Sync:Debounce"] = "00:00:00";
        }

        foreach (var (key, value) in settings)
        {
            overrides[key] = value;
        }

        var clock = Clock;
        App = RunCommand.Build([], null, overrides, registerFirst: clock is null ? null : services => services.AddSingleton<TimeProvider>(clock));
        if (Capture is not null)
        {
            App.Services.GetRequiredService<ILoggerFactory>().AddProvider(Capture);
        }

        await App.StartAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }

        if (Asterisk is not null)
        {
            await Asterisk.DisposeAsync();
        }

        _data.Dispose();
    }
}
