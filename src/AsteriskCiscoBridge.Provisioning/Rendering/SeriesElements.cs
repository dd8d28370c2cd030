using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>Where an element of SEP&lt;MAC&gt;.cnf.xml sits.</summary>
internal enum ElementPlace
{
    Device = 0,
    CommonProfile = 1,
    VendorConfig = 2,
}

/// <summary>
/// What each series takes beyond the common SEP&lt;MAC&gt;.cnf.xml schema, and where (spec beyond-79xx A6, from the
/// usecallmanager element reference): an admin's extra element (<c>xml:NAME</c>, <c>Site:ExtraXmlElements</c>) that
/// another series' phone would not take is left out with a warning, and on the later series the elements that live in
/// <c>&lt;commonProfile&gt;</c> or <c>&lt;vendorConfig&gt;</c> go there. A 79x1's extras keep their place at the end of
/// <c>&lt;device&gt;</c>, as they always were.
/// </summary>
internal static class SeriesElements
{
    private static readonly PhoneSeries[] Series7888 = [PhoneSeries.Cisco78xx, PhoneSeries.Cisco88xx];
    private static readonly PhoneSeries[] Series788899 = [PhoneSeries.Cisco78xx, PhoneSeries.Cisco88xx, PhoneSeries.Cisco99xx];
    private static readonly PhoneSeries[] Series78888999 = [PhoneSeries.Cisco78xx, PhoneSeries.Cisco88xx, PhoneSeries.Cisco89xx, PhoneSeries.Cisco99xx];
    private static readonly PhoneSeries[] Series888999 = [PhoneSeries.Cisco88xx, PhoneSeries.Cisco89xx, PhoneSeries.Cisco99xx];

    // Element → where it sits, and the series that take it (null: every series reading SEP<MAC>.cnf.xml).
    private static readonly Dictionary<string, (ElementPlace Place, PhoneSeries[]? Series, string Who)> Table = new(StringComparer.Ordinal)
    {
        ["lineMode"] = (ElementPlace.VendorConfig, Series7888, "the 7800 and 8800 series"),
        ["callParkMonitor"] = (ElementPlace.VendorConfig, Series7888, "the 7800 and 8800 series"),
        ["problemReportUploadURL"] = (ElementPlace.VendorConfig, Series7888, "the 7800 and 8800 series"),
        ["markCallAsSpam"] = (ElementPlace.VendorConfig, Series7888, "the 7800 and 8800 series"),
        ["softkeyControl"] = (ElementPlace.VendorConfig, Series788899, "the 7800, 8800 and 9900 series"),
        ["simplifiedNewCall"] = (ElementPlace.VendorConfig, Series78888999, "the 7800, 8800, 8900 and 9900 series"),
        ["actionableAlert"] = (ElementPlace.VendorConfig, Series78888999, "the 7800, 8800, 8900 and 9900 series"),
        ["defaultWallpaperFile"] = (ElementPlace.VendorConfig, Series888999, "the 8800, 8900 and 9900 series"),
        ["inactiveLoadInformation"] = (ElementPlace.Device, Series888999, "the 8800, 8900 and 9900 series"),
        ["featurePolicyFile"] = (ElementPlace.Device, [PhoneSeries.Cisco99xx], "the 8961, 9951 and 9971"),
        ["informationURL"] = (ElementPlace.Device, [PhoneSeries.Cisco79x1], "the 7900 series"),
        ["secureInformationURL"] = (ElementPlace.Device, [PhoneSeries.Cisco79x1], "the 7900 series"),
        ["backgroundImageAccess"] = (ElementPlace.CommonProfile, null, ""),
        ["callLogBlfEnabled"] = (ElementPlace.CommonProfile, null, ""),
        ["disableSpeaker"] = (ElementPlace.VendorConfig, null, ""),
        ["disableSpeakerAndHeadset"] = (ElementPlace.VendorConfig, null, ""),
        ["settingsAccess"] = (ElementPlace.VendorConfig, null, ""),
        ["webAccess"] = (ElementPlace.VendorConfig, null, ""),
        ["sshAccess"] = (ElementPlace.VendorConfig, null, ""),
        ["pcPort"] = (ElementPlace.VendorConfig, null, ""),
        ["spanToPCPort"] = (ElementPlace.VendorConfig, null, ""),
        ["kemOneColumn"] = (ElementPlace.VendorConfig, null, ""),
        ["ehookEnable"] = (ElementPlace.VendorConfig, null, ""),
        ["bluetooth"] = (ElementPlace.VendorConfig, null, ""),
        ["wifi"] = (ElementPlace.VendorConfig, null, ""),
    };

