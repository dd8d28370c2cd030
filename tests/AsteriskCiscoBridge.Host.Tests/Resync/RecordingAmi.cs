using System.Threading.Channels;
using AsteriskCiscoBridge.Ami;

namespace AsteriskCiscoBridge.Host.Tests.Resync;

/// <summary>
/// A stand-in for the AMI session at the <see cref="IAmiActionSender"/> seam: PJSIPNotify is recorded and
/// answered <c>NOTIFY sent</c>; PJSIPShowContacts answers with <see cref="Contacts"/> in the shape of the
/// recorded ContactList (registration-and-notify/02), with <see cref="Expirations"/> as <c>ExpirationTime</c>,
/// or <c>No Contacts found</c> (pjsip-show/14).
/// </summary>
internal sealed class RecordingAmi(TimeSpan bound) : IAmiActionSender
{
    private readonly Channel<AmiAction> _notifies = Channel.CreateUnbounded<AmiAction>();
    private readonly Lock _gate = new();
    private IReadOnlyList<(string Aor, string Uri, string CallId)> _contacts = [];
    private int _count;
    private int _contactReads;

    /// <summary>PJSIPNotify actions received.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>PJSIPShowContacts actions received.</summary>
    public int ContactReads => Volatile.Read(ref _contactReads);

    /// <summary>Each contact URI's <c>ExpirationTime</c> (epoch seconds); a URI not here has the recorded one.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, long> Expirations { get; } = new(StringComparer.Ordinal);

    /// <summary>The registered contacts PJSIPShowContacts lists.</summary>
    public IReadOnlyList<(string Aor, string Uri, string CallId)> Contacts
    {
        get
        {
            lock (_gate)
            {
                return _contacts;
            }
        }

        set
        {
            lock (_gate)
            {
                _contacts = value;
            }
        }
    }

    public Task<AmiResponse> SendAsync(AmiAction action, CancellationToken cancellationToken)
    {
        if (action.Name == "PJSIPShowContacts")
        {
            Interlocked.Increment(ref _contactReads);
            var contacts = Contacts;
            if (contacts.Count == 0)
            {
                return Task.FromResult(new AmiResponse(new AmiMessage([new("Response", "Error"), new("Message", "No Contacts found")]), [], null));
            }

            var events = contacts.Select(c => new AmiMessage(
            [
                new("Event", "ContactList"), new("ObjectType", "contact"), new("ObjectName", c.Aor + ";@49b37eb216a5b77f7cf244079f78f79b"),
                new("CallId", c.CallId), new("Endpoint", c.Aor), new("Uri", c.Uri), new("UserAgent", "Cisco-CP7960G/8.0"),
                new("ExpirationTime", Expirations.TryGetValue(c.Uri, out var expires) ? expires.ToString(System.Globalization.CultureInfo.InvariantCulture) : "1795313105"), new("Status", "Reachable"),
            ])).ToList();
            return Task.FromResult(new AmiResponse(new AmiMessage([new("Response", "Success"), new("EventList", "start")]), events, null));
        }

        Interlocked.Increment(ref _count);
        _notifies.Writer.TryWrite(action);
        var ok = new AmiMessage([new AmiField("Response", "Success"), new AmiField("Message", "NOTIFY sent")]);
        return Task.FromResult(new AmiResponse(ok, [], null));
    }

    /// <summary>The next PJSIPNotify as a message (Action first, then its fields).</summary>
    public async Task<AmiMessage> NextAsync(CancellationToken cancellationToken) =>
        ToMessage(await NextActionAsync(cancellationToken));

    /// <summary>The next PJSIPNotify as sent.</summary>
    public async Task<AmiAction> NextActionAsync(CancellationToken cancellationToken) =>
        await _notifies.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(bound, cancellationToken);

    private static AmiMessage ToMessage(AmiAction action) => new([new AmiField("Action", action.Name), .. action.Fields]);
}
