using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using AsteriskCiscoBridge.Ami;

namespace AsteriskCiscoBridge.Testing.Ami;

/// <summary>How the test server cuts what it writes.</summary>
public enum AmiWriteMode
{
    /// <summary>Each message in one write.</summary>
    Whole = 0,

    /// <summary>One byte per write and flush (a very slow or fragmenting peer).</summary>
    ByteByByte = 1,

    /// <summary>Writes of 7 bytes: every header and the blank line end up split.</summary>
    SmallChunks = 2,
}

/// <summary>A manager.conf user of the test server (classes as in manager.conf: system, config, reporting, …).</summary>
public sealed record AmiTestUser(string Secret, IReadOnlySet<string> Read, IReadOnlySet<string> Write);

/// <summary>An action the server received, with the number of the connection it came on.</summary>
public sealed record AmiReceivedAction(int Connection, AmiMessage Action);

/// <summary>
/// An AMI server on 127.0.0.1, port 0, that answers in the recorded Asterisk 22 wire format (every
/// message shape comes from tests/fixtures/asterisk via <see cref="AmiRecordedLayouts"/>), over the
/// scriptable <see cref="AmiTestPbx"/>. Tests can drop connections, stop listening (Asterisk down),
/// send Reload/Shutdown, slow writes down to a byte at a time, ignore Pings, and deny actions by class.
/// </summary>
public sealed class AmiTestServer : IAsyncDisposable
{
    /// <summary>The challenge Asterisk gave in login-challenge-md5 (so the recorded Key stays valid).</summary>
    public const string RecordedChallenge = "188822228";

    private readonly ConcurrentDictionary<int, Session> _sessions = new();
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Channel<AmiReceivedAction> _received = Channel.CreateUnbounded<AmiReceivedAction>();
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Task _accept = Task.CompletedTask;
    private int _connections;
    private int _logins;

    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2? _certificate;

