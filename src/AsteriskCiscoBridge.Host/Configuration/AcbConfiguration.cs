using System.Text.Json;
using AsteriskCiscoBridge.Services.Configuration;
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

    /// <summary>
    /// Adds the layers to <paramref name="builder"/> in precedence order (last wins), as one
    /// source: the layers merged, with every list setting (<see cref="AcbSections.ListPaths"/>)
    /// taken whole from the last layer that sets it. .NET merges lists item by item, so
    /// <c>--http-listen A</c> over a file listing <c>B, C</c> would listen on A and C; and a
    /// single value (<c>ACB_Http__Listen=ADDR:PORT</c>) would be ignored by the binder. Here it is
    /// the one-item list it means.
    /// </summary>
    public static IConfigurationBuilder AddAcbSources(this IConfigurationBuilder builder, string? configFile, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var layers = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new FileNotFoundException($"configuration file '{configFile}' does not exist", configFile);
            }

            layers.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }
        else if (File.Exists(DefaultFile))
        {
            layers.AddJsonFile(DefaultFile, optional: true, reloadOnChange: false);
        }

        layers.AddEnvironmentVariables("ACB_");
        if (overrides is not null)
        {
            layers.AddInMemoryCollection(overrides);
        }

        IConfigurationRoot root;
        try
        {
            root = layers.Build();
        }
        catch (InvalidDataException e) when ((e.InnerException?.InnerException ?? e.InnerException) is JsonException json)
        {
            // One line naming the file and the place, not the JSON reader's three nested exceptions.
            var reason = json.Message.Split(" LineNumber:", 2)[0].TrimEnd('.', ' ');
            throw new FormatException($"configuration file '{configFile ?? DefaultFile}' is not valid JSON at line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}: {reason}", e);
        }

        return builder.AddInMemoryCollection(Effective(root));
    }

    /// <summary>Builds the configuration alone (for verbs that are not the service).</summary>
    public static IConfiguration Build(string? configFile, IReadOnlyDictionary<string, string?>? overrides = null) =>
        new ConfigurationBuilder().AddAcbSources(configFile, overrides).Build();

    /// <summary>The merged values, each list setting replaced by the last layer's own (one value there: a one-item list).</summary>
    internal static Dictionary<string, string?> Effective(IConfigurationRoot layered)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in layered.AsEnumerable())
        {
            if (value is not null)
            {
                data[key] = value;
            }
        }

        foreach (var path in AcbSections.ListPaths)
        {
            var owner = layered.Providers.LastOrDefault(p => p.TryGet(path, out _) || p.GetChildKeys([], path).Any());
            if (owner is null)
            {
                continue;
            }

            foreach (var key in data.Keys.Where(k => k.Equals(path, StringComparison.OrdinalIgnoreCase) || k.StartsWith(path + ":", StringComparison.OrdinalIgnoreCase)).ToArray())
            {
                data.Remove(key);
            }

            var items = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            Collect(owner, path, items);
            owner.TryGet(path, out var single);
            if (items.Count > 0 && !string.IsNullOrEmpty(single))
            {
                throw new InvalidOperationException($"{path} is set both as one value and as a list in the same place (e.g. ACB_{path.Replace(":", "__", StringComparison.Ordinal)} and ACB_{path.Replace(":", "__", StringComparison.Ordinal)}__0): keep one");
            }

            if (items.Count > 0)
            {
                foreach (var (key, value) in items)
                {
                    data[key] = value;
                }
            }
            else if (single is not null)
            {
                // "" (JSON's [] reads the same) is an empty list; anything else one item.
                data[single.Length == 0 ? path : path + ":0"] = single;
            }
        }

        return data;
    }

    private static void Collect(IConfigurationProvider provider, string path, Dictionary<string, string?> items)
    {
        foreach (var child in provider.GetChildKeys([], path).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var key = $"{path}:{child}";
            if (provider.TryGet(key, out var value) && value is not null)
            {
                items[key] = value;
            }

            Collect(provider, key, items);
        }
    }
}
