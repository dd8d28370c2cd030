using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Provisioning.Model;

/// <summary>
/// Per-phone settings as an admin writes and the store keeps them, <c>NAME=VALUE</c>:
/// <c>label</c> (the phone's label), <c>phone_password</c>, <c>messages</c> (voicemail number),
/// <c>max_calls</c> and <c>busy_trigger</c> (each line's <c>maxNumCalls</c>/<c>busyTrigger</c>, SEP&lt;MAC&gt;.cnf.xml),
/// <c>key.N</c> (a speed dial or BLF speed dial after the lines: <c>speeddial:NUMBER[:LABEL]</c>, <c>blf:NUMBER[:LABEL]</c>),
/// <c>cnf:KEY</c> (an extra or replaced key in the phone's SIP&lt;MAC&gt;.cnf) and
/// <c>xml:ELEMENT</c> (an extra element in its SEP&lt;MAC&gt;.cnf.xml). Pure.
/// </summary>
public static class PhoneSettings
{
    /// <summary>Reads <c>NAME=VALUE</c>; null and the reason when it is not a setting.</summary>
    public static KeyValuePair<string, string>? Parse(string text, out string? error)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            error = $"'{text}' is not NAME=VALUE";
            return null;
        }

        var name = text[..equals].Trim();
        var value = text[(equals + 1)..];
        return Check(name, value, out error) ? new KeyValuePair<string, string>(name, value) : null;
    }

    /// <summary>Builds the renderer's overrides from stored settings (later duplicates win); null and the reason for an unknown name.</summary>
    public static PhoneOverrides? ToOverrides(IEnumerable<KeyValuePair<string, string>> settings, out string? error)
    {
        error = null;
        string? label = null, password = null, messages = null;
        int? maxCalls = null, busyTrigger = null;
        var keys = new List<FeatureKey>();
        var cnf = new List<ExtraSetting>();
        var xml = new List<ExtraSetting>();
        foreach (var (name, value) in settings)
        {
            if (!Check(name, value, out error))
            {
                return null;
            }

            switch (name)
            {
                case "label":
                    label = value;
                    break;
                case "phone_password":
                    password = value;
                    break;
                case "messages":
                    messages = value;
                    break;
                case "max_calls":
                    maxCalls = Count(value);
                    break;
                case "busy_trigger":
                    busyTrigger = Count(value);
                    break;
                case var _ when FeatureKeys.IndexOf(name) is { } index:
                    keys.RemoveAll(k => k.Index == index);
                    keys.Add(FeatureKeys.Parse(index, value, "acb bind --set or the dashboard", out _)!);
                    break;
                default:
                    var list = name.StartsWith("cnf:", StringComparison.Ordinal) ? cnf : xml;
                    list.RemoveAll(e => e.Name == name[4..]);
                    list.Add(new ExtraSetting(name[4..], value));
                    break;
            }
        }

        return new PhoneOverrides
        {
            PhoneLabel = label, PhonePassword = password, MessagesNumber = messages, MaxCalls = maxCalls, BusyTrigger = busyTrigger,
            Keys = [.. keys.OrderBy(k => k.Index)],
            ExtraCnfKeys = cnf, ExtraXmlElements = xml,
        };
    }

    private static int? Count(string value) =>
        int.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 200 ? n : null;

    private static bool Check(string name, string value, out string? error)
    {
        error = name switch
        {
            "label" or "phone_password" or "messages" => null,
            "max_calls" or "busy_trigger" => Count(value) is null ? $"{name} takes a number of calls, 1–200 (a model's own ceiling applies: 12 on a 7821, 200 on an 8841)" : null,
            _ when FeatureKeys.IndexOf(name) is { } index => FeatureKeys.Parse(index, value, string.Empty, out var keyError) is null ? keyError : null,
            _ when name.StartsWith(FeatureKeys.SettingPrefix, StringComparison.Ordinal) => $"'{name}' is not key.N with N 1–{FeatureKey.MaxIndex}",
            _ when name.StartsWith("cnf:", StringComparison.Ordinal) => Escaping.IsCnfKey(name[4..]) ? null : $"'{name[4..]}' is not a cnf key (letters, digits and '_')",
            _ when name.StartsWith("xml:", StringComparison.Ordinal) => Escaping.IsXmlName(name[4..]) ? null : $"'{name[4..]}' is not an XML element name",
            _ => $"unknown setting '{name}' (label, phone_password, messages, max_calls, busy_trigger, key.N, cnf:KEY, xml:ELEMENT)",
        };
        return error is null;
    }
}
