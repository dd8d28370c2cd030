using System.Collections.Immutable;

namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>
/// One step of an upgrade staircase, as data: a phone of <see cref="Generation"/> (and <see cref="FamilyCode"/>
/// when set) running a load of <see cref="RunningProtocol"/> (any when null) older than <see cref="RunningBelow"/>
/// cannot go straight to a target of <see cref="TargetProtocol"/> (any when null) at or above
/// <see cref="TargetAtLeast"/>: it must first run a load of release <see cref="Hop"/> (protocol
/// <see cref="HopProtocol"/>, or the target's when null). <see cref="Reason"/> cites where the rule comes from.
/// Thresholds are versions with a maintenance number (<c>5.0(0)</c>); <see cref="Hop"/> is a release, where a
/// missing maintenance number matches any (<c>3.1</c> matches <c>3.1(1.2)</c>).
/// </summary>
public sealed record StaircaseRule(
    string Id,
    LoadGeneration Generation,
    LoadProtocol? RunningProtocol,
    LoadVersion RunningBelow,
    LoadProtocol? TargetProtocol,
    LoadVersion TargetAtLeast,
    LoadProtocol? HopProtocol,
    LoadVersion Hop,
    string Reason,
    string? FamilyCode = null)
{
    /// <summary>True when a phone on <paramref name="running"/> heading for <paramref name="target"/> must take this step first.</summary>
    public bool Applies(LoadName running, LoadName target) =>
        running.Family.Generation == Generation
        && (FamilyCode is null || running.Family.Code == FamilyCode)
        && (RunningProtocol is null || running.Protocol == RunningProtocol)
        && (TargetProtocol is null || target.Protocol == TargetProtocol)
        && running.Version < RunningBelow
        && target.Version >= TargetAtLeast
        && !target.Version.IsInRelease(Hop);

    /// <summary>True for a catalog load that can serve as this rule's hop toward <paramref name="target"/>.</summary>
    public bool IsHop(LoadName candidate, LoadName target) =>
        candidate.Family.SameAs(target.Family)
        && candidate.Protocol == (HopProtocol ?? target.Protocol)
        && candidate.Version.IsInRelease(Hop);

    public override string ToString() => $"{Id}: {Reason}";

    /// <summary>
    /// Reads a rule written in one line, the form a site puts in its configuration:
    /// <c>ID: GENERATION[/CODE] [PROTOCOL] below VERSION to [PROTOCOL] VERSION+ via [PROTOCOL] RELEASE</c>, e.g.
    /// <c>lab-8.5: 79x1/41 sip below 8.3(3) to 8.5(3)+ via 8.5(2)</c> or
    /// <c>old-sccp: 79x0 sccp below 5.0(0) to sip 7.0(0)+ via sccp 8.1(2)</c>. Total: bad text gives a reason.
    /// </summary>
    public static bool TryParse(string? text, out StaircaseRule rule, out string reason)
    {
        rule = null!;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 300)
        {
            reason = "a rule is one line of at most 300 characters";
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            reason = $"'{text}' does not start with 'ID:'";
            return false;
        }

        var id = text[..colon].Trim();
        var words = new Queue<string>(text[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        reason = $"rule '{id}': expected 'GENERATION [PROTOCOL] below VERSION to [PROTOCOL] VERSION+ via [PROTOCOL] RELEASE'";
        if (!words.TryDequeue(out var generationWord))
        {
            return false;
        }

        var slash = generationWord.IndexOf('/', StringComparison.Ordinal);
        var code = slash < 0 ? null : generationWord[(slash + 1)..];
        LoadGeneration generation;
        switch ((slash < 0 ? generationWord : generationWord[..slash]).ToLowerInvariant())
        {
            case "79x0":
                generation = LoadGeneration.Classic;
                break;
            case "79x1":
                generation = LoadGeneration.Java;
                break;
            case "enterprise":
                // The later series: enterprise/88xx sip below 12.0(1) to 14.0(1)+ via 12.8(1).
                generation = LoadGeneration.Enterprise;
                code = code?.ToLowerInvariant();
                break;
            default:
                reason = $"rule '{id}': generation '{generationWord}' is not 79x0, 79x1[/CODE] or enterprise[/CODE]";
                return false;
        }

        var runningProtocol = TakeProtocol(words);
        if (!Expect(words, "below") || !TakeVersion(words, out var below, plus: false) || !Expect(words, "to"))
        {
            return false;
        }

        var targetProtocol = TakeProtocol(words);
        if (!TakeVersion(words, out var atLeast, plus: true) || !Expect(words, "via"))
        {
            return false;
        }

        var hopProtocol = TakeProtocol(words);
        if (!TakeVersion(words, out var hop, plus: false) || words.Count > 0)
        {
            return false;
        }

        rule = new StaircaseRule(id, generation, runningProtocol, below, targetProtocol, atLeast, hopProtocol, hop, $"site rule {id}: {text[(colon + 1)..].Trim()}", code);
        reason = string.Empty;
        return true;
    }

    private static LoadProtocol? TakeProtocol(Queue<string> words)
    {
        LoadProtocol? protocol = words.TryPeek(out var word) ? word.ToLowerInvariant() switch
        {
            "sip" => LoadProtocol.Sip,
            "sccp" => LoadProtocol.Sccp,
            "mgcp" => LoadProtocol.Mgcp,
            _ => null,
        } : null;
        if (protocol is not null)
        {
            words.Dequeue();
        }

        return protocol;
    }

    private static bool Expect(Queue<string> words, string keyword) =>
        words.TryDequeue(out var word) && word.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    private static bool TakeVersion(Queue<string> words, out LoadVersion version, bool plus)
    {
        version = null!;
        if (!words.TryDequeue(out var word) || (plus && !word.EndsWith('+')))
        {
            return false;
        }

        return LoadVersion.TryParse(plus ? word[..^1] : word, out version);
    }
}

/// <summary>The staircase rules built in from the spec; a site passes its own list to the planner to change them.</summary>
public static class StaircaseRules
{
    public static ImmutableArray<StaircaseRule> BuiltIn { get; } =
    [
        // Spec §3.4 (Wazo [S4]): 79x1 firmware older than 8.3(3) cannot go straight past 8.5(2) (reboot loop);
        // upgrade to 8.5(2) first, then 9.x.
        new(
            "79x1-8.5(2)",
            LoadGeneration.Java,
            RunningProtocol: null,
            RunningBelow: V("8.3(3)"),
            TargetProtocol: null,
            TargetAtLeast: V("8.5(3)"),
            HopProtocol: null,
            Hop: V("8.5(2)"),
            "79x1 loads older than 8.3(3) pass through 8.5(2) before later loads (spec §3.4)"),

        // Spec §3.4 ([S6]): very old 7940/7960 SIP (2.1 or earlier) needs an intermediate step to reach 4.x+;
        // the seed guide steps 2.2 → 3.0 → 4.4. The 3.0 release as the hop is the seed's choice.
        new(
            "79x0-sip-3.0",
            LoadGeneration.Classic,
            RunningProtocol: LoadProtocol.Sip,
            RunningBelow: V("2.2(0)"),
            TargetProtocol: LoadProtocol.Sip,
            TargetAtLeast: V("4.0(0)"),
            HopProtocol: LoadProtocol.Sip,
            Hop: V("3.0"),
            "7940/7960 SIP 2.1 or earlier steps through SIP 3.0 before 4.x (spec §3.4)"),

        // Spec §3.4 (seed guide; UNCERTAIN): a very old SCCP load steps through 3.1 before 5.x.
        new(
            "79x0-sccp-3.1",
            LoadGeneration.Classic,
            RunningProtocol: LoadProtocol.Sccp,
            RunningBelow: V("3.1(0)"),
            TargetProtocol: null,
            TargetAtLeast: V("5.0(0)"),
            HopProtocol: LoadProtocol.Sccp,
            Hop: V("3.1"),
            "7940/7960 SCCP older than 3.1 steps through SCCP 3.1 (spec §3.4, seed guide; uncertain)"),

        // Spec §3.4 (seed guide; UNCERTAIN): SCCP older than 5.0 steps through SCCP 5.0(5) before 8.x.
        new(
            "79x0-sccp-5.0",
            LoadGeneration.Classic,
            RunningProtocol: LoadProtocol.Sccp,
            RunningBelow: V("5.0(0)"),
            TargetProtocol: null,
            TargetAtLeast: V("6.0(0)"),
            HopProtocol: LoadProtocol.Sccp,
            Hop: V("5.0"),
            "7940/7960 SCCP older than 5.0 steps through SCCP 5.0 (spec §3.4, seed guide; uncertain)"),

        // Spec §3.4 (Cisco doc 5455 [S1], [S7][S8], [S13]): signed 7.x+ images need the universal application
        // loader already on the phone; SCCP 5.x or older reaching SIP 7.x+ steps through SCCP 8.1(2)
        // (P00308010200, the spec's one concrete hop) first.
        new(
            "79x0-sccp-to-sip-8.1(2)",
            LoadGeneration.Classic,
            RunningProtocol: LoadProtocol.Sccp,
            RunningBelow: V("6.0(0)"),
            TargetProtocol: LoadProtocol.Sip,
            TargetAtLeast: V("7.0(0)"),
            HopProtocol: LoadProtocol.Sccp,
            Hop: V("8.1(2)"),
            "7940/7960 SCCP 5.x or older reaches SIP 7.x+ through SCCP 8.1(2), which brings the universal loader (spec §3.4)"),

        // Spec §1.4 and §3.4: a 7940/7960 on MGCP leaves MGCP by OS79XX.TXT; SIP 7.x+ is signed, so it goes
        // through SCCP 8.1(2) like an old SCCP phone unless it already runs MGCP 7.x or later (seed guide: MGCP 7.0 → SCCP).
        new(
            "79x0-mgcp-8.1(2)",
            LoadGeneration.Classic,
            RunningProtocol: LoadProtocol.Mgcp,
            RunningBelow: V("7.0(0)"),
            TargetProtocol: LoadProtocol.Sip,
            TargetAtLeast: V("7.0(0)"),
            HopProtocol: LoadProtocol.Sccp,
            Hop: V("8.1(2)"),
            "7940/7960 MGCP older than 7.0 reaches SIP 7.x+ through SCCP 8.1(2) (spec §1.4, §3.4)"),
    ];

    private static LoadVersion V(string text) =>
        LoadVersion.TryParse(text, out var version) ? version : throw new InvalidOperationException($"built-in version '{text}' does not parse");
}