    private AmiTestServer(AmiTestPbx pbx, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
    {
        Pbx = pbx;
        _certificate = certificate;
    }

    public AmiTestPbx Pbx { get; }

    /// <summary>The NOTIFYs this "Asterisk" sends to contacts after a PJSIPNotify (see <see cref="SipNotifyDelivery"/>).</summary>
    public SipNotifyDelivery Notifies { get; } = new();

    public int Port { get; private set; }

    /// <summary>This Asterisk's clock: a registration's <c>ExpirationTime</c> is counted from it.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>The expiry a REGISTER asks for and is granted (a Cisco phone's default <c>registerExpires</c>, 3600 s).</summary>
    public TimeSpan RegisterExpiry { get; set; } = TimeSpan.FromSeconds(3600);

    public AmiWriteMode WriteMode { get; set; }

    /// <summary>
    /// True (the default, the shipped manager.conf's <c>read = system,security</c>): authenticated SIP requests raise
    /// <c>SuccessfulAuth</c>. False: a manager user without the security class, who never sees them.
    /// </summary>
    public bool SecurityEvents { get; set; } = true;

    /// <summary>When false, Ping gets no answer (a hung Asterisk).</summary>
    public bool AnswerPings { get; set; } = true;

    /// <summary>When set, a connection that receives a matching action is closed instead of answered (once per match).</summary>
    public Func<AmiMessage, bool>? DropConnectionOn { get; set; }

    /// <summary>manager.conf users. Defaults are the recording lab's <c>bridge</c> and <c>readonly</c>.</summary>
    public ConcurrentDictionary<string, AmiTestUser> Users { get; } = new(StringComparer.Ordinal)
    {
        ["bridge"] = new AmiTestUser("bridgepw", new HashSet<string> { "system", "config", "reporting" }, new HashSet<string> { "system", "config", "reporting", "originate" }),
        ["readonly"] = new AmiTestUser("readonlypw", new HashSet<string> { "reporting" }, new HashSet<string> { "reporting" }),
    };

    /// <summary>Connections accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    /// <summary>Successful logins so far.</summary>
    public int LoginCount => Volatile.Read(ref _logins);

    /// <summary>Every action received, in order.</summary>
    public ChannelReader<AmiReceivedAction> Received => _received.Reader;

    /// <summary>
    /// How many of the next PJSIPNotify actions are answered with Asterisk's recorded <c>Response: Error</c>
    /// (pjsipnotify-errors/02, "Unable to retrieve endpoint …") instead of being acted on.
    /// </summary>
    public int RefuseNotifies
    {
        get => Volatile.Read(ref _refuseNotifies);
        set => Volatile.Write(ref _refuseNotifies, value);
    }

    private int _refuseNotifies;

    /// <summary>Actions received so far with this <c>Action:</c> name (case-insensitive), on every connection.</summary>
    public int CountOf(string action) => _counts.GetValueOrDefault(action);

    /// <summary>Actions received so far, by name (as the client spelled the first one).</summary>
    public IReadOnlyDictionary<string, int> ActionCounts => new Dictionary<string, int>(_counts, StringComparer.OrdinalIgnoreCase);

    /// <summary>Starts the server; with <paramref name="tlsCertificate"/> every connection is TLS (as manager.conf <c>tlsenable</c>).</summary>
    public static AmiTestServer Start(AmiTestPbx? pbx = null, System.Security.Cryptography.X509Certificates.X509Certificate2? tlsCertificate = null)
    {
        var server = new AmiTestServer(pbx ?? AmiTestPbx.FromRecordedLab(), tlsCertificate);
        server.Listen(0);
        return server;
    }

    /// <summary>Stops accepting connections (as if Asterisk were down); existing ones stay.</summary>
    public async Task StopListeningAsync()
    {
        _listener?.Stop();
        try
        {
            await _accept;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    /// <summary>Accepts connections again on the same port.</summary>
    public void ResumeListening() => Listen(Port);

    /// <summary>Closes every connection abruptly (no Shutdown event).</summary>
    public void DropAll()
    {
        foreach (var session in _sessions.Values)
        {
            session.Abort();
        }
    }

    /// <summary>Sends the recorded <c>Event: Reload</c> / <c>Module: res_pjsip.so</c> to every logged-in session.</summary>
    public Task SendReloadAsync(CancellationToken cancellationToken) => BroadcastAsync(AmiRecordedLayouts.ReloadResPjsip.Render(null), cancellationToken);

    /// <summary>Sends the recorded <c>Event: Shutdown</c> and closes every connection, as <c>core stop now</c> does.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        await BroadcastAsync(AmiRecordedLayouts.Shutdown.Render(null), cancellationToken);
        DropAll();
    }

    /// <summary>Sends a ContactStatus event in the recorded layout.</summary>
    public Task SendContactStatusAsync(string endpoint, string uri, string status, CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        AmiRecordedLayouts.ContactStatus.Render(sb, null, new Dictionary<string, string>
        {
            ["URI"] = uri,
            ["ContactStatus"] = status,
            ["AOR"] = endpoint,
            ["EndpointName"] = endpoint,
        });
        return BroadcastAsync(sb.ToString(), cancellationToken);
    }

    /// <summary>
    /// res_pjsip's <c>SuccessfulAuth</c> for a request on <paramref name="endpoint"/> with <paramref name="callId"/> from
    /// <paramref name="contactUri"/>'s address, in the recorded layout (registration-and-notify-auditor). Asterisk sends it
    /// only to manager users with <c>read = security</c>; this server sends it to every session that takes events while
    /// <see cref="SecurityEvents"/> is true.
    /// </summary>
    public Task SendSuccessfulAuthAsync(string endpoint, string callId, string contactUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contactUri);
        if (!SecurityEvents)
        {
            return Task.CompletedTask;
        }

        var at = contactUri.IndexOf('@', StringComparison.Ordinal);
        var hostPort = contactUri[(at + 1)..].Split(';')[0];
        var colon = hostPort.LastIndexOf(':');
        var sb = new StringBuilder();
        AmiRecordedLayouts.SuccessfulAuth.Render(sb, null, new Dictionary<string, string>
        {
            ["AccountID"] = endpoint,
            ["SessionID"] = callId,
            ["RemoteAddress"] = $"IPV4/UDP/{hostPort[..colon]}/{hostPort[(colon + 1)..]}",
        });
        return BroadcastAsync(sb.ToString(), cancellationToken);
    }

    /// <summary>
    /// A phone's REGISTER as Asterisk 22 takes it (res_pjsip_registrar.c, checked against 22.10.1): the
    /// endpoint whose auth user is <paramref name="username"/> and whose password matches registers
    /// <paramref name="contact"/>, expiring <see cref="RegisterExpiry"/> after now on <see cref="Clock"/>.
    /// From a contact URI it already has (a phone that rebooted on the same address and port), Asterisk only
    /// refreshes the stored contact: a new expiration and User-Agent, the old Call-ID kept, and no
    /// <c>ContactStatus</c> at all; only <c>PJSIPShowContacts</c>' <c>ExpirationTime</c> shows it. A new URI
    /// becomes the endpoint's only contact (max_contacts=1, remove_existing) and is announced as recorded
    /// (registration-and-notify: <c>ContactStatus</c> <c>NonQualified</c>, then <c>Reachable</c> once
    /// qualified), with <c>Removed</c> for the contact it replaced. A wrong user or password is refused
    /// (a 401 in SIP): null.
    /// </summary>
    public async Task<AmiTestEndpoint?> RegisterAsync(string username, string password, Func<AmiTestEndpoint, AmiTestContact> contact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var endpoint = Pbx.Endpoints.FirstOrDefault(e => e.AuthName is not null && e.Username == username);
        if (endpoint is null || endpoint.AuthType != "userpass" || endpoint.Password != password)
        {
            return null;
        }

        var registered = contact(endpoint) with { ExpiresAt = Clock.GetUtcNow() + RegisterExpiry };

        // The authentication comes first (recorded: SuccessfulAuth, then ContactStatus), and is all there is of a refresh.
        await SendSuccessfulAuthAsync(endpoint.Name, registered.CallId, registered.Uri, cancellationToken);
        if (endpoint.Contacts.FirstOrDefault(c => c.Uri == registered.Uri) is { } known)
        {
            Pbx.Set(endpoint with { Contacts = [known with { UserAgent = registered.UserAgent, ExpiresAt = registered.ExpiresAt }] });
            return endpoint;
        }

        Pbx.Set(endpoint with { Contacts = [registered] });
        await SendContactStatusAsync(endpoint.Name, registered.Uri, "NonQualified", cancellationToken);
        foreach (var replaced in endpoint.Contacts)
        {
            await SendContactStatusAsync(endpoint.Name, replaced.Uri, "Removed", cancellationToken);
        }

        await SendContactStatusAsync(endpoint.Name, registered.Uri, registered.Status, cancellationToken);
        return endpoint;
    }

    /// <summary>
    /// A phone's REGISTER with <c>Expires: 0</c> for <paramref name="uri"/>, as Asterisk 22.10.1 takes it (checked on the
    /// lab PBX): the contact is deleted whatever Call-ID the request carries, and <c>ContactStatus</c> <c>Removed</c> is
    /// raised; the phone's next REGISTER from the same URI then creates a new contact holding its new Call-ID. False when
    /// the user or password is wrong (a 401) or there is no such contact (nothing to remove, still a 200 in SIP). Like every
    /// authenticated request it raises <c>SuccessfulAuth</c> with <paramref name="callId"/>.
    /// </summary>
    public async Task<bool> UnregisterAsync(string username, string password, string uri, string callId, CancellationToken cancellationToken)
    {
        var endpoint = Pbx.Endpoints.FirstOrDefault(e => e.AuthName is not null && e.Username == username);
        if (endpoint is null || endpoint.AuthType != "userpass" || endpoint.Password != password
            || endpoint.Contacts.FirstOrDefault(c => c.Uri == uri) is not { } removed)
        {
            return false;
        }

        await SendSuccessfulAuthAsync(endpoint.Name, callId, uri, cancellationToken);
        Pbx.Set(endpoint with { Contacts = endpoint.Contacts.Remove(removed) });
        await SendContactStatusAsync(endpoint.Name, removed.Uri, "Removed", cancellationToken);
        return true;
    }

    /// <summary>Writes raw text to every logged-in session that receives events.</summary>
    public async Task BroadcastAsync(string raw, CancellationToken cancellationToken)
    {
        foreach (var session in _sessions.Values.Where(s => s.User is not null && s.EventsOn))
        {
            await session.WriteAsync(raw, WriteMode, cancellationToken);
        }
    }

    /// <summary>Waits for the next received action named <paramref name="name"/>.</summary>
    public async Task<AmiReceivedAction> WaitForActionAsync(string name, CancellationToken cancellationToken)
    {
        while (true)
        {
            var received = await _received.Reader.ReadAsync(cancellationToken);
            if (string.Equals(received.Action["Action"], name, StringComparison.OrdinalIgnoreCase))
            {
                return received;
            }
        }
    }

    /// <summary>Waits for the next <paramref name="count"/> received actions named <paramref name="name"/>, in order.</summary>
    public async Task<IReadOnlyList<AmiReceivedAction>> WaitForActionsAsync(string name, int count, CancellationToken cancellationToken)
    {
        var actions = new List<AmiReceivedAction>(count);
        while (actions.Count < count)
        {
            actions.Add(await WaitForActionAsync(name, cancellationToken));
        }

        return actions;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await StopListeningAsync();
        DropAll();
        await Task.WhenAll(_sessions.Values.Select(s => s.Loop));
        Notifies.Dispose();
        _stop.Dispose();
    }

    private void Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _accept = AcceptLoopAsync(listener, _stop.Token);
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                return;
            }

