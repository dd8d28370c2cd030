using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Resync;

/// <summary>How hard a phone is asked to re-read its configuration (spec §4).</summary>
public enum ResyncKind
{
    /// <summary>7940/7960: <c>Event: check-sync</c>; the phone compares syncinfo.xml with its sync value and reboots when they differ (§4.2).</summary>
    CheckSync = 0,

    /// <summary>79x1: <c>service-control</c> <c>action=restart</c>, a quick restart that re-reads SEP&lt;MAC&gt;.cnf.xml (§4.1).</summary>
    Restart = 1,

    /// <summary>79x1: <c>service-control</c> <c>action=reset</c>, a full reboot.</summary>
    Reset = 2,
}

/// <summary>A phone whose files changed: what it is and which endpoints (lines) it carries, in button order.</summary>
/// <param name="VersionStamps">The version-stamp lines its service-control body carries (<see cref="ServiceControlStamps"/>).</param>
public sealed record ResyncTarget(MacAddress Mac, PhoneFamily Family, IReadOnlyList<string> Endpoints, int VersionStamps = ServiceControlStamps.Full);

/// <summary>A registered contact of an endpoint as Asterisk reports it.</summary>
/// <param name="CallId">The Call-ID of the phone's REGISTER (a 79x1 service-control NOTIFY must repeat it); null for a static contact.</param>
/// <param name="Status">ContactStatus: Reachable, NonQualified, Unknown, Created, Unreachable, Removed.</param>
/// <param name="Uri">The contact URI (where a PJSIPNotify <c>URI:</c> reaches the phone once its endpoint is gone).</param>
/// <param name="ExpiresAt">When its registration expires as Asterisk last listed it; a REGISTER from the same URI moves it.</param>
public sealed record ResyncContact(string Endpoint, string? CallId, string? Status, string? Uri = null, DateTimeOffset? ExpiresAt = null)
{
    /// <summary>True for a contact a REGISTER made (it has a Call-ID); a static <c>contact=</c> has none.</summary>
    public bool IsRegistered => !string.IsNullOrEmpty(CallId);

    /// <summary>
    /// Whether a NOTIFY can reach it. PJSIPNotify answers Success even for an endpoint without a
    /// contact and sends nothing (fixture pjsipnotify-errors), so the bridge decides itself.
    /// </summary>
    public bool IsLive => Status is not ("Unreachable" or "Removed");
}

/// <summary>One NOTIFY to send through AMI <c>PJSIPNotify</c>, at <see cref="Due"/> after the plan starts.</summary>
public sealed record NotifyOrder(MacAddress Mac, string Endpoint, ResyncKind Kind, IReadOnlyList<string> Variables, TimeSpan Due)
{
    /// <summary>The SIP event package, for the notify log.</summary>
    public string Event => ResyncNotify.EventPackage(Kind);

    /// <summary>
    /// Set when <see cref="Endpoint"/> is gone from Asterisk: the phone's last known contact, which the
    /// NOTIFY is sent to (<c>URI:</c> instead of <c>Endpoint:</c>) so it drops the old lines now.
    /// </summary>
    public string? Uri { get; init; }

    /// <summary>The phone's registrations when the NOTIFY was planned: one not among them, or one refreshed since, afterwards is the phone coming back.</summary>
    public IReadOnlyList<ResyncRegistration> Registrations { get; init; } = [];
}

/// <summary>
/// One registration of a phone as recorded before it was told (<see cref="ResyncProofRule"/> compares the
/// contacts after its fetch with these).
/// </summary>
/// <param name="CallId">The Call-ID of the REGISTER that made it.</param>
/// <param name="Uri">Its contact URI; null when only the Call-ID was recorded.</param>
/// <param name="ExpiresAt">When it expired as then listed; null when unknown.</param>
public sealed record ResyncRegistration(string CallId, string? Uri = null, DateTimeOffset? ExpiresAt = null);

/// <summary>What to send now, staggered, and which phones wait for their contact to come back.</summary>
public sealed record ResyncPlan(IReadOnlyList<NotifyOrder> Orders, IReadOnlyList<MacAddress> Waiting);

