using System.Globalization;
using System.Text;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Provisioning.Phonebook;

/// <summary>What the phone's display can show, from its <c>x-CiscoIPPhoneModelName</c> request header.</summary>
public enum DirectoryDisplay
{
    /// <summary>A later series (or no header): UTF-8 as it is.</summary>
    Unicode = 0,

    /// <summary>A 79x1/79x2/79x5/797x: Latin-1; letters beyond it lose their accent.</summary>
    Latin1 = 1,

    /// <summary>A 7940/7960: ASCII only.</summary>
    Ascii = 2,
}

/// <summary>The phone asking, as its request headers describe it (spec beyond-79xx C).</summary>
/// <param name="Is79xx">
/// The header starts <c>CP-79</c> (the test UCM-services uses): the phone needs a one-item menu before the directory,
/// a <c>Prompt</c>, and its soft keys in the 79xx positions.
/// </param>
public sealed record DirectoryClient(bool Is79xx, DirectoryDisplay Display)
{
    public static DirectoryClient Of(string? modelNameHeader)
    {
        var model = modelNameHeader?.Trim() ?? string.Empty;
        if (!model.StartsWith("CP-79", StringComparison.OrdinalIgnoreCase))
        {
            return new DirectoryClient(false, DirectoryDisplay.Unicode);
        }

        var classic = model.StartsWith("CP-7940", StringComparison.OrdinalIgnoreCase) || model.StartsWith("CP-7960", StringComparison.OrdinalIgnoreCase);
        return new DirectoryClient(true, classic ? DirectoryDisplay.Ascii : DirectoryDisplay.Latin1);
    }
}

/// <summary>
/// The CiscoIPPhone XML objects of the directory (spec beyond-79xx C, XSI notes; soft-key positions as UCM-services
/// uses them: 79xx Dial 1, Next 2, Exit 3, Previous 4; later series Exit 1, Call 2, Next 3, Previous 4). Every text is
/// escaped; names are folded for what the asking phone displays. Pure.
/// </summary>
public static class DirectoryXml
{
    /// <summary>The response's Content-Type: the phones parse <c>text/xml</c> only, and honour its charset.</summary>
    public const string ContentType = "text/xml; charset=utf-8";

    private const string Declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    /// <summary>The one-item menu a 79xx needs as the first answer of its <c>directoryURL</c>.</summary>
    public static string Menu(string title, string searchUrl, DirectoryClient client)
    {
        var sb = new StringBuilder(Declaration).Append("<CiscoIPPhoneMenu>\n");
        Element(sb, "Title", Show(title, client));
        Element(sb, "Prompt", "Select the directory");
        sb.Append("<MenuItem>\n");
        Element(sb, "Name", Show(title, client));
        Element(sb, "URL", searchUrl);
        sb.Append("</MenuItem>\n");
        return sb.Append("</CiscoIPPhoneMenu>\n").ToString();
    }

    /// <summary>The search: a name (letters) and a number (digits); the phone sends them to <paramref name="listUrl"/> as <c>?name=…&amp;number=…</c>.</summary>
    public static string Input(string title, string listUrl, DirectoryClient client)
    {
        var sb = new StringBuilder(Declaration).Append("<CiscoIPPhoneInput>\n");
        Element(sb, "Title", Show(title, client));
        Element(sb, "Prompt", "Name or number, or neither for all");
        Element(sb, "URL", listUrl);
        InputItem(sb, "Name", "name", "A");
        InputItem(sb, "Number", "number", "T");
        return sb.Append("</CiscoIPPhoneInput>\n").ToString();
    }

    /// <summary>
    /// One page of entries with Dial (Call), Exit and, where there is one, Next and Previous, which ask for
    /// <paramref name="pageUrl"/> of the page after or before.
    /// </summary>
    public static string Directory(string title, DirectoryPage page, Func<int, string> pageUrl, DirectoryClient client)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(pageUrl);
        var sb = new StringBuilder(256 + (page.Entries.Length * 96)).Append(Declaration).Append("<CiscoIPPhoneDirectory>\n");
        var shownTitle = page.Pages > 1 ? string.Create(CultureInfo.InvariantCulture, $"{title} {page.Page}/{page.Pages}") : title;
        Element(sb, "Title", Show(shownTitle, client));
        Element(sb, "Prompt", page.Matches == 0 ? "No entry matches"
            : string.Create(CultureInfo.InvariantCulture, $"{((page.Page - 1) * PhoneDirectory.PageSize) + 1}-{((page.Page - 1) * PhoneDirectory.PageSize) + page.Entries.Length} of {page.Matches}"));
        foreach (var entry in page.Entries)
        {
            sb.Append("<DirectoryEntry>\n");
            Element(sb, "Name", Show(entry.Name, client));
            Element(sb, "Telephone", entry.Number);
            sb.Append("</DirectoryEntry>\n");
        }

        var p79 = client.Is79xx;
        SoftKey(sb, p79 ? "Dial" : "Call", "SoftKey:Select", p79 ? 1 : 2);
        SoftKey(sb, "Exit", "SoftKey:Exit", p79 ? 3 : 1);
        if (page.Page < page.Pages)
        {
            SoftKey(sb, "Next", pageUrl(page.Page + 1), p79 ? 2 : 3);
        }

        if (page.Page > 1)
        {
            SoftKey(sb, "Previous", pageUrl(page.Page - 1), 4);
        }

        return sb.Append("</CiscoIPPhoneDirectory>\n").ToString();
    }

    /// <summary>The text as the phone can show it: ASCII for a 7940/7960, Latin-1 for the 79x1 family, else as it is.</summary>
    public static string Show(string text, DirectoryClient client)
    {
        if (client.Display == DirectoryDisplay.Unicode)
        {
            return WithoutControls(text);
        }

        var limit = client.Display == DirectoryDisplay.Ascii ? 0x7E : 0xFF;
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsControl(rune))
            {
                continue;
            }

            sb.Append(rune.Value <= limit ? rune.ToString() : AsciiFold.Fold(rune.Value) ?? "?");
        }

        return sb.ToString();
    }

    private static string WithoutControls(string text) => text.Any(char.IsControl) ? new string([.. text.Where(c => !char.IsControl(c))]) : text;

    private static void Element(StringBuilder sb, string name, string value) =>
        sb.Append('<').Append(name).Append('>').AppendXml(value).Append("</").Append(name).Append(">\n");

    private static void InputItem(StringBuilder sb, string shown, string parameter, string flags)
    {
        sb.Append("<InputItem>\n");
        Element(sb, "DisplayName", shown);
        Element(sb, "QueryStringParam", parameter);
        Element(sb, "DefaultValue", string.Empty);
        Element(sb, "InputFlags", flags);
        sb.Append("</InputItem>\n");
    }

    private static void SoftKey(StringBuilder sb, string name, string url, int position)
    {
        sb.Append("<SoftKeyItem>\n");
        Element(sb, "Name", name);
        Element(sb, "URL", url);
        Element(sb, "Position", position.ToString(CultureInfo.InvariantCulture));
        sb.Append("</SoftKeyItem>\n");
    }
}
