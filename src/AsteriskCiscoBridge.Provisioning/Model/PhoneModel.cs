namespace AsteriskCiscoBridge.Provisioning.Model;

/// <summary>
/// How a model is provisioned: which own file it asks for (spec §1 family table). Every series after the
/// 7940/7960 reads the same <c>SEP&lt;MAC&gt;.cnf.xml</c> schema (spec beyond-79xx A0), so they share
/// <see cref="Sip79x1"/>; what differs per series is in <see cref="PhoneSeries"/>.
/// </summary>
public enum PhoneFamily
{
    /// <summary>7940/7960 with SIP firmware: OS79XX.TXT, SIPDefault.cnf, SIP&lt;MAC&gt;.cnf, syncinfo.xml.</summary>
    Sip79x0 = 1,

    /// <summary>
    /// Phones that read SEP&lt;MAC&gt;.cnf.xml and XMLDefault.cnf.xml: the Java-based 79x1/79x2/79x5/797x with SIP
    /// loads, and the 6900, 7800, 8800, 8900 and 9900 series on enterprise SIP loads.
    /// </summary>
    Sip79x1 = 2,
}

/// <summary>
/// The series of a model: what its SEP&lt;MAC&gt;.cnf.xml takes and refuses beyond the common schema
/// (spec beyond-79xx A6, <see cref="SeriesTraits"/>).
/// </summary>
public enum PhoneSeries
{
    /// <summary>7940/7960: SIP&lt;MAC&gt;.cnf.</summary>
    Cisco79x0 = 0,

    /// <summary>7906/7911/794x/796x/797x.</summary>
    Cisco79x1 = 1,

    /// <summary>7811/7821/7841/7861 (sip78xx loads).</summary>
    Cisco78xx = 2,

    /// <summary>8811/8841/8845/8851/8861/8865 (sip88xx, sip8845_65 loads).</summary>
    Cisco88xx = 3,

    /// <summary>8941/8945 (SIP8941_8945 loads).</summary>
    Cisco89xx = 4,

    /// <summary>9951/9971 and the 8961, which shares their loads' naming and their feature policy file (sip9951, sip9971, sip8961).</summary>
    Cisco99xx = 5,

    /// <summary>6921/6941/6961 (SIP69xx loads).</summary>
    Cisco69xx = 6,
}

/// <summary>
/// One phone model: its family and series, how many line buttons it has, the Cisco device type id used
/// in <c>loadInformationNNN</c> element names (spec §2.7, beyond-79xx A2), and the most calls a line may
/// hold (<c>maxNumCalls</c>, beyond-79xx A6).
/// </summary>
/// <param name="Name">Short model number, e.g. <c>7960</c>.</param>
/// <param name="LineKeys">Programmable line buttons: the most lines, then speed dials, the phone can carry.</param>
/// <param name="DeviceTypeId">Cisco device type id (<c>loadInformation7</c> for a 7960).</param>
/// <param name="LoadPrefix">Firmware load name prefix for the model (spec §3.1, beyond-79xx A3).</param>
/// <param name="Series">The series (<see cref="PhoneSeries"/>).</param>
/// <param name="MaxCalls">The highest <c>maxNumCalls</c> a line takes (0: the file has no such field).</param>
public sealed record PhoneModel(string Name, PhoneFamily Family, int LineKeys, int DeviceTypeId, string LoadPrefix, PhoneSeries Series = PhoneSeries.Cisco79x1, int MaxCalls = 50)
{
    /// <summary>
    /// The name XMLDefault.cnf.xml gives the model in <c>model="…"</c>: <c>IP Phone 7960</c> for the 79xx (spec §2.7),
    /// <c>Cisco 8841</c> for the later series (beyond-79xx A2, <c>&lt;loadInformation683 model="Cisco 8841"&gt;</c>).
    /// </summary>
    public string DisplayName => Series is PhoneSeries.Cisco79x0 or PhoneSeries.Cisco79x1 ? $"IP Phone {Name}" : $"Cisco {Name}";

