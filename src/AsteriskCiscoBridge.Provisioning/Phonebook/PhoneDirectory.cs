using System.Collections.Immutable;
using System.Text;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Provisioning.Phonebook;

/// <summary>One endpoint as the directory reads it, with no AMI type in sight.</summary>
/// <param name="Endpoint">The endpoint's name.</param>
/// <param name="Name">Its caller-id name, when it has one.</param>
/// <param name="Number">Its caller-id number, when it has one.</param>
/// <param name="Listed">The value of its <c>set_var=ACB_DIRECTORY</c>, when set.</param>
public sealed record DirectoryListing(string Endpoint, string? Name, string? Number, string? Listed = null);

/// <summary>One entry: the name and number shown, and the name folded for matching (lower case, accents off).</summary>
public sealed record DirectoryEntry(string Name, string Number, string Folded);

/// <summary>One page of a search: its entries, its place, and how many matched.</summary>
/// <param name="Page">1-based; a page past the end is the last page.</param>
public sealed record DirectoryPage(ImmutableArray<DirectoryEntry> Entries, int Page, int Pages, int Matches);

/// <summary>
/// The phone directory read from Asterisk (spec beyond-79xx C): every endpoint's caller-id name and number, sorted by
/// name, searchable by name or number, paged by at most <see cref="PageSize"/> (the most DirectoryEntry objects one
/// CiscoIPPhoneDirectory holds). Immutable: a new snapshot makes a new directory. Pure.
/// </summary>
/// <remarks>
/// An endpoint is listed with its caller-id number, or its own name when that is all digits (a dialable extension); one
/// with neither (a trunk, <c>notify-out</c>) or with <c>set_var=ACB_DIRECTORY=no</c> (also <c>false</c>, <c>0</c>, <c>off</c>)
/// is left out. The name is the caller-id name, else the endpoint's. Names match in any case and without accents
/// (<c>zoe</c> finds Zoë); numbers match on any run of their digits.
/// </remarks>
public sealed class PhoneDirectory
{
    /// <summary>Spec beyond-79xx C: at most 32 DirectoryEntry objects per CiscoIPPhoneDirectory.</summary>
    public const int PageSize = 32;

    /// <summary>The set_var that leaves an endpoint out of the directory when it is <c>no</c>.</summary>
    public const string Variable = "ACB_DIRECTORY";

    private PhoneDirectory(ImmutableArray<DirectoryEntry> entries) => Entries = entries;

    public static PhoneDirectory Empty { get; } = new([]);

    /// <summary>Every entry, sorted by folded name, then name, then number.</summary>
    public ImmutableArray<DirectoryEntry> Entries { get; }

    public static PhoneDirectory Build(IEnumerable<DirectoryListing> listings)
    {
        var entries = new List<DirectoryEntry>();
        foreach (var listing in listings)
        {
            if (IsHidden(listing.Listed))
            {
                continue;
            }

            var number = !string.IsNullOrWhiteSpace(listing.Number) ? listing.Number.Trim()
                : listing.Endpoint.Length > 0 && listing.Endpoint.All(char.IsAsciiDigit) ? listing.Endpoint
                : null;
            if (number is null)
            {
                continue;
            }

            var name = !string.IsNullOrWhiteSpace(listing.Name) ? listing.Name.Trim() : listing.Endpoint;
            entries.Add(new DirectoryEntry(name, number, Fold(name)));
        }

        entries.Sort((a, b) =>
        {
            var c = string.CompareOrdinal(a.Folded, b.Folded);
            c = c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
            return c != 0 ? c : string.CompareOrdinal(a.Number, b.Number);
        });
        return new PhoneDirectory([.. entries]);
    }

    /// <summary>
    /// The page <paramref name="page"/> (1-based, clamped to the pages there are) of the entries whose name contains
    /// <paramref name="name"/> and whose number contains <paramref name="number"/>; an empty query matches all.
    /// </summary>
    public DirectoryPage Search(string? name, string? number, int page)
    {
        var wantedName = Fold(name ?? string.Empty).Trim();
        var wantedNumber = Digits(number);
        var skip = 0;
        var matches = 0;
        page = Math.Max(1, page);
        var found = ImmutableArray.CreateBuilder<DirectoryEntry>(PageSize);

        // One pass: count every match, keep those of the wanted page. A page past the end is found on a second pass.
        foreach (var entry in Entries)
        {
            if (!Matches(entry, wantedName, wantedNumber))
            {
                continue;
            }

            matches++;
            if (skip < (page - 1) * PageSize)
            {
                skip++;
            }
            else if (found.Count < PageSize)
            {
                found.Add(entry);
            }
        }

        var pages = Math.Max(1, (matches + PageSize - 1) / PageSize);
        return page > pages ? Search(name, number, pages) : new DirectoryPage(found.ToImmutable(), page, pages, matches);
    }

    private static bool Matches(DirectoryEntry entry, string name, string number) =>
        (name.Length == 0 || entry.Folded.Contains(name, StringComparison.Ordinal))
        && (number.Length == 0 || entry.Number.Contains(number, StringComparison.Ordinal));

    private static bool IsHidden(string? value) =>
        value?.Trim().ToLowerInvariant() is "no" or "false" or "0" or "off";

    // A number query keeps the characters a number holds; the phone's T input gives digits, * and #.
    private static string Digits(string? text) =>
        new([.. (text ?? string.Empty).Where(c => char.IsAsciiDigit(c) || c is '*' or '#' or '+')]);

    /// <summary>Lower case without accents (the Latin letters the fold table knows), for matching.</summary>
    public static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (AsciiFold.Fold(rune.Value) is { } plain)
            {
                sb.Append(plain.ToLowerInvariant());
            }
            else
            {
                sb.Append(Rune.ToLowerInvariant(rune).ToString());
            }
        }

        return sb.ToString();
    }
}
