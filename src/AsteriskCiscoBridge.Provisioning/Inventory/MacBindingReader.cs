using System.Collections.Immutable;
using System.Globalization;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Inventory;

/// <summary>A <c>type=phoneprov</c> section of pjsip.conf, as Asterisk returned it: its name and its lines in order.</summary>
public sealed record PhoneprovSection(string Name, IReadOnlyList<KeyValuePair<string, string>> Lines)
{
    /// <summary>The first value of <paramref name="key"/> (any case), or null.</summary>
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
}

/// <summary>An endpoint's name and its <c>set_var</c> entries in order (name, value).</summary>
public sealed record EndpointVariables(string Endpoint, IReadOnlyList<KeyValuePair<string, string>> SetVars);

/// <summary>The MACs Asterisk's configuration binds to endpoints, and what could not be read.</summary>
/// <param name="Bindings">Per endpoint: phoneprov bindings in file order, then set_var ones (<c>ACB_MAC</c> before <c>CISCO_MAC</c>).</param>
/// <param name="EndpointProblems">Per endpoint: unreadable MACs, said for the admin.</param>
/// <param name="Problems">Problems tied to no endpoint (a phoneprov section naming one Asterisk does not have).</param>
public sealed record MacBindingReading(
    IReadOnlyDictionary<string, ImmutableArray<MacDeclaration>> Bindings,
    IReadOnlyDictionary<string, ImmutableArray<string>> EndpointProblems,
    ImmutableArray<string> Problems)
{
    /// <summary>The bindings of <paramref name="endpoint"/> (none when it has none).</summary>
    public ImmutableArray<MacDeclaration> Of(string endpoint) => Bindings.TryGetValue(endpoint, out var b) ? b : [];

    /// <summary>The MAC problems of <paramref name="endpoint"/>.</summary>
    public ImmutableArray<string> ProblemsOf(string endpoint) => EndpointProblems.TryGetValue(endpoint, out var p) ? p : [];
}

/// <summary>
/// Reads the two ways an Asterisk admin binds a phone to an endpoint (DESIGN step 2): a
/// <c>type=phoneprov</c> section (<c>MAC=</c>, <c>endpoint=</c>, <c>LINE=</c>, <c>PROFILE=</c>) and an
/// endpoint variable <c>set_var=ACB_MAC=…</c> or <c>set_var=CISCO_MAC=…</c>. Pure; the MAC is read by
/// <see cref="MacAddress"/>, the one MAC parser of the solution.
/// </summary>
public static class MacBindingReader
{
    /// <summary>Variables that bind a MAC to an endpoint, in order of precedence.</summary>
    public static readonly ImmutableArray<string> MacVariables = ["ACB_MAC", "CISCO_MAC"];

    /// <summary>Reads the bindings of <paramref name="endpoints"/> from their variables and from <paramref name="phoneprov"/> (in file order).</summary>
    public static MacBindingReading Read(IReadOnlyList<EndpointVariables> endpoints, IReadOnlyList<PhoneprovSection> phoneprov)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(phoneprov);
        var names = new HashSet<string>(endpoints.Select(e => e.Endpoint), StringComparer.Ordinal);
        var bindings = new Dictionary<string, List<MacDeclaration>>(StringComparer.Ordinal);
        var endpointProblems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var problems = ImmutableArray.CreateBuilder<string>();
        var order = 0;
        foreach (var section in phoneprov)
        {
            order++;
            var endpoint = section.Get("endpoint");
            if (string.IsNullOrEmpty(endpoint) || !names.Contains(endpoint))
            {
                problems.Add($"phoneprov section [{section.Name}] names endpoint '{endpoint}', which Asterisk does not have");
                continue;
            }

            var mac = MacAddress.Parse(section.Get("MAC")?.Trim());
            if (mac.Mac is not { } value)
            {
                Add(endpointProblems, endpoint, $"phoneprov section [{section.Name}]: {mac.Error}");
                continue;
            }

            int? line = int.TryParse(section.Get("LINE"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
            var profile = section.Get("PROFILE") is { Length: > 0 } p ? p : null;
            Add(bindings, endpoint, new MacDeclaration(value, LineSource.Phoneprov, section.Name, line, profile, order));
        }

        foreach (var endpoint in endpoints)
        {
            foreach (var variable in MacVariables)
            {
                foreach (var (key, text) in endpoint.SetVars)
                {
                    if (!key.Equals(variable, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    var mac = MacAddress.Parse(text?.Trim());
                    if (mac.Mac is { } value)
                    {
                        Add(bindings, endpoint.Endpoint, new MacDeclaration(value, LineSource.SetVar, variable));
                    }
                    else
                    {
                        Add(endpointProblems, endpoint.Endpoint, $"set_var {key}: {mac.Error}");
                    }
                }
            }
        }

        return new MacBindingReading(
            bindings.ToDictionary(b => b.Key, b => b.Value.Distinct().ToImmutableArray(), StringComparer.Ordinal),
            endpointProblems.ToDictionary(p => p.Key, p => p.Value.ToImmutableArray(), StringComparer.Ordinal),
            problems.ToImmutable());
    }

    private static void Add<T>(Dictionary<string, List<T>> map, string key, T value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }
}