    /// <summary>The model with its article, for messages: <c>a 7821</c>, <c>an 8841</c>.</summary>
    public string WithArticle => (Name.StartsWith('8') ? "an " : "a ") + Name;

    /// <summary>What the series takes and refuses.</summary>
    public SeriesTraits Traits => SeriesTraits.Of(Series);
}

/// <summary>The models the bridge provisions.</summary>
public static class PhoneModels
{
    public static PhoneModel Cisco7940 { get; } = new("7940", PhoneFamily.Sip79x0, 2, 8, "P0S3", PhoneSeries.Cisco79x0, 0);
    public static PhoneModel Cisco7960 { get; } = new("7960", PhoneFamily.Sip79x0, 6, 7, "P0S3", PhoneSeries.Cisco79x0, 0);

    // 79x1: maxNumCalls up to 50 (beyond-79xx A6 lists 7911, 794x, 796x, 7971, 7975; the 7906 and 7970 run the same loads as the 7911 and 7971).
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

    // 7800 (beyond-79xx A2, A6): line keys 7821=2, 7841=4, 7861=16 (Provisioner's family data); the 7811 has one line
    // and no line key. Ids 621/622/623 have two sources (SCCP_Manager, a Ruby XMLDefault generator); 7811=36213 has
    // one, so Site:LoadInformationIds can replace it.
    public static PhoneModel Cisco7811 { get; } = new("7811", PhoneFamily.Sip79x1, 1, 36213, "sip78xx", PhoneSeries.Cisco78xx, 12);
    public static PhoneModel Cisco7821 { get; } = new("7821", PhoneFamily.Sip79x1, 2, 621, "sip78xx", PhoneSeries.Cisco78xx, 12);
    public static PhoneModel Cisco7841 { get; } = new("7841", PhoneFamily.Sip79x1, 4, 622, "sip78xx", PhoneSeries.Cisco78xx, 24);
    public static PhoneModel Cisco7861 { get; } = new("7861", PhoneFamily.Sip79x1, 16, 623, "sip78xx", PhoneSeries.Cisco78xx, 24);

    // 8800: five line keys left of the display (the right-hand session keys become line keys only with
    // vendorConfig lineMode=1, which the bridge does not count). 8845=36224 has two sources (the Ruby generator and
    // a test asserting <loadInformation36224 model="Cisco 8845">); 8865=36225 has one (Site:LoadInformationIds).
    public static PhoneModel Cisco8811 { get; } = new("8811", PhoneFamily.Sip79x1, 5, 36217, "sip88xx", PhoneSeries.Cisco88xx, 200);
    public static PhoneModel Cisco8841 { get; } = new("8841", PhoneFamily.Sip79x1, 5, 683, "sip88xx", PhoneSeries.Cisco88xx, 200);
    public static PhoneModel Cisco8845 { get; } = new("8845", PhoneFamily.Sip79x1, 5, 36224, "sip8845_65", PhoneSeries.Cisco88xx, 200);
    public static PhoneModel Cisco8851 { get; } = new("8851", PhoneFamily.Sip79x1, 5, 684, "sip88xx", PhoneSeries.Cisco88xx, 200);
    public static PhoneModel Cisco8861 { get; } = new("8861", PhoneFamily.Sip79x1, 5, 685, "sip88xx", PhoneSeries.Cisco88xx, 200);
    public static PhoneModel Cisco8865 { get; } = new("8865", PhoneFamily.Sip79x1, 5, 36225, "sip8845_65", PhoneSeries.Cisco88xx, 200);

    // 8900: ids from chan-sccp (8941=586, 8945=585); four line keys.
    public static PhoneModel Cisco8941 { get; } = new("8941", PhoneFamily.Sip79x1, 4, 586, "SIP8941_8945", PhoneSeries.Cisco89xx, 24);
    public static PhoneModel Cisco8945 { get; } = new("8945", PhoneFamily.Sip79x1, 4, 585, "SIP8941_8945", PhoneSeries.Cisco89xx, 24);

