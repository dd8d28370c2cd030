using System.Text;
using System.Text.Encodings.Web;

namespace AsteriskCiscoBridge.Provisioning.Rendering;

/// <summary>
/// The bridge's XML escaping (<see cref="Escaping.AppendXml"/>: the five predefined entities, every
/// other character as is) as a <see cref="TextEncoder"/>, so Fluid escapes each template output the
/// way the built-in renderers write values. <c>HtmlEncoder</c> would also turn every non-ASCII
/// letter into <c>&amp;#x…;</c>.
/// </summary>
internal sealed class XmlTextEncoder : TextEncoder
{
    public static XmlTextEncoder Instance { get; } = new();

    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override string Encode(string value) => Escaping.Xml(value);

    public override void Encode(TextWriter output, string value, int startIndex, int characterCount)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(value);
        output.Write(new StringBuilder(characterCount + 16).AppendXml(value.Substring(startIndex, characterCount)));
    }

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        return span.IndexOfAny("&<>\"'");
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var entity = unicodeScalar switch
        {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&apos;",
            _ => null,
        };
        var written = entity ?? (Rune.IsValid(unicodeScalar) ? new Rune(unicodeScalar).ToString() : "\uFFFD");
        if (written.Length > bufferLength)
        {
            numberOfCharactersWritten = 0;
            return false;
        }

        written.AsSpan().CopyTo(new Span<char>(buffer, bufferLength));
        numberOfCharactersWritten = written.Length;
        return true;
    }

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is '&' or '<' or '>' or '"' or '\'';
}
