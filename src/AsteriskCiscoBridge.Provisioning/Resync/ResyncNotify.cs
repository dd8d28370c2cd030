namespace AsteriskCiscoBridge.Provisioning.Resync;

/// <summary>
/// The text of a resync NOTIFY, in one place: its SIP event package, its <c>PJSIPNotify</c>
/// <c>Variable:</c> lines (event and body, spec §4.4), and the word for each rung (<see cref="ResyncKind"/>)
/// as the queue stores it and the CLI shows it. Pure.
/// </summary>
public static class ResyncNotify
{
    /// <summary>The event package of 7940/7960 NOTIFYs (§4.2).</summary>
    public const string CheckSync = "check-sync";

    /// <summary>The event package of 79x1 and later NOTIFYs (§4.1).</summary>
    public const string ServiceControl = "service-control";

    private const string ZeroStamp = "{00000000-0000-0000-0000-000000000000}";

    // The body's version-stamp lines, in the usecallmanager patch's order (spec beyond-79xx A5).
    private static readonly string[] StampLines =
    [
        $"Content=ConfigVersionStamp={ZeroStamp}",
        $"Content=DialplanVersionStamp={ZeroStamp}",
        $"Content=SoftkeyVersionStamp={ZeroStamp}",
        $"Content=FeatureControlVersionStamp={ZeroStamp}",
    ];

    /// <summary>The SIP event package of a rung: <c>check-sync</c> or <c>service-control</c>.</summary>
    public static string EventPackage(ResyncKind kind) => kind == ResyncKind.CheckSync ? CheckSync : ServiceControl;

    /// <summary>The event package of the last NOTIFY sent, for the notify log; <c>none</c> for a phone never sent one (it fetched on its own).</summary>
    public static string EventPackage(ResyncKind? lastSent) => lastSent is { } kind ? EventPackage(kind) : "none";

    /// <summary>The rung's word: <c>check-sync</c>, <c>restart</c> or <c>reset</c>.</summary>
    public static string KindName(ResyncKind kind) => kind switch
    {
        ResyncKind.CheckSync => CheckSync,
        ResyncKind.Reset => "reset",
        _ => "restart",
    };

    /// <summary>The rung a word names, or null for a word that names none.</summary>
    public static ResyncKind? ParseKind(string? name) => name switch
    {
        CheckSync => ResyncKind.CheckSync,
        "restart" => ResyncKind.Restart,
        "reset" => ResyncKind.Reset,
        _ => null,
    };

    /// <summary>What an admin reads for an order: <c>check-sync</c>, <c>service-control restart</c>, <c>service-control reset</c>.</summary>
    public static string Describe(ResyncKind kind) => kind == ResyncKind.CheckSync ? CheckSync : $"{ServiceControl} {KindName(kind)}";

    /// <summary>
    /// The <c>Variable:</c> lines of PJSIPNotify (spec §4.4): 7940/7960 <c>Event=check-sync</c>;
    /// 79x1 a <c>service-control</c> body built at run time, because only then is the Call-ID of
    /// the phone's registration known (a static pjsip_notify.conf section cannot carry it). The body
    /// carries the first <paramref name="versionStamps"/> version-stamp lines (0–4) its series takes.
    /// </summary>
    public static IReadOnlyList<string> Variables(ResyncKind kind, string? registerCallId, int versionStamps = ServiceControlStamps.Full) => kind switch
    {
        ResyncKind.CheckSync => ["Event=" + CheckSync],
        _ =>
        [
            "Event=" + ServiceControl,
            "Subscription-State=active",
            "Content-Type=text/plain",
            kind == ResyncKind.Reset ? "Content=action=reset" : "Content=action=restart",
            $"Content=RegisterCallId={{{registerCallId}}}",
            .. StampLines.Take(Math.Clamp(versionStamps, 0, StampLines.Length)),
        ],
    };
}
