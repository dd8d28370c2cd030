using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Provisioning;

/// <summary>
/// The <c>Site</c> configuration section: what every phone of the site shares. Defaults are those
/// of <see cref="SiteSettings"/>.
/// </summary>
internal sealed class SiteOptions
{
    /// <summary>
    /// Address (IP or host name) the phones use to reach Asterisk. Unset: each endpoint's transport as Asterisk
    /// reports it (external or bind address), else the AMI host when it is not loopback, else the address each
    /// phone's request reaches this machine at. Set it when the phones reach Asterisk through NAT.
    /// </summary>
    public string? AsteriskHost { get; set; }

    /// <summary>Asterisk's SIP port as the phones reach it. Unset: each endpoint's transport's port as Asterisk reports it.</summary>
    public int? AsteriskPort { get; set; }

    /// <summary><c>Ami:Host</c>, one of the sources of the Asterisk address (not a <c>Site</c> key).</summary>
    internal string? AmiHost { get; set; }

    /// <summary>Where the phones' Directories key leads (from the <c>Directory</c> and <c>Http</c> sections; not a <c>Site</c> key).</summary>
    internal string? DirectoryUrl { get; set; }

    public string? NtpServer { get; set; }

    /// <summary>7940/7960 <c>time_zone</c> code, e.g. <c>CET</c>.</summary>
    public string? TimeZone79x0 { get; set; }

    /// <summary>79x1 time zone name, e.g. <c>Central Europe Standard/Daylight Time</c>.</summary>
    public string? TimeZone79x1 { get; set; }

    public string? PhoneLabel { get; set; }

    public string? PhonePassword { get; set; }

    public string? MessagesNumber { get; set; }

    public int? TelnetLevel { get; set; }

    public string? SshUser { get; set; }

    public string? SshPassword { get; set; }

    public PreferredCodec? Codec { get; set; }

    public UnprovisionedPolicy? Unprovisioned { get; set; }

    /// <summary>Folder of whole-file override templates (<c>SIP{mac}.cnf</c>, <c>SEP{mac}.cnf.xml</c>…); none by default.</summary>
    public string? TemplateFolder { get; set; }

    /// <summary>Extra or replaced keys for SIPDefault.cnf (7940/7960), as <c>[{ "Name": "…", "Value": "…" }]</c>.</summary>
    public List<ExtraSetting>? ExtraCnfKeys { get; set; }

    /// <summary>Extra elements for XMLDefault.cnf.xml and every SEP&lt;MAC&gt;.cnf.xml (79x1), as <c>[{ "Name": "…", "Value": "…" }]</c>.</summary>
    public List<ExtraSetting>? ExtraXmlElements { get; set; }

    /// <summary>
    /// Device type ids for XMLDefault.cnf.xml's <c>loadInformationNNN</c> that replace the built-in ones, by model
    /// (<c>Site:LoadInformationIds:8865 = 36225</c>): for the ids that rest on a single source (7811, 8865, the 9900 series).
    /// </summary>
    public Dictionary<string, int>? LoadInformationIds { get; set; }

    public SiteSettings ToSettings()
    {
        var defaults = new SiteSettings();
        var server = SipServerResolver.Resolve(new SipServerOverrides(AsteriskHost, AsteriskPort), null, AmiHost);
        return defaults with
        {
            AsteriskHost = server.Host,
            AsteriskPort = server.Port,
            NtpServer = NtpServer ?? defaults.NtpServer,
            TimeZone79x0 = TimeZone79x0 ?? defaults.TimeZone79x0,
            TimeZone79x1 = TimeZone79x1 ?? defaults.TimeZone79x1,
            PhoneLabel = PhoneLabel ?? defaults.PhoneLabel,
            PhonePassword = PhonePassword ?? defaults.PhonePassword,
            MessagesNumber = MessagesNumber ?? defaults.MessagesNumber,
            TelnetLevel = TelnetLevel ?? defaults.TelnetLevel,
            SshUser = SshUser ?? defaults.SshUser,
            SshPassword = SshPassword ?? defaults.SshPassword,
            Codec = Codec ?? defaults.Codec,
            Unprovisioned = Unprovisioned ?? defaults.Unprovisioned,
            ExtraCnfKeys = ExtraCnfKeys ?? defaults.ExtraCnfKeys,
            ExtraXmlElements = ExtraXmlElements ?? defaults.ExtraXmlElements,
            DirectoryUrl = DirectoryUrl,
            LoadInformationIds = LoadInformationIds is null ? defaults.LoadInformationIds : new Dictionary<string, int>(LoadInformationIds, StringComparer.Ordinal),
        };
    }
}

/// <summary>
/// The <c>Storage</c>, <c>Site</c> and <c>Firmware</c> sections, read from a built configuration: where the
/// store is, what every phone of the site shares, the site's load per model and staircase rules. The
/// service and every command that renders or plans read them through this one type.
/// </summary>
internal sealed class SiteConfiguration
{
    private SiteConfiguration(StorageOptions storage, SiteOptions site, SiteLoadDefaults firmware)
    {
        Storage = storage;
        Site = site;
        Firmware = firmware;
    }

    public StorageOptions Storage { get; }

    public SiteOptions Site { get; }

    /// <summary>
    /// <c>Firmware:Defaults:MODEL</c> (the site's load per model, e.g. <c>Firmware:Defaults:7961 = SIP41.9-4-2SR3-1S</c>)
    /// and <c>Firmware:Staircase</c> (site staircase rules, one per entry, in <see cref="StaircaseRule.TryParse"/>'s syntax).
    /// </summary>
    public SiteLoadDefaults Firmware { get; }

    /// <summary>Reads the Storage and Site sections of an already built configuration.</summary>
    public static SiteConfiguration From(IConfiguration configuration)
    {
        var storage = configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        var site = configuration.GetSection("Site").Get<SiteOptions>() ?? new SiteOptions();
        site.AmiHost = configuration["Ami:Host"];
        site.DirectoryUrl = Phonebook.DirectoryOptions.UrlFor(configuration);
        var firmware = SiteLoadDefaults.Parse(
            configuration.GetSection("Firmware:Defaults").GetChildren().Select(c => new KeyValuePair<string, string?>(c.Key, c.Value)),
            configuration.GetSection("Firmware:Staircase").GetChildren().Select(c => c.Value));
        return new SiteConfiguration(storage, site, firmware);
    }

    /// <summary>Where phones are pointed: the Site overrides and the AMI host, with each endpoint's transport.</summary>
    public SipServerContext SipServers(ILogger? logger = null) =>
        new(new SipServerOverrides(Site.AsteriskHost, Site.AsteriskPort), Site.AmiHost, logger);

    public TemplateSet LoadTemplates()
    {
        if (string.IsNullOrEmpty(Site.TemplateFolder))
        {
            return TemplateSet.Empty;
        }

        var templates = new List<TemplateSource>();
        foreach (var path in Directory.EnumerateFiles(Site.TemplateFolder))
        {
            var name = Path.GetFileName(path);
            var known = TemplateNames.All.FirstOrDefault(t => string.Equals(t, name, StringComparison.OrdinalIgnoreCase));
            if (known is not null)
            {
                templates.Add(new(known, File.ReadAllText(path), path));
            }
        }

        return TemplateSet.From(templates);
    }
}
