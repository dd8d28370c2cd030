using Microsoft.Extensions.Configuration;

namespace AsteriskCiscoBridge.Host.Configuration;

/// <summary>
/// The configuration contract of DESIGN.md: a JSON file (<c>--config</c>, else
/// <c>/etc/asterisk-cisco-bridge/acb.json</c> when present), overridden by environment
/// variables prefixed <c>ACB_</c> (<c>ACB_Ami__Host</c>, <c>ACB_Tftp__Listen__0</c>, …),
/// overridden by command-line options.
/// </summary>
internal static class AcbConfiguration
{
    public const string DefaultFile = "/etc/asterisk-cisco-bridge/acb.json";

    /// <summary>Adds the layers to <paramref name="builder"/> in precedence order (last wins).</summary>
    public static IConfigurationBuilder AddAcbSources(this IConfigurationBuilder builder, string? configFile, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new FileNotFoundException($"configuration file '{configFile}' does not exist", configFile);
            }

            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }
        else if (File.Exists(DefaultFile))
        {
            builder.AddJsonFile(DefaultFile, optional: true, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables("ACB_");
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder;
    }

    /// <summary>Builds the configuration alone (for verbs that are not the service).</summary>
    public static IConfiguration Build(string? configFile, IReadOnlyDictionary<string, string?>? overrides = null) =>
        new ConfigurationBuilder().AddAcbSources(configFile, overrides).Build();
}
