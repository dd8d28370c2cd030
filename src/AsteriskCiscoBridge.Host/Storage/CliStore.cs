using System.CommandLine;
using AsteriskCiscoBridge.Host.Provisioning;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;

namespace AsteriskCiscoBridge.Host.Storage;

/// <summary>What the store verbs (bind, unbind, phones, render) share: configuration and the open, migrated store.</summary>
internal sealed class CliStore
{
    private CliStore(HostSettings settings, SqliteConnectionFactory factory)
    {
        Settings = settings;
        Factory = factory;
        Phones = new PhoneStore(factory);
        Config = new ConfigStore(factory);
    }

    public HostSettings Settings { get; }

    public SqliteConnectionFactory Factory { get; }

    public PhoneStore Phones { get; }

    public ConfigStore Config { get; }

    public static Option<FileInfo?> ConfigOption() => new("--config")
    {
        Description = $"Configuration file (default {HostSettings.DefaultConfigFile} when present; ACB_ environment variables override it). " +
            "Storage:Database (ACB_Storage__Database) is the SQLite file, default data/acb.db under the current directory.",
    };

    public static async Task<CliStore> OpenAsync(ParseResult parse, Option<FileInfo?> config, CancellationToken cancellationToken)
    {
        var settings = HostSettings.Load(parse.GetValue(config));
        var factory = new SqliteConnectionFactory(settings.Storage);
        await factory.MigrateAsync(cancellationToken);
        return new CliStore(settings, factory);
    }

    public StoredPhoneRenderer Renderer() => new(Phones, Config, Settings.Site.ToSettings(), Settings.LoadTemplates(), new Firmware.LoadPlanning(new FirmwareStore(Factory), Settings.Firmware));

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
