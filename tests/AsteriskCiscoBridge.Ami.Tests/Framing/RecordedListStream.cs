using System.Globalization;
using System.Text;
using AsteriskCiscoBridge.Testing.Ami;

namespace AsteriskCiscoBridge.Ami.Tests.Framing;

/// <summary>
/// A <c>PJSIPShowEndpoints</c> answer of any length made of recorded bytes only: pjsip-show/02's Response and
/// <c>EndpointListComplete</c> around copies of its first <c>EndpointList</c> (each with another <c>ObjectName</c>),
/// with registration-and-notify's unsolicited <c>ContactStatus</c> and <c>PeerStatus</c> events inside the list,
/// where a real Asterisk may put them: after the Response and between list items.
/// </summary>
internal static class RecordedListStream
{
    /// <summary>The ActionID the recorded answer carries (send the action with it).</summary>
    public const string ActionId = "pjsip-show-02";

    /// <summary>The sizes of the reads that brought pjsip-show's answers (the recorded <c>recv()</c> boundaries).</summary>
    public static IReadOnlyList<int> RecordedReadSizes { get; } =
        [.. AmiFixtures.Transcript("pjsip-show").Where(c => c.Direction == "s2c").Skip(1).Select(c => c.Bytes.Length)];

    /// <summary>The item names, in order: 100000, 100001, ….</summary>
    public static string ItemName(int i) => (100000 + i).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The answer with <paramref name="items"/> list items and an event after the Response and after every
    /// <paramref name="eventEvery"/>-th item (ContactStatus and PeerStatus in turn). <paramref name="events"/>
    /// are the events' names in the order written.
    /// </summary>
    public static byte[] Build(int items, int eventEvery, out IReadOnlyList<string> events)
    {
        var recorded = Encoding.UTF8.GetString(AmiFixtures.Numbered("pjsip-show", "02-", "response"));
        var messages = recorded.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries).Select(m => m + "\r\n\r\n").ToArray();
        var item = messages[1];
        var unsolicited = AmiFixtures.Messages("registration-and-notify")
            .Where(m => m.Kind == "event" && m.Headers[0].Value is "ContactStatus" or "PeerStatus" && !m.Headers.Any(h => h.Key == "ActionID"))
            .ToArray();
        var written = new List<string>();
        var text = new StringBuilder(messages[0].Length + (items * item.Length) + 1024);
        text.Append(messages[0]);
        for (var i = 0; i < items; i++)
        {
            if (i % eventEvery == 0)
            {
                var e = unsolicited[written.Count % unsolicited.Length];
                text.Append(e.Raw);
                written.Add(e.Headers[0].Value);
            }

            text.Append(item.Replace("ObjectName: 6001\r\n", "ObjectName: " + ItemName(i) + "\r\n", StringComparison.Ordinal));
        }

        text.Append(messages[^1].Replace("ListItems: 7\r\n", "ListItems: " + items.ToString(CultureInfo.InvariantCulture) + "\r\n", StringComparison.Ordinal));
        events = written;
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
