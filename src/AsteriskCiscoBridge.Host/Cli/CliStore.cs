using System.CommandLine;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Host.Cli;

/// <summary>What the store verbs (bind, unbind, phones, render) share: configuration and the open, migrated store.</summary>
internal sealed class CliStore
{
    private CliStore(SiteConfiguration settings, SqliteConnectionFactory factory, AmiOptions? ami, IConfiguration configuration)
    {
        Settings = settings;
        Configuration = configuration;
        Ami = ami;
        Factory = factory;
        Phones = new PhoneStore(factory);
        Config = new ConfigStore(factory);
    }

    public SiteConfiguration Settings { get; }

    /// <summary>The configuration the verb was started with (for settings a verb only shows, such as <c>Sync:RemovalHold</c>).</summary>
    public IConfiguration Configuration { get; }

    /// <summary>The Ami section when it is usable, else null.</summary>
    public AmiOptions? Ami { get; }

    public SqliteConnectionFactory Factory { get; }

    public PhoneStore Phones { get; }

    public ConfigStore Config { get; }

    public static Option<FileInfo?> ConfigOption() => new("--config")
    {
        Description = $"Configuration file (default {Host.Configuration.AcbConfiguration.DefaultFile} when present; ACB_ environment variables override it). " +
            "Storage:Database (ACB_Storage__Database) is the SQLite file, default data/acb.db under the current directory.",
    };

    public static async Task<CliStore> OpenAsync(ParseResult parse, Option<FileInfo?> config, CancellationToken cancellationToken)
    {
        var configuration = Host.Configuration.AcbConfiguration.Build(parse.GetValue(config)?.FullName);
        var settings = SiteConfiguration.From(configuration);
        var factory = new SqliteConnectionFactory(settings.Storage);
        await factory.MigrateAsync(cancellationToken);
        return new CliStore(settings, factory, AmiOptions.Bind(configuration, out _), configuration);
    }

    /// <summary>
    /// The inventory the service works from. With <paramref name="askAsterisk"/> and AMI configured,
    /// Asterisk's endpoints are read now; otherwise (or when Asterisk does not answer) the last
    /// snapshot the service stored is used. <c>Source</c> says which, for a line on stderr (null when there was nothing to ask: no AMI, no snapshot).
    /// </summary>
    public async Task<(PhoneInventory Inventory, string? Source)> InventoryAsync(bool askAsterisk, CancellationToken cancellationToken)
    {
        string? failure = null;
        if (askAsterisk && Ami is not null)
        {
            var read = await AmiSnapshotRead.ReadAsync(Ami, TimeSpan.FromSeconds(5), cancellationToken);
            if (read.Snapshot is { } snapshot)
            {
                return (await Phones.InventoryAsync(InventoryReading.EndpointsOf(snapshot, Settings.SipServers()), cancellationToken), $"line data read from Asterisk at {Ami.Host}:{Ami.Port}");
            }

            failure = read.Failure;
        }

        var stored = await new SnapshotStore(Factory).LoadAsync(cancellationToken);
        var inventory = await Phones.InventoryAsync(stored?.Endpoints, cancellationToken);
        var source = stored is null
            ? Ami is null ? null : "no snapshot of Asterisk yet (acb run has not read it): line data recorded with the bindings"
            : $"line data from the service's last snapshot of Asterisk ({stored.TakenAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z)";
        return (inventory, failure is null ? source : $"Asterisk did not answer ({failure}); {source ?? "line data recorded with the bindings"}");
    }

    public StoredPhoneRenderer Renderer() => new(Phones, Config, Settings.Site.ToSettings(), Settings.LoadTemplates(), new Services.Firmware.LoadPlanSource(new FirmwareStore(Factory), Settings.Firmware));

    public static string Actor => "cli:" + Environment.UserName;

    /// <summary>Parses a MAC argument; on failure writes the reason and returns null.</summary>
    public static MacAddress? ParseMac(ParseResult parse, string? text)
    {
        var result = MacAddress.Parse(text);
        if (result.Mac is null)
        {
            parse.InvocationConfiguration.Error.WriteLine(result.Error);
        }

        return result.Mac;
    }
}
