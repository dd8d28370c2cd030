using System.Globalization;
using System.Text;

namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>
/// A Cisco load version, <c>major.minor(maintenance)</c> with an optional release qualifier
/// (<c>SR3</c>, <c>ES9</c>), build and suffix: <c>9-4-2SR3-1S</c> is 9.4(2)SR3-1, <c>P0S3-08-12-00</c> is 8.12(0),
/// <c>P00308010200</c> is 8.1(2) build 0, <c>P0030801SR02</c> is 8.1(SR2) (spec §3.1). The later series' loads carry a
/// second build number: <c>sip88xx.14-2-1-0001-131</c> is 14.2(1)-1-131 (<see cref="Build2"/>, spec beyond-79xx A3).
/// </summary>
/// <remarks>
/// Ordering: major, minor, maintenance, release number, build, second build, then the suffix. A service release
/// written without a maintenance number (8.1(SR2)) comes after every 8.1(n): Cisco published 8.1(SR.n)
/// after 8.1(2) (spec §3.1 names <c>P0030801SR02</c> as 8.1(2)SR2).
/// </remarks>
public sealed record LoadVersion(int Major, int Minor, int? Maintenance, string Qualifier = "", int Release = 0, int Build = 0, string Suffix = "", int Build2 = 0)
    : IComparable<LoadVersion>
{
    public int CompareTo(LoadVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = Major.CompareTo(other.Major);
        if (c == 0)
        {
            c = Minor.CompareTo(other.Minor);
        }

        if (c == 0)
        {
            c = (Maintenance ?? int.MaxValue).CompareTo(other.Maintenance ?? int.MaxValue);
        }

        if (c == 0)
        {
            c = Release.CompareTo(other.Release);
        }

        if (c == 0)
        {
            c = Build.CompareTo(other.Build);
        }

        if (c == 0)
        {
            c = Build2.CompareTo(other.Build2);
        }

        return c != 0 ? c : string.CompareOrdinal(Suffix.ToUpperInvariant(), other.Suffix.ToUpperInvariant());
    }

    public static bool operator <(LoadVersion left, LoadVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(LoadVersion left, LoadVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(LoadVersion left, LoadVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(LoadVersion left, LoadVersion right) => left.CompareTo(right) >= 0;

    /// <summary>
    /// True when this version belongs to the release <paramref name="release"/> names: same major and minor,
    /// and the same maintenance number when <paramref name="release"/> has one (8.5(2) matches 8.5(2)SR1-1S;
    /// 3.1 matches 3.1(1.2)).
    /// </summary>
    public bool IsInRelease(LoadVersion release) =>
        Major == release.Major && Minor == release.Minor && (release.Maintenance is null || Maintenance == release.Maintenance);

    /// <summary>Reads the form this type prints, e.g. <c>8.5(2)</c>, <c>9.4(2)SR3</c>, <c>8.12(0)</c>, <c>3.1</c>.</summary>
    public static bool TryParse(string? text, out LoadVersion version)
    {
        version = new LoadVersion(0, 0, 0);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var match = Patterns.DisplayVersion().Match(text.Trim());
        if (!match.Success
            || !TryInt(match.Groups["major"].Value, out var major)
            || !TryInt(match.Groups["minor"].Value, out var minor))
        {
            return false;
        }

        int? maintenance = null;
        if (match.Groups["maint"].Success)
        {
            if (!TryInt(match.Groups["maint"].Value, out var m))
            {
                return false;
            }

            maintenance = m;
        }

        var release = 0;
        if (match.Groups["rel"].Success && !TryInt(match.Groups["rel"].Value, out release))
        {
            return false;
        }

        var build = 0;
        if (match.Groups["build"].Success && !TryInt(match.Groups["build"].Value, out build))
        {
            return false;
        }

        version = new LoadVersion(major, minor, maintenance, match.Groups["qual"].Value.ToUpperInvariant(), release, build);
        return true;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
        if (Maintenance is { } m)
        {
            text.Append(CultureInfo.InvariantCulture, $"({m})");
        }

        if (Qualifier.Length > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Qualifier}{Release}");
        }

        if (Build != 0 || Build2 != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"-{Build}");
        }

        if (Build2 != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"-{Build2}");
        }

        return text.ToString();
    }

    internal static bool TryInt(string digits, out int value) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value < 100_000;
}