            client.NoDelay = true;
            var id = Interlocked.Increment(ref _connections);
            var session = new Session(id, client);
            _sessions[id] = session;
            session.Loop = Task.Run(() => RunSessionAsync(session, cancellationToken), CancellationToken.None);
        }
    }

    private async Task RunSessionAsync(Session session, CancellationToken cancellationToken)
    {
        Stream stream = session.Client.GetStream();
        var reader = new AmiFrameReader(AmiFrameLimits.Default, expectBanner: false);
        var buffer = new ArrayBufferWriter<byte>(4096);
        var pendingStart = 0;
        try
        {
            if (_certificate is not null)
            {
                var ssl = new System.Net.Security.SslStream(stream);
                await ssl.AuthenticateAsServerAsync(_certificate, clientCertificateRequired: false, checkCertificateRevocation: false);
                stream = ssl;
            }

            session.Stream = stream;
            await session.WriteAsync(AmiRecordedLayouts.Banner, WriteMode, cancellationToken);
            var chunk = new byte[16384];
            while (true)
            {
                var n = await stream.ReadAsync(chunk, cancellationToken);
                if (n == 0)
                {
                    return;
                }

                buffer.Write(chunk.AsSpan(0, n));
                while (true)
                {
                    var sequence = new ReadOnlySequence<byte>(buffer.WrittenMemory[pendingStart..]);
                    var result = reader.TryRead(sequence);
                    if (result.Status != AmiFrameStatus.Message)
                    {
                        if (result.Status == AmiFrameStatus.Malformed)
                        {
                            return;
                        }

                        break;
                    }

                    pendingStart += (int)sequence.Slice(0, result.Consumed).Length;
                    if (!await HandleAsync(session, result.Message!, cancellationToken))
                    {
                        return;
                    }
                }

                if (pendingStart == buffer.WrittenCount)
                {
                    buffer.ResetWrittenCount();
                    pendingStart = 0;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
        }
        finally
        {
            session.Abort();
            _sessions.TryRemove(session.Id, out _);
        }
    }

    private async Task<bool> HandleAsync(Session session, AmiMessage action, CancellationToken cancellationToken)
    {
        _received.Writer.TryWrite(new AmiReceivedAction(session.Id, action));
        var name = action["Action"] ?? string.Empty;
        _counts.AddOrUpdate(name, 1, (_, n) => n + 1);
        var id = action.ActionId;
        if (DropConnectionOn is { } drop && drop(action))
        {
            return false;
        }

        var sb = new StringBuilder();
        switch (name.ToUpperInvariant())
        {
            case "LOGIN":
                return await LoginAsync(session, action, cancellationToken);
            case "CHALLENGE":
                AmiRecordedLayouts.Challenge.Render(sb, id, new Dictionary<string, string> { ["Challenge"] = RecordedChallenge });
                session.Challenge = RecordedChallenge;
                break;
            case "LOGOFF":
                await session.WriteAsync(AmiRecordedLayouts.Goodbye.Render(id), WriteMode, cancellationToken);
                return false;
            case "PING":
                if (!AnswerPings)
                {
                    return true;
                }

                sb.Append(AmiRecordedLayouts.Pong.Render(id));
                break;
            default:
                if (session.User is null || !Allowed(session.User, name))
                {
                    sb.Append(AmiRecordedLayouts.PermissionDenied.Render(id));
                }
                else
                {
                    Answer(sb, name, action, id);
                }

                break;
        }

        await session.WriteAsync(sb.ToString(), WriteMode, cancellationToken);
        return true;
    }

    private async Task<bool> LoginAsync(Session session, AmiMessage action, CancellationToken cancellationToken)
    {
        var id = action.ActionId;
        var username = action["Username"] ?? string.Empty;
        var ok = Users.TryGetValue(username, out var user)
            && (string.Equals(action["AuthType"], "MD5", StringComparison.OrdinalIgnoreCase)
                ? session.Challenge is not null && action["Key"] == AmiConnection.Md5Key(session.Challenge, user.Secret)
                : action["Secret"] == user.Secret);
        if (!ok)
        {
            // Asterisk waits about a second, answers, then closes (login-bad-secret).
            await session.WriteAsync(AmiRecordedLayouts.AuthenticationFailed.Render(id), WriteMode, cancellationToken);
            return false;
        }

        session.User = user;
        session.EventsOn = !string.Equals(action["Events"], "off", StringComparison.OrdinalIgnoreCase);
        Interlocked.Increment(ref _logins);
        var text = AmiRecordedLayouts.LoginAccepted.Render(id);
        if (session.EventsOn)
        {
            text += AmiRecordedLayouts.FullyBooted.Render(null);
        }

        await session.WriteAsync(text, WriteMode, cancellationToken);
        return true;
    }

    // Asterisk checks an action's class against the user's *write* classes (manager.c); see asterisk-conf/README.md.
    private static bool Allowed(AmiTestUser user, string action) => action.ToUpperInvariant() switch
    {
        "PJSIPSHOWENDPOINTS" or "PJSIPSHOWENDPOINT" or "PJSIPSHOWAUTHS" or "PJSIPSHOWCONTACTS" or "PJSIPSHOWAORS" or "PJSIPNOTIFY" => user.Write.Contains("system"),
        "GETCONFIG" or "GETCONFIGJSON" => user.Write.Contains("system") || user.Write.Contains("config"),
        "COMMAND" => user.Write.Contains("command"),
        _ => true,
    };

    private void Answer(StringBuilder sb, string name, AmiMessage action, string? id)
    {
        // Copied only by the list actions: a detail read of one endpoint must not copy ten thousand.
        var all = new Lazy<IReadOnlyList<AmiTestEndpoint>>(() => Pbx.Endpoints);
        switch (name.ToUpperInvariant())
        {
            case "PJSIPSHOWENDPOINTS":
                if (all.Value.Count == 0)
                {
                    sb.Append(AmiRecordedLayouts.NoEndpoints.Render(id));
                    break;
                }

                AmiRecordedLayouts.EndpointsStart.Render(sb, id);
                foreach (var e in all.Value)
                {
                    AmiRecordedLayouts.EndpointList.Render(sb, id, new Dictionary<string, string>
                    {
                        ["ObjectName"] = e.Name,
                        ["Transport"] = e.Transport,
                        ["Aor"] = e.Aor ?? string.Empty,
                        ["Auths"] = e.AuthName ?? string.Empty,
                        ["Contacts"] = AmiTestPbx.EndpointContacts(e),
                        ["DeviceState"] = e.DeviceState,
                    },
                    e.Aor is null ? NoContactsField : null); // notify-out (no AOR) has no Contacts line at all (pjsip-show/02)
                }

                AmiRecordedLayouts.EndpointListComplete.Render(sb, id, Items(all.Value.Count));
                break;
            case "PJSIPSHOWAUTHS":
                var auths = all.Value.Where(e => e.AuthName is not null).ToList();
                if (auths.Count == 0)
                {
                    sb.Append(AmiRecordedLayouts.NoAuths.Render(id));
                    break;
                }

                AmiRecordedLayouts.AuthsStart.Render(sb, id);
                foreach (var e in auths)
                {
                    AmiRecordedLayouts.AuthList.Render(sb, id, AuthValues(e));
                }

                AmiRecordedLayouts.AuthListComplete.Render(sb, id, Items(auths.Count));
                break;
            case "PJSIPSHOWCONTACTS":
                var contacts = all.Value.SelectMany(e => e.Contacts.Select(c => (e, c))).ToList();
                if (contacts.Count == 0)
                {
                    sb.Append(AmiRecordedLayouts.NoContacts.Render(id));
                    break;
                }

                AmiRecordedLayouts.ContactsStart.Render(sb, id);
                foreach (var (e, c) in contacts)
                {
                    var values = new Dictionary<string, string>
                    {
                        ["ObjectName"] = e.Aor + ";@" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(c.Uri)))[..32],
                        ["CallId"] = c.CallId,
                        ["Endpoint"] = e.Name,
                        ["Uri"] = c.Uri,
                        ["UserAgent"] = c.UserAgent,
                        ["Status"] = c.Status,
                    };
                    if (c.ExpiresAt is { } expires)
                    {
                        values["ExpirationTime"] = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                    }

                    AmiRecordedLayouts.ContactList.Render(sb, id, values);
                }

                AmiRecordedLayouts.ContactListComplete.Render(sb, id, Items(contacts.Count));
                break;
            case "PJSIPSHOWENDPOINT":
                var endpoint = Pbx.Find(action["Endpoint"] ?? string.Empty);
                if (endpoint is null)
                {
                    sb.Append(AmiRecordedLayouts.UnknownEndpoint.Render(id, ("9999", action["Endpoint"] ?? string.Empty)));
                    break;
                }

                RenderDetail(sb, id, endpoint, Pbx.Transports);
                break;
            case "GETCONFIG":
                if (!string.Equals(action["Filename"], "pjsip.conf", StringComparison.Ordinal))
                {
                    sb.Append(AmiRecordedLayouts.ConfigNotFound.Render(id));
                    break;
                }

                var filter = action["Filter"];
                AmiTestPbx.RenderGetConfig(sb, id, all.Value, Pbx.Transports, filter is not null && filter.StartsWith("type=", StringComparison.Ordinal) ? filter[5..] : null);
                break;
            case "PJSIPNOTIFY":
                if (Interlocked.Decrement(ref _refuseNotifies) >= 0)
                {
                    sb.Append(AmiRecordedLayouts.NotifyUnknownEndpoint.Render(id, ("9999", action["Endpoint"] ?? action["URI"] ?? string.Empty)));
                    break;
                }

                Interlocked.Exchange(ref _refuseNotifies, 0);

                // Asterisk answers Success even without contacts, and then sends to each contact;
                // an endpoint it does not know is an error (pjsipnotify-errors/02). A URI goes out
                // as given, from default_outbound_endpoint (notify-out in the lab; registration-and-notify/11).
                if (action["Endpoint"] is { } target)
                {
                    if (Pbx.Find(target) is not { } notified)
                    {
                        sb.Append(AmiRecordedLayouts.NotifyUnknownEndpoint.Render(id, ("9999", target)));
                        break;
                    }

                    Notifies.Deliver(notified, action.GetAll("Variable"));
                }
                else if (action["URI"] is { } uri)
                {
                    Notifies.DeliverTo(uri, "notify-out", action.GetAll("Variable"));
                }

                sb.Append(AmiRecordedLayouts.NotifySent.Render(id));
                break;
            default:
                sb.Append(AmiRecordedLayouts.UnknownAction.Render(id, ("NoSuchAction", name)));
                break;
        }
    }

    private static void RenderDetail(StringBuilder sb, string? id, AmiTestEndpoint e, IReadOnlyList<AmiTestTransport> transports)
    {
        AmiRecordedLayouts.DetailStart.Render(sb, id);
        AmiRecordedLayouts.EndpointDetail.Render(sb, id, new Dictionary<string, string>
        {
            ["ObjectName"] = e.Name,
            ["Aors"] = e.Aor ?? string.Empty,
            ["Auth"] = e.AuthName ?? string.Empty,
            ["Transport"] = e.Transport,
            ["Callerid"] = AmiTestPbx.DetailCallerId(e.CallerId),
            ["SetVar"] = string.Join(',', e.SetVars.Select(v => v.Key + "=" + v.Value)),
            ["DeviceState"] = e.DeviceState,
        });
        // ListItems counts every detail event (pjsip-show/03: 4, pjsip-show/09: 2).
        var items = 1;
        if (e.AuthName is not null)
        {
            var values = AuthValues(e);
            values["EndpointName"] = e.Name;
            AmiRecordedLayouts.AuthDetail.Render(sb, id, values);
            items++;
        }

        // Asterisk writes a TransportDetail only for an endpoint that names its transport (res_pjsip format_ami_endpoint_transport).
        if (transports.FirstOrDefault(t => t.Name == e.Transport) is { } transport)
        {
            AmiRecordedLayouts.TransportDetail.Render(sb, id, new Dictionary<string, string>
            {
                ["ObjectName"] = transport.Name,
                ["Protocol"] = transport.Protocol,
                ["Bind"] = transport.Bind,
                ["ExternalSignalingAddress"] = transport.ExternalSignalingAddress,
                ["ExternalSignalingPort"] = transport.ExternalSignalingPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["EndpointName"] = e.Name,
            });
            items++;
        }

        if (e.Aor is not null)
        {
            AmiRecordedLayouts.AorDetail.Render(sb, id, new Dictionary<string, string>
            {
                ["ObjectName"] = e.Aor,
                ["Contacts"] = AmiTestPbx.EndpointContacts(e).TrimEnd(','),
                ["EndpointName"] = e.Name,
            });
            items++;
        }

        AmiRecordedLayouts.EndpointDetailComplete.Render(sb, id, Items(items));
    }

    private static Dictionary<string, string> AuthValues(AmiTestEndpoint e) => new()
    {
        ["ObjectName"] = e.AuthName ?? string.Empty,
        ["PasswordDigest"] = e.Md5Cred.Length > 0 ? "MD5:" + e.Md5Cred : string.Empty,
        ["Username"] = e.Username,
        ["Md5Cred"] = e.Md5Cred,
        ["Realm"] = e.Realm,
        ["AuthType"] = e.AuthType,
        ["Password"] = e.Password,
    };

    private static readonly HashSet<string> NoContactsField = ["Contacts"];

    private static Dictionary<string, string> Items(int count) => new() { ["ListItems"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private sealed class Session(int id, TcpClient client)
    {
        private readonly SemaphoreSlim _write = new(1, 1);

        public int Id { get; } = id;

        public TcpClient Client { get; } = client;

        public Task Loop { get; set; } = Task.CompletedTask;

        public AmiTestUser? User { get; set; }

        public Stream? Stream { get; set; }

        public bool EventsOn { get; set; }

        public string? Challenge { get; set; }

        public async Task WriteAsync(string text, AmiWriteMode mode, CancellationToken cancellationToken)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            await _write.WaitAsync(cancellationToken);
            try
            {
                var stream = Stream ?? Client.GetStream();
                var step = mode switch { AmiWriteMode.ByteByByte => 1, AmiWriteMode.SmallChunks => 7, _ => bytes.Length };
                for (var i = 0; i < bytes.Length; i += step)
                {
                    await stream.WriteAsync(bytes.AsMemory(i, Math.Min(step, bytes.Length - i)), cancellationToken);
                    await stream.FlushAsync(cancellationToken);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
            {
                // The peer went away; the read loop notices.
            }
            finally
            {
                _write.Release();
            }
        }

        public void Abort()
        {
            try
            {
                if (Client.Client is { } socket)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }

            Client.Dispose();
        }
    }
}