    // 9900 and 8961: ids from SCCP_Manager only (chan-sccp leaves CISCO8961 commented out with no value):
    // 9971=493, 9951=537, 8961=540, each replaceable with Site:LoadInformationIds.
    public static PhoneModel Cisco8961 { get; } = new("8961", PhoneFamily.Sip79x1, 5, 540, "sip8961", PhoneSeries.Cisco99xx, 200);
    public static PhoneModel Cisco9951 { get; } = new("9951", PhoneFamily.Sip79x1, 5, 537, "sip9951", PhoneSeries.Cisco99xx, 200);
    public static PhoneModel Cisco9971 { get; } = new("9971", PhoneFamily.Sip79x1, 6, 493, "sip9971", PhoneSeries.Cisco99xx, 200);

    // 6900: chan-sccp's 6921=495, 6941=496, 6961=497, which an XMLDefault shell script agrees with; older
    // SCCP_Manager rows swap 6921 and 6941 (495/496) and are not followed.
    public static PhoneModel Cisco6921 { get; } = new("6921", PhoneFamily.Sip79x1, 2, 495, "SIP69xx", PhoneSeries.Cisco69xx, 12);
    public static PhoneModel Cisco6941 { get; } = new("6941", PhoneFamily.Sip79x1, 4, 496, "SIP69xx", PhoneSeries.Cisco69xx, 24);
    public static PhoneModel Cisco6961 { get; } = new("6961", PhoneFamily.Sip79x1, 12, 497, "SIP69xx", PhoneSeries.Cisco69xx, 72);

    /// <summary>Every supported model, in a fixed order (XMLDefault.cnf.xml lists them in this order).</summary>
    public static IReadOnlyList<PhoneModel> All { get; } =
    [
        Cisco7960, Cisco7940, Cisco7906, Cisco7911, Cisco7941, Cisco7942, Cisco7945,
        Cisco7961, Cisco7962, Cisco7965, Cisco7970, Cisco7971, Cisco7975,
        Cisco7811, Cisco7821, Cisco7841, Cisco7861,
        Cisco8811, Cisco8841, Cisco8845, Cisco8851, Cisco8861, Cisco8865,
        Cisco8941, Cisco8945, Cisco8961, Cisco9951, Cisco9971,
        Cisco6921, Cisco6941, Cisco6961,
    ];

    /// <summary>
    /// Finds a model by <c>7960</c>, <c>7960G</c>, <c>7961G-GE</c>, <c>CP-7960G</c>, <c>IP Phone 7960</c>,
    /// <c>Cisco 8841</c> or <c>CP-8865NR</c>, in any case. The NR ("no radio") 8865 has no Wi-Fi or Bluetooth,
    /// neither of which the bridge configures: it is provisioned as the 8865 (same loads, same keys).
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

        foreach (var suffix in (ReadOnlySpan<string>)["G-GE", "GE", "G", "NR"])
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                t = t[..^suffix.Length];
                break;
            }
        }

        return All.FirstOrDefault(m => m.Name == t);
    }

    /// <summary>The supported model names, comma-separated (for error messages).</summary>
    public static string Names => string.Join(", ", All.Select(m => m.Name));
}

/// <summary>What the bridge knows of a family when it does not know the model yet.</summary>
public static class PhoneFamilies
{
    /// <summary>A 7940/7960 whose model is not known: six lines (a 7940 shows the first two).</summary>
    public static PhoneModel Any79x0 { get; } = new("7940/7960", PhoneFamily.Sip79x0, 6, 0, "P0S3", PhoneSeries.Cisco79x0, 0);

    /// <summary>
    /// A phone that reads SEP&lt;MAC&gt;.cnf.xml whose model is not known: eight lines (each model shows as many as it has
    /// buttons), rendered as a 79x1 until its model is learned.
    /// </summary>
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
