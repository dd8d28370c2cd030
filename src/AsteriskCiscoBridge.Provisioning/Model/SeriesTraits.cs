namespace AsteriskCiscoBridge.Provisioning.Model;

/// <summary>
/// How a series writes the fields <c>anonymousCallBlock</c>, <c>callerIdBlocking</c>, <c>callWaiting</c> and
/// <c>callLogBlfEnabled</c> (spec beyond-79xx A6).
/// </summary>
public enum FieldStates
{
    /// <summary>7900: 0 off, 1 on (user may change), 2 off, 3 on (user may not change).</summary>
    Four = 0,

    /// <summary>6900, 8900, 9900: 0 or 1 off, 2 or 3 on. A 79xx "1" means off here.</summary>
    Paired = 1,

    /// <summary>7800, 8800: 0 off, 1 on.</summary>
    Two = 2,
}

/// <summary>What one series takes beyond the common SEP&lt;MAC&gt;.cnf.xml schema (spec beyond-79xx A6, B).</summary>
/// <param name="Key">The series as configuration names it (<c>Resync:VersionStamps:88xx</c>): 79x0, 79x1, 78xx, 88xx, 89xx, 99xx, 69xx.</param>
/// <param name="Title">For people: <c>7800 series</c>.</param>
/// <param name="Enterprise">A series after the 79xx: its lines carry <c>callWaiting</c>, <c>maxNumCalls</c> and <c>busyTrigger</c>, its file names the transport.</param>
/// <param name="FeatureKeys">Line buttons after the lines may be speed dials (featureID 2) and BLF speed dials (featureID 21).</param>
/// <param name="VersionStamps">
/// The version-stamp lines of a service-control NOTIFY body by default (<see cref="Resync.ResyncPlanner"/>). The
/// usecallmanager patch sends four (Config, Dialplan, Softkey, FeatureControl) to every series; one report of a
/// CP-8861 on 14.1.1 answers that body 400 Bad Request and reboots on the first three. The 7800 and 8800 run the
/// same enterprise firmware line, so both default to three; the 79x1, 6900, 8900 and 9900 (9.x Java loads, like the
/// 79x1's) keep the patch's four. <c>Resync:VersionStamps:SERIES</c> replaces it.
/// </param>
public sealed record SeriesTraits(PhoneSeries Series, string Key, string Title, FieldStates States, bool Enterprise, bool FeatureKeys, int VersionStamps)
{
    private static readonly SeriesTraits[] Table =
    [
        new(PhoneSeries.Cisco79x0, "79x0", "7940/7960", FieldStates.Four, Enterprise: false, FeatureKeys: false, VersionStamps: 0),
        new(PhoneSeries.Cisco79x1, "79x1", "7900 series", FieldStates.Four, Enterprise: false, FeatureKeys: true, VersionStamps: 4),
        new(PhoneSeries.Cisco78xx, "78xx", "7800 series", FieldStates.Two, Enterprise: true, FeatureKeys: true, VersionStamps: 3),
        new(PhoneSeries.Cisco88xx, "88xx", "8800 series", FieldStates.Two, Enterprise: true, FeatureKeys: true, VersionStamps: 3),
        new(PhoneSeries.Cisco89xx, "89xx", "8900 series", FieldStates.Paired, Enterprise: true, FeatureKeys: true, VersionStamps: 4),
        new(PhoneSeries.Cisco99xx, "99xx", "9900 series and 8961", FieldStates.Paired, Enterprise: true, FeatureKeys: true, VersionStamps: 4),
        new(PhoneSeries.Cisco69xx, "69xx", "6900 series", FieldStates.Paired, Enterprise: true, FeatureKeys: true, VersionStamps: 4),
    ];

    /// <summary>Every series, in enum order.</summary>
    public static IReadOnlyList<SeriesTraits> All => Table;

    public static SeriesTraits Of(PhoneSeries series) => Table[(int)series];

    /// <summary>The series a configuration key names (<c>88xx</c>, any case), or null.</summary>
    public static SeriesTraits? FindKey(string? key) =>
        Table.FirstOrDefault(t => string.Equals(t.Key, key?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The value of an on/off field in this series' scale. On is 1 for the 7900 (user may change it) and the 7800/8800,
    /// 3 for the 6900/8900/9900: 3 is "on" on both the four-state and the paired scale, where a 79xx-style 1 would be off.
    /// </summary>
    public string OnOff(bool on) => (States, on) switch
    {
        (_, false) => "0",
        (FieldStates.Paired, true) => "3",
        _ => "1",
    };
}
