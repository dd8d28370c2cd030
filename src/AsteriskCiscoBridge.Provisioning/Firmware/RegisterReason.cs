using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>
/// What a Cisco phone's REGISTER <c>Reason:</c> header says of it (spec beyond-79xx A4):
/// <c>SIP;cause=200;text="… Name=SEP0011223344AA ActiveLoad=sip88xx.14-2-1-0001-131 InactiveLoad=sip88xx.12-8-1-0001-455 …"</c>
/// on the later series, <c>Load=</c> only on the 79xx. Loads are given without <c>.loads</c>, as the usecallmanager patch
/// stores them. Stock Asterisk 22 keeps no REGISTER header but the User-Agent (PJSIPShowContacts), so only a source
/// that records the header can feed this.
/// </summary>
public sealed record RegisterReason(string? DeviceName, string? ActiveLoad, string? InactiveLoad)
{
    /// <summary>Reads the header value; null when it carries no <c>text="…"</c> with a device name or a load. Total.</summary>
    public static RegisterReason? Parse(string? header)
    {
        if (string.IsNullOrEmpty(header) || header.Length > 2048)
        {
            return null;
        }

        var at = header.IndexOf("text=\"", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var text = header[(at + 6)..];
        var end = text.IndexOf('"', StringComparison.Ordinal);
        text = end < 0 ? text : text[..end];
        string? name = null, active = null, inactive = null;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var value = word[(equals + 1)..];
            switch (word[..equals].ToUpperInvariant())
            {
                case "NAME":
                    name = value;
                    break;
                case "ACTIVELOAD" or "LOAD":
                    active = WithoutLoads(value);
                    break;
                case "INACTIVELOAD":
                    inactive = WithoutLoads(value);
                    break;
            }
        }

        return name is null && active is null ? null : new RegisterReason(name, active, inactive);
    }

    /// <summary>The MAC in <c>Name=SEP&lt;MAC&gt;</c>, or null.</summary>
    public MacAddress? Mac =>
        DeviceName is { Length: 15 } n && n.StartsWith("SEP", StringComparison.OrdinalIgnoreCase) && MacAddress.TryParse(n[3..], out var mac) ? mac : null;

    /// <summary>The active load parsed, or null when it is not a load name the bridge reads.</summary>
    public LoadName? Active => LoadName.TryParse(ActiveLoad, out var load, out _) ? load : null;

    /// <summary>
    /// The model the active load names, when its family has one model (<c>sip9971.…</c> → 9971); a load shared by
    /// several models (<c>sip88xx.…</c>) names none: the User-Agent tells them apart.
    /// </summary>
    public PhoneModel? Model =>
        Active is { Family.Models: [var only] } ? PhoneModels.Find(only.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;

    private static string WithoutLoads(string value) =>
        value.EndsWith(".loads", StringComparison.OrdinalIgnoreCase) ? value[..^6] : value;
}
