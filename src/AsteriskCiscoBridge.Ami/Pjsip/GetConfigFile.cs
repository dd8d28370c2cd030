using System.Collections.Immutable;
using System.Globalization;

namespace AsteriskCiscoBridge.Ami.Pjsip;

/// <summary>One <c>[section]</c> of a config file as GetConfig returns it (templates already inlined by Asterisk).</summary>
public sealed record ConfigCategory(string Name, ImmutableArray<KeyValuePair<string, string>> Lines)
{
    /// <summary>The first value of <paramref name="key"/> (case-insensitive), or null.</summary>
    public string? Get(string key)
    {
        foreach (var line in Lines)
        {
            if (line.Key.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                return line.Value;
            }
        }

        return null;
    }

    /// <summary>Every value of <paramref name="key"/> in order (<c>set_var</c> repeats).</summary>
    public IEnumerable<string> GetAll(string key) =>
        Lines.Where(l => l.Key.Equals(key, StringComparison.OrdinalIgnoreCase)).Select(l => l.Value);

    /// <summary>The <c>type=</c> value, or empty.</summary>
    public string Type => Get("type") ?? string.Empty;
}

/// <summary>
/// Pure reader of a <c>GetConfig</c> answer: <c>Category-NNNNNN: name</c>, <c>Templates-NNNNNN: …</c>,
/// <c>Line-NNNNNN-MMMMMM: key=value</c> (split at the first <c>=</c>). Two sections with the same name
/// (an endpoint and an AOR called <c>6001</c>) stay two categories.
/// </summary>
public static class GetConfigFile
{
    /// <summary>Categories in file order.</summary>
    public static ImmutableArray<ConfigCategory> Parse(AmiMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var names = new SortedDictionary<int, string>();
        var lines = new Dictionary<int, List<KeyValuePair<string, string>>>();
        foreach (var field in response.Fields)
        {
            var name = field.Name;
            if (name.StartsWith("Category-", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(name.AsSpan(9), NumberStyles.None, CultureInfo.InvariantCulture, out var category))
            {
                names[category] = field.Value;
            }
            else if (name.StartsWith("Line-", StringComparison.OrdinalIgnoreCase)
                && name.Length > 6
                && name.IndexOf('-', 5) is var dash and > 5
                && int.TryParse(name.AsSpan(5, dash - 5), NumberStyles.None, CultureInfo.InvariantCulture, out var owner))
            {
                var eq = field.Value.IndexOf('=', StringComparison.Ordinal);
                var pair = eq < 0
                    ? new KeyValuePair<string, string>(field.Value.Trim(), string.Empty)
                    : new KeyValuePair<string, string>(field.Value[..eq].Trim(), field.Value[(eq + 1)..].Trim());
                if (!lines.TryGetValue(owner, out var list))
                {
                    lines[owner] = list = [];
                }

                list.Add(pair);
            }
        }

        var result = ImmutableArray.CreateBuilder<ConfigCategory>(names.Count);
        foreach (var (index, categoryName) in names)
        {
            result.Add(new ConfigCategory(categoryName, lines.TryGetValue(index, out var l) ? [.. l] : []));
        }

        return result.MoveToImmutable();
    }
}
