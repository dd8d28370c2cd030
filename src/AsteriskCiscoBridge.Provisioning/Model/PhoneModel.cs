namespace AsteriskCiscoBridge.Provisioning.Model;

/// <summary>How a model is provisioned (spec §1 family table).</summary>
public enum PhoneFamily
{
    /// <summary>7940/7960 with SIP firmware: OS79XX.TXT, SIPDefault.cnf, SIP&lt;MAC&gt;.cnf, syncinfo.xml.</summary>
    Sip79x0 = 1,

    /// <summary>Java-based 79x1/79x2/79x5/797x with SIP loads: SEP&lt;MAC&gt;.cnf.xml, XMLDefault.cnf.xml.</summary>
    Sip79x1 = 2,
}

/// <summary>
/// One phone model: its family, how many line buttons it has, and the Cisco device type id used
/// in <c>loadInformationNNN</c> element names (spec §2.7, ids from SCCP_Manager's table [S18]).
/// </summary>
/// <param name="Name">Short model number, e.g. <c>7960</c>.</param>
/// <param name="LineKeys">Line buttons: the most lines the phone can carry.</param>
/// <param name="DeviceTypeId">Cisco device type id (<c>loadInformation7</c> for a 7960).</param>
/// <param name="LoadPrefix">Firmware load name prefix for the model (spec §3.1).</param>
public sealed record PhoneModel(string Name, PhoneFamily Family, int LineKeys, int DeviceTypeId, string LoadPrefix)
{
    /// <summary>The name CUCM and XMLDefault.cnf.xml use, e.g. <c>IP Phone 7960</c>.</summary>
    public string DisplayName => $"IP Phone {Name}";
}

/// <summary>The models the bridge provisions.</summary>
public static class PhoneModels
{
    public static PhoneModel Cisco7940 { get; } = new("7940", PhoneFamily.Sip79x0, 2, 8, "P0S3");
    public static PhoneModel Cisco7960 { get; } = new("7960", PhoneFamily.Sip79x0, 6, 7, "P0S3");
    public static PhoneModel Cisco7906 { get; } = new("7906", PhoneFamily.Sip79x1, 1, 369, "SIP11");
    public static PhoneModel Cisco7911 { get; } = new("7911", PhoneFamily.Sip79x1, 1, 307, "SIP11");
    public static PhoneModel Cisco7941 { get; } = new("7941", PhoneFamily.Sip79x1, 2, 115, "SIP41");
    public static PhoneModel Cisco7942 { get; } = new("7942", PhoneFamily.Sip79x1, 2, 434, "SIP42");
    public static PhoneModel Cisco7945 { get; } = new("7945", PhoneFamily.Sip79x1, 2, 435, "SIP45");
    public static PhoneModel Cisco7961 { get; } = new("7961", PhoneFamily.Sip79x1, 6, 30018, "SIP41");
    public static PhoneModel Cisco7962 { get; } = new("7962", PhoneFamily.Sip79x1, 6, 404, "SIP42");
    public static PhoneModel Cisco7965 { get; } = new("7965", PhoneFamily.Sip79x1, 6, 436, "SIP45");
    public static PhoneModel Cisco7970 { get; } = new("7970", PhoneFamily.Sip79x1, 8, 30006, "SIP70");
    public static PhoneModel Cisco7971 { get; } = new("7971", PhoneFamily.Sip79x1, 8, 119, "SIP70");
    public static PhoneModel Cisco7975 { get; } = new("7975", PhoneFamily.Sip79x1, 8, 437, "SIP75");

    /// <summary>Every supported model, in a fixed order (XMLDefault.cnf.xml lists them in this order).</summary>
    public static IReadOnlyList<PhoneModel> All { get; } =
    [
        Cisco7960, Cisco7940, Cisco7906, Cisco7911, Cisco7941, Cisco7942, Cisco7945,
        Cisco7961, Cisco7962, Cisco7965, Cisco7970, Cisco7971, Cisco7975,
    ];

    /// <summary>
    /// Finds a model by <c>7960</c>, <c>7960G</c>, <c>7961G-GE</c>, <c>CP-7960G</c> or
    /// <c>IP Phone 7960</c>, in any case.
    /// </summary>
    public static PhoneModel? Find(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = text.Trim().ToUpperInvariant();
        foreach (var prefix in (ReadOnlySpan<string>)["IP PHONE ", "CISCO ", "CP-"])
        {
            if (t.StartsWith(prefix, StringComparison.Ordinal))
            {
                t = t[prefix.Length..].TrimStart();
            }
        }

        foreach (var suffix in (ReadOnlySpan<string>)["G-GE", "GE", "G"])
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                t = t[..^suffix.Length];
                break;
            }
        }

        return All.FirstOrDefault(m => m.Name == t);
    }
}

/// <summary>What the bridge knows of a family when it does not know the model yet.</summary>
public static class PhoneFamilies
{
    /// <summary>A 7940/7960 whose model is not known: six lines (a 7940 shows the first two).</summary>
    public static PhoneModel Any79x0 { get; } = new("7940/7960", PhoneFamily.Sip79x0, 6, 0, "P0S3");

    /// <summary>A 79x1/79x2/79x5/797x whose model is not known: eight lines (each model shows as many as it has buttons).</summary>
    public static PhoneModel Any79x1 { get; } = new("79x1", PhoneFamily.Sip79x1, 8, 0, string.Empty);

    /// <summary>The stand-in model of a family: rendered for a phone known by its family only.</summary>
    public static PhoneModel Representative(PhoneFamily family) => family == PhoneFamily.Sip79x0 ? Any79x0 : Any79x1;

    /// <summary>True for a stand-in model (no load can be planned for it).</summary>
    public static bool IsRepresentative(PhoneModel model) => ReferenceEquals(model, Any79x0) || ReferenceEquals(model, Any79x1);

    /// <summary>A stored model text: a model (<c>7960</c>), a family's stand-in name (<c>7940/7960</c>, <c>79x1</c>), or null.</summary>
    public static PhoneModel? Find(string? text) =>
        PhoneModels.Find(text)
        ?? (string.Equals(text, Any79x0.Name, StringComparison.OrdinalIgnoreCase) ? Any79x0
            : string.Equals(text, Any79x1.Name, StringComparison.OrdinalIgnoreCase) ? Any79x1
            : null);
}
