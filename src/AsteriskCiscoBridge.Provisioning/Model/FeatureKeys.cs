using System.Globalization;

namespace AsteriskCiscoBridge.Provisioning.Model;

/// <summary>What a line button after the lines does; the value is SEP&lt;MAC&gt;.cnf.xml's <c>featureID</c> (spec beyond-79xx B).</summary>
public enum FeatureKeyKind
{
    /// <summary>Speed dial: <c>featureLabel</c> and <c>speedDialNumber</c>.</summary>
    SpeedDial = 2,

    /// <summary>
    /// BLF speed dial: the same, with a lamp for the number's state. The phones do not SUBSCRIBE: the lamp lights only
    /// when Asterisk pushes the state (the usecallmanager patch does); on stock Asterisk it is a plain speed dial.
    /// </summary>
    Blf = 21,
}

/// <summary>
/// One feature key of a phone: <c>key.N=speeddial:NUMBER[:LABEL]</c> or <c>key.N=blf:NUMBER[:LABEL]</c> (<c>acb bind --set</c>,
/// the dashboard) or <c>set_var=ACB_KEY_N=…</c> on the phone's first endpoint. Keys fill the buttons after the lines in
/// the order of N.
/// </summary>
/// <param name="Index">N, 1–99.</param>
/// <param name="Label">The text beside the button; null shows the number.</param>
/// <param name="Origin">For people: <c>acb bind --set</c>, <c>set_var ACB_KEY_2 on 6001</c>.</param>
public sealed record FeatureKey(int Index, FeatureKeyKind Kind, string Number, string? Label, string Origin = "")
{
    public const int MaxIndex = 99;

    /// <summary>The longest number accepted; the phone's own limit is not documented, featureLabel's is 30.</summary>
    public const int MaxNumber = 64;

    /// <summary>The text beside the button.</summary>
    public string EffectiveLabel => string.IsNullOrEmpty(Label) ? Number : Label;

    /// <summary>The value as written: <c>speeddial:6001:Reception</c>.</summary>
    public string Value => $"{(Kind == FeatureKeyKind.Blf ? "blf" : "speeddial")}:{Number}{(Label is null ? string.Empty : ":" + Label)}";

    public override string ToString() => $"key.{Index.ToString(CultureInfo.InvariantCulture)}={Value}";
}

/// <summary>Reads and checks feature keys. Pure and total: bad text gives a one-line reason.</summary>
public static class FeatureKeys
{
    /// <summary>The setting name's prefix: <c>key.3</c>.</summary>
    public const string SettingPrefix = "key.";

    /// <summary>The set_var name's prefix: <c>ACB_KEY_3</c>.</summary>
    public const string VariablePrefix = "ACB_KEY_";

    /// <summary>N of <c>key.N</c> (or of <c>ACB_KEY_N</c> with <paramref name="prefix"/>), or null when the name is not one.</summary>
    public static int? IndexOf(string name, string prefix = SettingPrefix) =>
        name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
        && int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
        && n is >= 1 and <= FeatureKey.MaxIndex
            ? n
            : null;

    /// <summary>Reads <c>speeddial:NUMBER[:LABEL]</c> or <c>blf:NUMBER[:LABEL]</c> as key <paramref name="index"/>; null and the reason otherwise.</summary>
    public static FeatureKey? Parse(int index, string value, string origin, out string? error)
    {
        var parts = value.Trim().Split(':', 3);
        FeatureKeyKind? kind = parts[0].Trim().ToLowerInvariant() switch
        {
            "speeddial" or "speed-dial" or "sd" => FeatureKeyKind.SpeedDial,
            "blf" => FeatureKeyKind.Blf,
            _ => null,
        };
        var shown = $"key.{index.ToString(CultureInfo.InvariantCulture)}";
        if (kind is null || parts.Length < 2)
        {
            error = $"{shown}: '{value}' is not speeddial:NUMBER[:LABEL] or blf:NUMBER[:LABEL]";
            return null;
        }

        var number = parts[1].Trim();
        if (number.Length is 0 or > FeatureKey.MaxNumber || !number.All(c => char.IsAsciiLetterOrDigit(c) || c is '*' or '#' or '+' or ',' or '.' or '_' or '-' or '@'))
        {
            error = $"{shown}: the number '{number}' must be 1–{FeatureKey.MaxNumber} characters of digits, letters, * # + , . _ - @ (',' pauses two seconds)";
            return null;
        }

        var label = parts.Length > 2 && parts[2].Trim().Length > 0 ? parts[2].Trim() : null;
        if (label is not null && label.Any(char.IsControl))
        {
            error = $"{shown}: the label holds a control character";
            return null;
        }

        error = null;
        return new FeatureKey(index, kind.Value, number, label, origin);
    }

    /// <summary>
    /// Why <paramref name="model"/> carrying <paramref name="lines"/> lines cannot take <paramref name="keys"/>, in one line;
    /// null when it can. A 7940/7960's SIP&lt;MAC&gt;.cnf has no documented key for them (spec beyond-79xx B).
    /// </summary>
    public static string? Refusal(PhoneModel model, int lines, IReadOnlyCollection<FeatureKey> keys)
    {
        if (keys.Count == 0)
        {
            return null;
        }

        if (!model.Traits.FeatureKeys)
        {
            return $"{model.WithArticle} takes no speed-dial keys: its SIP<MAC>.cnf has no documented key for them";
        }

        var free = Math.Max(0, model.LineKeys - lines);
        return keys.Count <= free
            ? null
            : $"{model.WithArticle} has {model.LineKeys} button{(model.LineKeys == 1 ? "" : "s")}: {lines} line{(lines == 1 ? "" : "s")} leave{(lines == 1 ? "s" : "")} {free} for keys, {keys.Count} given ({string.Join(", ", keys.OrderBy(k => k.Index).Select(k => SettingPrefix + k.Index.ToString(CultureInfo.InvariantCulture)))})";
    }

    /// <summary>
    /// The keys a phone gets: the bridge's own settings, then the endpoint's set_var for an index the settings leave free,
    /// in the order of N.
    /// </summary>
    public static IReadOnlyList<FeatureKey> Merge(IEnumerable<FeatureKey> settings, IEnumerable<FeatureKey> fromAsterisk)
    {
        var byIndex = new SortedDictionary<int, FeatureKey>();
        foreach (var key in settings)
        {
            byIndex[key.Index] = key;
        }

        foreach (var key in fromAsterisk)
        {
            byIndex.TryAdd(key.Index, key);
        }

        return [.. byIndex.Values];
    }
}
