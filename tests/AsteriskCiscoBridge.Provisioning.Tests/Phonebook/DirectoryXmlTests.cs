using System.Xml.Linq;
using AsteriskCiscoBridge.Provisioning.Phonebook;

namespace AsteriskCiscoBridge.Provisioning.Tests.Phonebook;

/// <summary>The CiscoIPPhone objects read back element by element (spec beyond-79xx C).</summary>
public sealed class DirectoryXmlTests
{
    private static readonly DirectoryClient Phone7960 = DirectoryClient.Of("CP-7960G");
    private static readonly DirectoryClient Phone7961 = DirectoryClient.Of("CP-7961G-GE");
    private static readonly DirectoryClient Phone8841 = DirectoryClient.Of("CP-8841");

    [Theory]
    [InlineData("CP-7960G", true, DirectoryDisplay.Ascii)]
    [InlineData("CP-7940G", true, DirectoryDisplay.Ascii)]
    [InlineData("cp-7965G", true, DirectoryDisplay.Latin1)]
    [InlineData("CP-8841", false, DirectoryDisplay.Unicode)]
    [InlineData("CP-8865NR", false, DirectoryDisplay.Unicode)]
    [InlineData("", false, DirectoryDisplay.Unicode)]
    [InlineData(null, false, DirectoryDisplay.Unicode)]
    public void The_model_header_tells_a_79xx_and_its_display(string? header, bool is79xx, DirectoryDisplay display) =>
        Assert.Equal(new DirectoryClient(is79xx, display), DirectoryClient.Of(header));

    [Fact]
    public void A_79xx_first_gets_a_one_item_menu_leading_to_the_search()
    {
        var menu = Parse(DirectoryXml.Menu("Désk & Co", "http://pbx:6970/directory/search", Phone7960));

        Assert.Equal("CiscoIPPhoneMenu", menu.Name.LocalName);
        Assert.Equal(["Title", "Prompt", "MenuItem"], menu.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("Desk & Co", menu.Element("Title")!.Value);
        var item = Assert.Single(menu.Elements("MenuItem"));
        Assert.Equal(("Desk & Co", "http://pbx:6970/directory/search"), (item.Element("Name")!.Value, item.Element("URL")!.Value));
    }

    [Fact]
    public void The_search_asks_a_name_in_letters_and_a_number_in_digits()
    {
        var input = Parse(DirectoryXml.Input("Directory", "http://pbx:6970/directory/list", Phone8841));

        Assert.Equal("CiscoIPPhoneInput", input.Name.LocalName);
        Assert.Equal("http://pbx:6970/directory/list", input.Element("URL")!.Value);
        Assert.Null(input.Element("URL")!.Attribute("method"));
        Assert.Equal(
            [("Name", "name", "", "A"), ("Number", "number", "", "T")],
            input.Elements("InputItem").Select(i => (i.Element("DisplayName")!.Value, i.Element("QueryStringParam")!.Value, i.Element("DefaultValue")!.Value, i.Element("InputFlags")!.Value)));
    }

    [Fact]
    public void A_page_carries_its_entries_escaped_and_its_soft_keys_where_each_series_expects_them()
    {
        var directory = PhoneDirectory.Build(Enumerable.Range(0, 70).Select(i => new DirectoryListing($"{6000 + i}", i == 0 ? "Ann & \"Bob\" <Sales> O'Neil" : $"User {i:D2}", null)));
        string Url(int p) => $"http://pbx:6970/directory/list?name=&number=&page={p}";

        var middle8841 = Parse(DirectoryXml.Directory("Directory", directory.Search(null, null, 2), Url, Phone8841));
        var first79xx = Parse(DirectoryXml.Directory("Directory", directory.Search(null, null, 1), Url, Phone7960));
        var last79xx = Parse(DirectoryXml.Directory("Directory", directory.Search(null, null, 3), Url, Phone7961));

        Assert.Equal("CiscoIPPhoneDirectory", middle8841.Name.LocalName);
        Assert.Equal(("Directory 2/3", "33-64 of 70"), (middle8841.Element("Title")!.Value, middle8841.Element("Prompt")!.Value));
        Assert.Equal(32, middle8841.Elements("DirectoryEntry").Count());
        Assert.Equal(("User 32", "6032"), Entry(middle8841.Elements("DirectoryEntry").First()));
        Assert.Equal(
            [("Call", "SoftKey:Select", "2"), ("Exit", "SoftKey:Exit", "1"), ("Next", Url(3), "3"), ("Previous", Url(1), "4")],
            SoftKeys(middle8841));

        Assert.Equal(("Ann & \"Bob\" <Sales> O'Neil", "6000"), Entry(first79xx.Elements("DirectoryEntry").First()));
        Assert.Equal([("Dial", "SoftKey:Select", "1"), ("Exit", "SoftKey:Exit", "3"), ("Next", Url(2), "2")], SoftKeys(first79xx));
        Assert.Equal([("Dial", "SoftKey:Select", "1"), ("Exit", "SoftKey:Exit", "3"), ("Previous", Url(2), "4")], SoftKeys(last79xx));
        Assert.Equal(6, last79xx.Elements("DirectoryEntry").Count());
    }

    [Fact]
    public void Names_are_folded_for_what_the_asking_phone_shows()
    {
        var page = PhoneDirectory.Build([new DirectoryListing("6001", "Zoë Łukasz ☎", "6001")]).Search(null, null, 1);
        string Name(DirectoryClient client) => Parse(DirectoryXml.Directory("D", page, _ => "u", client)).Element("DirectoryEntry")!.Element("Name")!.Value;

        Assert.Equal("Zoe Lukasz ?", Name(Phone7960));
        Assert.Equal("Zoë Lukasz ?", Name(Phone7961));
        Assert.Equal("Zoë Łukasz ☎", Name(Phone8841));
    }

    [Fact]
    public void No_match_is_an_empty_directory_that_says_so()
    {
        var empty = Parse(DirectoryXml.Directory("Directory", PhoneDirectory.Empty.Search("x", null, 1), _ => "u", Phone8841));

        Assert.Empty(empty.Elements("DirectoryEntry"));
        Assert.Equal("No entry matches", empty.Element("Prompt")!.Value);
        Assert.Equal(["Call", "Exit"], SoftKeys(empty).Select(k => k.Name));
    }

    [Fact]
    public void Every_object_declares_utf8_and_the_content_type_names_the_charset()
    {
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", DirectoryXml.Input("D", "u", Phone8841), StringComparison.Ordinal);
        Assert.Equal("text/xml; charset=utf-8", DirectoryXml.ContentType);
    }

    private static XElement Parse(string xml) => XDocument.Parse(xml).Root!;

    private static (string Name, string Telephone) Entry(XElement entry) => (entry.Element("Name")!.Value, entry.Element("Telephone")!.Value);

    private static (string Name, string Url, string Position)[] SoftKeys(XElement root) =>
        [.. root.Elements("SoftKeyItem").Select(k => (k.Element("Name")!.Value, k.Element("URL")!.Value, k.Element("Position")!.Value))];
}