    /// <summary>True when <paramref name="model"/>'s series takes <paramref name="element"/>; otherwise the warning says who does.</summary>
    public static bool Takes(PhoneModel model, string element, string file, List<RenderWarning> warnings)
    {
        if (PhoneFamilies.IsRepresentative(model) || !Table.TryGetValue(element, out var entry) || entry.Series is null || entry.Series.Contains(model.Series))
        {
            return true;
        }

        warnings.Add(new RenderWarning(file, element, $"left out: {model.WithArticle} does not take it, only {entry.Who} do (spec beyond-79xx A6)"));
        return false;
    }

    /// <summary>Where <paramref name="element"/> goes in a later series' file.</summary>
    public static ElementPlace PlaceOf(string element) => Table.TryGetValue(element, out var entry) ? entry.Place : ElementPlace.Device;

    /// <summary>
    /// The extras (site's, then the phone's; a later one of the same name replaces an earlier one in place) that
    /// <paramref name="model"/> takes, by place. A 79x1 keeps every one at the end of <c>&lt;device&gt;</c>.
    /// </summary>
    public static ILookup<ElementPlace, ExtraSetting> Route(PhoneModel model, IEnumerable<ExtraSetting> extras, string file, List<RenderWarning> warnings)
    {
        var enterprise = model.Traits.Enterprise;
        var kept = new List<ExtraSetting>();
        foreach (var extra in extras)
        {
            if (!Takes(model, extra.Name, file, warnings))
            {
                continue;
            }

            var at = enterprise ? kept.FindIndex(e => e.Name == extra.Name) : -1;
            if (at >= 0)
            {
                kept[at] = extra;
            }
            else
            {
                kept.Add(extra);
            }
        }

        return kept.ToLookup(e => enterprise ? PlaceOf(e.Name) : ElementPlace.Device);
    }

    /// <summary>
    /// A later series' per-line elements: <c>callWaiting</c> in the series' scale (on), <c>maxNumCalls</c> and
    /// <c>busyTrigger</c> (the phone's settings, else 4 and 2, CUCM's defaults; never above the model's ceiling). A
    /// 79x1 line carries the two only when the phone's settings name them.
    /// </summary>
    public static void AppendLineElements(StringBuilder sb, PhoneModel model, CallLimits limits)
    {
        if (model.Traits.Enterprise)
        {
            sb.Append("        <callWaiting>").Append(model.Traits.OnOff(true)).Append("</callWaiting>\n");
        }

        if (limits.MaxCalls is { } max)
        {
            sb.Append("        <maxNumCalls>").Append(CiscoFileWords.Number(max)).Append("</maxNumCalls>\n");
            sb.Append("        <busyTrigger>").Append(CiscoFileWords.Number(limits.BusyTrigger!.Value)).Append("</busyTrigger>\n");
        }
    }

    /// <summary>
    /// <c>maxNumCalls</c>/<c>busyTrigger</c> for <paramref name="model"/>: a value past the ceiling (spec beyond-79xx A6)
    /// is brought down to it with a warning; a busy trigger above the calls a line may hold is brought down to that.
    /// </summary>
    public static CallLimits Limits(PhoneModel model, PhoneOverrides overrides, string file, List<RenderWarning> warnings)
    {
        if (model.MaxCalls == 0 || (!model.Traits.Enterprise && overrides.MaxCalls is null && overrides.BusyTrigger is null))
        {
            return new CallLimits(null, null);
        }

        var ceiling = model.MaxCalls;
        var max = overrides.MaxCalls ?? Math.Min(4, ceiling);
        if (max > ceiling)
        {
            warnings.Add(new RenderWarning(file, "maxNumCalls", $"max_calls {max} lowered to {ceiling}: {model.WithArticle} line holds at most {ceiling} calls (spec beyond-79xx A6)"));
            max = ceiling;
        }

        var busy = overrides.BusyTrigger ?? Math.Min(2, max);
        if (busy > max)
        {
            warnings.Add(new RenderWarning(file, "busyTrigger", $"busy_trigger {busy} lowered to max_calls {max}"));
            busy = max;
        }

        return new CallLimits(max, busy);
    }

