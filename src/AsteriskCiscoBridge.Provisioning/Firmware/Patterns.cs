using System.Text.RegularExpressions;

namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>The load-name grammars of spec §3.1, anchored and bounded (names are short), so matching is cheap on any input.</summary>
internal static partial class Patterns
{
    // 7940/7960 current form: P0S3-08-12-00 (SIP), P003-08-12-00 (SCCP), P0M3-07-7-00 (MGCP).
    [GeneratedRegex(@"^P0(?<p>[0SM])3-(?<major>\d{1,2})-(?<minor>\d{1,2})-(?<maint>\d{1,2})(?<suffix>[A-Z][A-Z0-9]{0,15})?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex Classic();

    // 7940/7960 compact form: P00308010200 = 8.1(2) build 0.
    [GeneratedRegex(@"^P0(?<p>[0SM])3(?<major>\d{2})(?<minor>\d{2})(?<maint>\d{2})(?<build>\d{2})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex ClassicCompact();

    // 7940/7960 compact with a release or other tag: P0030801SR02 = 8.1(SR2), P0030702T023.
    [GeneratedRegex(@"^P0(?<p>[0SM])3(?<major>\d{2})(?<minor>\d{2})(?:(?<qual>SR|ES)(?<rel>\d{1,3})|(?<suffix>[A-Z][A-Z0-9]{0,7}))$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex ClassicTagged();

    // 7940/7960 early form: P0S30202 (SIP 2.2), P003xxyy.
    [GeneratedRegex(@"^P0(?<p>[0SM])3(?<major>\d{2})(?<minor>\d{2})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex ClassicEarly();

    // 79x1 family: SIP41.9-4-2SR3-1S, SCCP42.9-3-1-1S, SIP11.9-4-2ES9, sip.9-3-1SR4-1 (no family code).
    [GeneratedRegex(@"^(?<p>SIP|SCCP)(?<code>\d{2})?\.(?<major>\d{1,2})-(?<minor>\d{1,2})-(?<maint>\d{1,2})(?:(?<qual>[A-Z]{2})(?<rel>\d{1,3}))?(?:-(?<build>\d{1,3}))?(?<suffix>[A-Z]{0,4})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex Java();

    // The series after the 79xx (spec beyond-79xx A3): sip78xx.14-2-1-0101-26, sip88xx.11-2-3MSR1-1, sip8845_65.12-7-1-0001-393,
    // SIP8941_8945.9-3-1-18, SCCP894x.9-2-2-0, sip9971.9-4-2SR4-1, sip8961.9-4-1-9, SIP69xx.9-4-1-3SR3. The family code is four
    // characters (digits, or digits then "xx"/"x") with an optional "_NN" or "_NNNN" tail; the version is major-minor-maintenance,
    // an optional release tag (SR2, MSR1), up to two build numbers, and a release tag after the first build (69xx).
    [GeneratedRegex(@"^(?<p>SIP|SCCP)(?<code>\d{2}(?:\d{2}|\dx|xx)(?:_\d{2}(?:\d{2})?)?)\.(?<major>\d{1,2})-(?<minor>\d{1,2})-(?<maint>\d{1,2})(?:(?<qual>[A-Z]{1,4}?)(?<rel>\d{1,3}))?(?:-(?<build>\d{1,4})(?:(?<qual2>[A-Z]{1,4}?)(?<rel2>\d{1,3}))?)?(?:-(?<build2>\d{1,4}))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex Enterprise();

    // The printed form of LoadVersion: 8.5(2), 9.4(2)SR3-1, 3.1.
    [GeneratedRegex(@"^(?<major>\d{1,3})\.(?<minor>\d{1,3})(?:\((?<maint>\d{1,3})\))?(?:(?<qual>[A-Z]{2})(?<rel>\d{1,3}))?(?:-(?<build>\d{1,3}))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex DisplayVersion();

    // termNN.default.loads: the per-model default load a phone fetches after a soft factory reset (spec §1.5 item 7).
    [GeneratedRegex(@"^term(?<code>\d{2})\.default\.loads$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex TermDefault();

    // The first model number in a model string: CP-7961G-GE → 7961, Cisco-CP8865NR → 8865.
    [GeneratedRegex(@"(?<!\d)(?<n>(?:79|78|88|89|99|69)\d{2})(?!\d)", RegexOptions.CultureInvariant)]
    internal static partial Regex ModelNumber();

    // CUCM's load records in a .cop: load307.txt (spec §3.3).
    [GeneratedRegex(@"^load\d+\.txt$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex CucmLoadRecord();

    // A 79x1 load's files by the family or model code they carry (spec §3.2): SIP41.9-4-2SR3-1S.loads, SCCP45.…,
    // jar41sip.9-…sbn, cvm41sccp…, apps41.…, dsp41.…, cnu41.…; the protocol where the name says it.
    [GeneratedRegex(@"^(?:(?<p>SIP|SCCP)(?<code>\d\d)\.|(?:jar|cvm)(?<code>\d\d)(?<p>sip|sccp)|(?:apps|dsp|cnu)(?<code>\d\d)\.)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex JavaFileCode();

    // The start of a 7940/7960 load or image name, whatever follows: P0S3…, P003…, P0M3…; the third character is the protocol.
    [GeneratedRegex(@"^P0(?<p>[0SM])3", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex ClassicPrefix();
}