/// <summary>
/// Decides which NOTIFY each changed phone gets and when. Pure: contacts and the stagger are
/// inputs. Sends are spread <c>interval</c> apart so a reload never makes a boot storm.
/// </summary>
public static class ResyncPlanner
{
    /// <summary>The contacts of <paramref name="contacts"/> that a REGISTER made, as registrations, distinct, in order.</summary>
    public static IReadOnlyList<ResyncRegistration> Registrations(IEnumerable<ResyncContact> contacts) =>
        [.. contacts.Where(c => c.IsRegistered).Select(c => new ResyncRegistration(c.CallId!, c.Uri, c.ExpiresAt)).Distinct()];

    /// <summary>
    /// When to try again after Asterisk answered a NOTIFY with <c>Response: Error</c> for the
    /// <paramref name="refusals"/>-th time, or null when that was the last of <paramref name="tries"/>
    /// (the phone is then stale). The wait doubles from <paramref name="firstDelay"/>: 10 s, 20 s, 40 s…
    /// </summary>
    public static TimeSpan? RetryAfterRefusal(int refusals, int tries, TimeSpan firstDelay) =>
        refusals >= tries ? null : firstDelay * Math.Pow(2, Math.Max(0, refusals - 1));

    /// <summary>The first step of the family's escalation ladder (check-sync for 79x0, restart for 79x1).</summary>
    public static ResyncKind FirstStep(PhoneFamily family) => family == PhoneFamily.Sip79x0 ? ResyncKind.CheckSync : ResyncKind.Restart;

    /// <summary>
    /// The next rung when a NOTIFY brought no fetch before its deadline, or null to give up (the
    /// phone is then stale). 79x1: restart, then reset (a full reboot). 7940/7960 know only
    /// check-sync: it is tried twice (the first may have met a phone busy in a call, §4.2).
    /// </summary>
    public static ResyncKind? NextStep(ResyncKind failed, int attempt) => failed switch
    {
        ResyncKind.CheckSync when attempt < 2 => ResyncKind.CheckSync,
        ResyncKind.Restart => ResyncKind.Reset,
        _ => null,
    };

    /// <summary>The first contact a NOTIFY of <paramref name="kind"/> can go to: a live one; for service-control also registered (its Call-ID is named).</summary>
    public static ResyncContact? ReachableContact(ResyncKind kind, IEnumerable<ResyncContact> contacts) =>
        contacts.FirstOrDefault(c => c.IsLive && (kind == ResyncKind.CheckSync || c.IsRegistered));

    /// <summary>
    /// The NOTIFY for a phone none of whose endpoints Asterisk has any more, sent to its last contact
    /// <paramref name="uri"/> (<c>URI:</c>) so it reads its files, now without those lines, at once; null when its
    /// family's first rung names a registration and no Call-ID was kept for that contact.
    /// </summary>
    public static NotifyOrder? ToLastContact(MacAddress mac, PhoneFamily? family, string endpoint, string uri, string? callId, int versionStamps = ServiceControlStamps.Full)
    {
        var kind = FirstStep(family ?? PhoneFamily.Sip79x0);
        if (kind != ResyncKind.CheckSync && string.IsNullOrEmpty(callId))
        {
            return null;
        }

        return new NotifyOrder(mac, endpoint, kind, ResyncNotify.Variables(kind, callId, versionStamps), TimeSpan.Zero)
        {
            Uri = uri,
            Registrations = callId is not null ? [new ResyncRegistration(callId, uri)] : [],
        };
    }

    /// <summary>
    /// Plans one NOTIFY per phone, to the first of its endpoints (in button order) with a live
    /// contact; a 79x1 also needs that contact's Call-ID. Phones with no such contact wait.
    /// </summary>
    public static ResyncPlan Plan(IReadOnlyList<ResyncTarget> targets, Func<string, IReadOnlyList<ResyncContact>> contactsOf, TimeSpan interval)
    {
        var orders = new List<NotifyOrder>();
        var waiting = new List<MacAddress>();
        foreach (var target in targets.OrderBy(t => t.Mac.Value, StringComparer.Ordinal))
        {
            var kind = FirstStep(target.Family);
            var chosen = ReachableContact(kind, target.Endpoints.SelectMany(contactsOf));
            if (chosen is null)
            {
                waiting.Add(target.Mac);
                continue;
            }

            orders.Add(new NotifyOrder(target.Mac, chosen.Endpoint, kind, ResyncNotify.Variables(kind, chosen.CallId, target.VersionStamps), interval * orders.Count)
            {
                Registrations = Registrations(target.Endpoints.SelectMany(contactsOf)),
            });
        }

        return new ResyncPlan(orders, waiting);
    }
}