    /// <summary>
    /// A later series' <c>&lt;commonProfile&gt;</c> after <c>phonePassword</c>: <c>backgroundImageAccess</c> on, and
    /// <c>callLogBlfEnabled</c> off in the series' scale (it needs Asterisk hints pushed to the phone, spec B), each
    /// replaced by an admin element of the same name.
    /// </summary>
    public static void AppendCommonProfile(StringBuilder sb, PhoneModel model, IEnumerable<ExtraSetting> extras, string file, List<RenderWarning> warnings)
    {
        var given = extras.ToList();
        var defaults = new[] { new ExtraSetting("backgroundImageAccess", "true"), new ExtraSetting("callLogBlfEnabled", model.Traits.OnOff(false)) };
        foreach (var element in defaults.Select(d => given.FirstOrDefault(g => g.Name == d.Name) ?? d).Concat(given.Where(g => defaults.All(d => d.Name != g.Name))))
        {
            AppendElement(sb, "    ", element, file, warnings);
        }
    }

    /// <summary>
    /// The feature keys after the lines (spec beyond-79xx B, usecallmanager line keys): speed dial <c>featureID</c> 2 and
    /// BLF speed dial 21, each with <c>featureLabel</c> and <c>speedDialNumber</c>, on the buttons after the lines in the
    /// order of their index. A key past the model's buttons is left out with a warning. BLF keys carry no
    /// <c>featureOptionMask</c>: its ringing state and pickup need Asterisk to push state (spec B), which stock Asterisk does not.
    /// </summary>
    public static void AppendFeatureKeys(StringBuilder sb, PhoneModel model, int lines, IReadOnlyList<FeatureKey> keys, string file, List<RenderWarning> warnings)
    {
        var button = lines;
        foreach (var key in keys.OrderBy(k => k.Index))
        {
            var field = $"key.{CiscoFileWords.Number(key.Index)}";
            if (button >= model.LineKeys)
            {
                warnings.Add(new RenderWarning(file, field, $"left out: {FeatureKeys.Refusal(model, lines, keys)}"));
                continue;
            }

            button++;
            sb.Append("      <line button=\"").Append(CiscoFileWords.Number(button)).Append("\">\n");
            sb.Append("        <featureID>").Append(CiscoFileWords.Number((int)key.Kind)).Append("</featureID>\n");
            sb.Append("        <featureLabel>").AppendXml(FieldText.ForXml(key.EffectiveLabel, SepXmlRenderer.LineFieldLimit, file, field + " featureLabel", warnings)).Append("</featureLabel>\n");
            sb.Append("        <speedDialNumber>").AppendXml(key.Number).Append("</speedDialNumber>\n");
            sb.Append("      </line>\n");
        }
    }

    /// <summary>One admin element, indented, its value fitted and escaped; a name that is not an XML name is skipped with a warning.</summary>
    public static void AppendElement(StringBuilder sb, string indent, ExtraSetting element, string file, List<RenderWarning> warnings)
    {
        if (!Escaping.IsXmlName(element.Name))
        {
            warnings.Add(new RenderWarning(file, element.Name, "extra element skipped: not a valid XML element name"));
            return;
        }

        var value = FieldText.ForXml(element.Value, int.MaxValue, file, element.Name, warnings);
        sb.Append(indent).Append('<').Append(element.Name).Append('>').AppendXml(value).Append("</").Append(element.Name).Append(">\n");
    }
}

/// <summary>A line's <c>maxNumCalls</c> and <c>busyTrigger</c>, or nulls when the file leaves them to the phone.</summary>
internal readonly record struct CallLimits(int? MaxCalls, int? BusyTrigger);
