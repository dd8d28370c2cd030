using System.Globalization;
using AsteriskCiscoBridge.Provisioning.Phonebook;

namespace AsteriskCiscoBridge.Provisioning.Tests.Phonebook;

public sealed class PhoneDirectoryTests
{
    private static readonly DirectoryListing[] Listings =
    [
        new("6001", "Zoë Ñúñez", "6001"),
        new("6002", "Hidden Person", "6002", "no"),
        new("6003", null, null),
        new("provider-trunk", null, null),
        new("alice", "Alice Adams", "6100"),
        new("bob", "  ", "6200"),
        new("6004", "zoe Zimmer", "6004", "yes"),
    ];

    [Fact]
    public void Build_lists_every_endpoint_with_a_number_sorted_by_folded_name_and_leaves_out_the_hidden_and_the_numberless()
    {
        var directory = PhoneDirectory.Build(Listings);

        Assert.Equal(
            [("6003", "6003"), ("Alice Adams", "6100"), ("bob", "6200"), ("Zoë Ñúñez", "6001"), ("zoe Zimmer", "6004")],
            directory.Entries.Select(e => (e.Name, e.Number)));
    }

    [Theory]
    [InlineData("zoe", null, new[] { "6001", "6004" })]
    [InlineData("ÑÚÑ", null, new[] { "6001" })]
    [InlineData("nunez", null, new[] { "6001" })]
    [InlineData(null, "600", new[] { "6003", "6001", "6004" })]
    [InlineData("zoe", "4", new[] { "6004" })]
    [InlineData("  ", "  ", new[] { "6003", "6100", "6200", "6001", "6004" })]
    [InlineData("hidden", null, new string[0])]
    [InlineData(null, "abc", new[] { "6003", "6100", "6200", "6001", "6004" })]
    public void Search_matches_names_in_any_case_without_accents_and_numbers_on_any_run(string? name, string? number, string[] expected) =>
        Assert.Equal(expected, PhoneDirectory.Build(Listings).Search(name, number, 1).Entries.Select(e => e.Number));

    [Fact]
    public void Ten_thousand_entries_are_paged_by_32_and_a_page_past_the_end_is_the_last()
    {
        var directory = PhoneDirectory.Build(Enumerable.Range(0, 10_000).Select(i => new DirectoryListing(
            string.Create(CultureInfo.InvariantCulture, $"{20000 + i}"), string.Create(CultureInfo.InvariantCulture, $"Person {i:D5}"), null)));

        var first = directory.Search(null, null, 1);
        var last = directory.Search(null, null, 313);
        var beyond = directory.Search(null, null, 999);
        var search = directory.Search("person 0999", null, 1);
        var byNumber = directory.Search(null, "99", 2);

        Assert.Equal((1, 313, 10_000, 32), (first.Page, first.Pages, first.Matches, first.Entries.Length));
        Assert.Equal("Person 00000", first.Entries[0].Name);
        Assert.Equal((313, 16, "Person 09999"), (last.Page, last.Entries.Length, last.Entries[^1].Name));
        Assert.Equal((last.Page, last.Pages), (beyond.Page, beyond.Pages));
        Assert.Equal(last.Entries, beyond.Entries);
        Assert.Equal(["29990", "29991", "29992", "29993", "29994", "29995", "29996", "29997", "29998", "29999"], search.Entries.Select(e => e.Number));
        var expected = Enumerable.Range(20000, 10_000).Select(n => n.ToString(CultureInfo.InvariantCulture)).Where(n => n.Contains("99", StringComparison.Ordinal)).ToArray();
        Assert.Equal((2, (expected.Length + 31) / 32, expected.Length), (byNumber.Page, byNumber.Pages, byNumber.Matches));
        Assert.Equal(expected.Skip(32).Take(32), byNumber.Entries.Select(e => e.Number));
    }

    [Fact]
    public void An_empty_directory_has_one_empty_page() =>
        Assert.Equal((1, 1, 0), (PhoneDirectory.Empty.Search("x", null, 5).Page, PhoneDirectory.Empty.Search(null, null, 1).Pages, PhoneDirectory.Empty.Search(null, null, 1).Matches));
}
