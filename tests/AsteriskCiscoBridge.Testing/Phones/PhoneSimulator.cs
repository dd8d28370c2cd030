using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using System.Xml.Linq;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Tftp;

namespace AsteriskCiscoBridge.Testing.Phones;

/// <summary>Which Cisco family the simulator plays (spec §1.2 and §1.5).</summary>
public enum PhoneFamily
{
    /// <summary>7940/7960 with SIP firmware: OS79XX.TXT, SIPDefault.cnf, SIP&lt;MAC&gt;.cnf, check-sync.</summary>
    Sip79x0,

    /// <summary>
    /// 7941…7975 with SIP firmware, and the later series (give the model, e.g. 8841): CTL/ITL, SEP&lt;MAC&gt;.cnf.xml,
    /// service-control.
    /// </summary>
    Sip79x1,
}

/// <summary>How the simulated phone treats a NOTIFY.</summary>
public enum NotifyBehaviour
{
    /// <summary>As the spec says: check-sync → syncinfo.xml → reboot when the sync differs; restart/reset → boot.</summary>
    Obey,

    /// <summary>Answers 200 OK and does nothing (a phone that will need escalating).</summary>
    AnswerAndIgnore,
}

/// <summary>What the phone did, in order, for tests to await.</summary>
public sealed record PhoneActivity(string Kind, string Detail);

/// <summary>
/// A Cisco IP phone as the bridge meets it: it boots by fetching its files over real TFTP in
/// the order of spec §1.2/§1.5, keeps the credentials it was given, listens for SIP NOTIFY on
/// UDP, answers 200 OK like the recorded phone, and then resyncs as its family does.
/// </summary>
public sealed class PhoneSimulator : IAsyncDisposable
{
    private readonly Socket _sip;
    private readonly Channel<PhoneActivity> _activity = Channel.CreateUnbounded<PhoneActivity>();
    private readonly List<PhoneActivity> _history = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _listener;
    private readonly Dictionary<string, byte[]?> _files = new(StringComparer.OrdinalIgnoreCase);
    private AmiTestServer? _registrar;

    /// <param name="model">The model it plays (<c>8841</c>, <c>8865NR</c>); by default a 7960 or a 7961.</param>
    public PhoneSimulator(PhoneFamily family, string mac, IPEndPoint tftpServer, string runningLoad, NotifyBehaviour behaviour = NotifyBehaviour.Obey, string? model = null)
    {
        Family = family;
        ModelNumber = model ?? (family == PhoneFamily.Sip79x0 ? "7960" : "7961");
        Mac = mac.ToUpperInvariant();
        TftpServer = tftpServer;
        RunningLoad = runningLoad;
        Behaviour = behaviour;
        CallId = $"{Guid.NewGuid():N}@127.0.0.1";
        _sip = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _sip.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener = ListenAsync(_stop.Token);
    }

    public PhoneFamily Family { get; }

    public string Mac { get; }

    public IPEndPoint TftpServer { get; }

    /// <summary>The load the phone runs; it changes when <see cref="FollowsLoads"/> and a new load was installed.</summary>
    public string RunningLoad { get; private set; }

    /// <summary>
    /// When set, the phone acts on the load its files name, as a real one does: a 7940/7960 changes protocol
    /// when the first four characters of OS79XX.TXT differ from its image (spec §2.1) and takes
    /// <c>image_version</c> (§1.2 item 5); a 79x1 takes <c>loadInformation</c> from SEP&lt;MAC&gt;.cnf.xml or
    /// XMLDefault.cnf.xml (§1.5 items 3–5). A load that differs from the one it runs is fetched (its
    /// <c>.loads</c>, then every file listed), installed when every file came, and the phone reboots: the boot
    /// ends there and the next <see cref="BootAsync"/> runs the new load. Off by default.
    /// </summary>
    public bool FollowsLoads { get; set; }

    public NotifyBehaviour Behaviour { get; set; }

    /// <summary>
    /// False: the phone boots and fetches its files but never registers (a bad proxy address in them,
    /// say). With a registrar (<see cref="RegisterWith"/>) it registers after every boot. Default true.
    /// </summary>
    public bool Registers { get; set; } = true;

    /// <summary>
    /// True (the default): told to restart or reset by service-control, the phone first unregisters its lines
    /// (<c>Expires: 0</c>), as the Cisco SIP stack does on its way down (sipcc's shutdown path sends the unregister with
    /// its reason), so Asterisk drops the contact and takes the new Call-ID of the REGISTER after the boot. False: it goes
    /// down at once, like a phone that loses power, and comes back on the same address and port.
    /// </summary>
    public bool UnregistersOnRestart { get; set; } = true;

    /// <summary>Where NOTIFYs reach the phone (its SIP contact).</summary>
    public IPEndPoint SipEndPoint => (IPEndPoint)_sip.LocalEndPoint!;

    /// <summary>The Call-ID of its REGISTER, which a 79x1 service-control NOTIFY must carry.</summary>
    public string CallId { get; private set; }

    /// <summary>
    /// As the phone sends it in REGISTER (spec beyond-79xx A4): <c>Cisco-CP8841/14.2.1</c> for a later series (the
    /// release of its load), <c>Cisco-CP7961G-GE/…</c> and <c>Cisco-CP7960G/…</c> for the 79xx.
    /// </summary>
    public string UserAgent => IsLaterSeries ? $"Cisco-CP{ModelNumber}/{Release(RunningLoad)}"
        : Family == PhoneFamily.Sip79x0 ? $"Cisco-CP7960G/{RunningLoad}" : $"Cisco-CP7961G-GE/{RunningLoad}";

    /// <summary>True for a model after the 79xx (6900, 7800, 8800, 8900, 9900).</summary>
    public bool IsLaterSeries => !ModelNumber.StartsWith("79", StringComparison.Ordinal);

    /// <summary>
    /// When set, each file is asked for over HTTP at this address first (<c>http://SERVER:6970/NAME</c>), then over TFTP
    /// when HTTP fails, as the later series do (spec beyond-79xx A1, A7: "HTTP download error, try tftp download").
    /// </summary>
    public IPEndPoint? HttpServer { get; set; }

    /// <summary>
    /// The most <c>…VersionStamp</c> lines a service-control body may carry; one more is answered 400 Bad Request and
    /// ignored, as one CP-8861 on 14.1.1 did with the fifth line (spec beyond-79xx A5). No limit by default.
    /// </summary>
    public int MaxVersionStamps { get; set; } = int.MaxValue;

    /// <summary>Every file request of the phone, in order: protocol (http, tftp), name, and whether it got the file.</summary>
    public IReadOnlyList<(string Protocol, string Name, bool Found)> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    private readonly List<(string, string, bool)> _requests = [];

    /// <summary>Files fetched on the last boot, by name (null: the server said not found).</summary>
    public IReadOnlyDictionary<string, byte[]?> Files
    {
        get
        {
            lock (_files)
            {
                return new Dictionary<string, byte[]?>(_files, StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    /// <summary>The 79x0 <c>sync</c> value from its configuration, as the phone holds it.</summary>
    public string? Sync { get; private set; }

    /// <summary>Line credentials from the last configuration: (auth name, password) per line in button order.</summary>
    public IReadOnlyList<(string AuthName, string Password)> Lines { get; private set; } = [];

    public int Boots { get; private set; }

    public IReadOnlyList<PhoneActivity> History
    {
        get
        {
            lock (_history)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>
    /// The file names a phone of this family asks for on boot, in order (spec §1.2, §1.5; the later series per a CP-8945
    /// boot log and Wazo's detectors, beyond-79xx A1: its own CTL, its own ITL, then the site's default ITL).
    /// </summary>
    public IReadOnlyList<string> BootSequence => Family == PhoneFamily.Sip79x0
        ? ["OS79XX.TXT", $"CTLSEP{Mac}.tlv", $"SEP{Mac}.cnf.xml", "SIPDefault.cnf", $"SIP{Mac}.cnf", "RINGLIST.DAT", "dialplan.xml"]
        : IsLaterSeries
            ? [$"CTLSEP{Mac}.tlv", $"ITLSEP{Mac}.tlv", "ITLFile.tlv", $"SEP{Mac}.cnf.xml", "dialplan.xml", "Ringlist.xml"]
            : [$"CTLSEP{Mac}.tlv", $"ITLSEP{Mac}.tlv", $"SEP{Mac}.cnf.xml", "dialplan.xml", "Ringlist.xml"];

    /// <summary>Boots: fetches the family's files in order over TFTP and takes the configuration.</summary>
    public async Task BootAsync(CancellationToken cancellationToken)
    {
        lock (_files)
        {
            _files.Clear();
        }

        foreach (var name in BootSequence)
        {
            var bytes = await FetchAsync(name, cancellationToken);
            if (bytes is null && Family == PhoneFamily.Sip79x1 && name.StartsWith("SEP", StringComparison.Ordinal))
            {
                // §1.5 step 4: without its own file a 79x1 asks for the default.
                await FetchAsync("XMLDefault.cnf.xml", cancellationToken);
            }

            if (FollowsLoads && OfferedLoad(name) is { } offered && await InstallAsync(offered, cancellationToken))
            {
                // The new load is installed: the phone reboots into it.
                Boots++;
                Record(new PhoneActivity("upgraded", offered));
                return;
            }
        }

        TakeConfiguration();
        Boots++;
        CallId = $"{Guid.NewGuid():N}@127.0.0.1";
        Record(new PhoneActivity("booted", $"boot {Boots}"));
        await RegisterAsync(cancellationToken);
    }

    /// <summary>Makes the phone register its lines with <paramref name="asterisk"/> after every boot, as a real one does with its SIP proxy.</summary>
    public void RegisterWith(AmiTestServer asterisk) => _registrar = asterisk;

    /// <summary>
    /// Registers every line of its configuration (auth name and password) from its SIP socket with the
    /// current Call-ID: Asterisk takes it only with the right password. Recorded as <c>registered</c> or
    /// <c>register-refused</c>; nothing without a registrar or when <see cref="Registers"/> is false.
    /// </summary>
    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        if (_registrar is not { } registrar || !Registers)
        {
            return;
        }

        foreach (var (authName, password) in Lines)
        {
            var endpoint = await registrar.RegisterAsync(authName, password, e => new AmiTestContact($"sip:{e.Aor ?? authName}@127.0.0.1:{SipEndPoint.Port}", UserAgent, CallId), cancellationToken);
            Record(endpoint is null ? new PhoneActivity("register-refused", authName) : new PhoneActivity("registered", $"{endpoint.Name} {CallId}"));
        }
    }

    /// <summary>Unregisters every line of its configuration (<c>Expires: 0</c> for its contact), recorded as <c>unregistered</c>.</summary>
    public async Task UnregisterAsync(CancellationToken cancellationToken)
    {
        if (_registrar is not { } registrar || !Registers)
        {
            return;
        }

        foreach (var (authName, password) in Lines)
        {
            var aor = registrar.Pbx.Endpoints.FirstOrDefault(e => e.Username == authName)?.Aor ?? authName;
            if (await registrar.UnregisterAsync(authName, password, $"sip:{aor}@127.0.0.1:{SipEndPoint.Port}", CallId, cancellationToken))
            {
                Record(new PhoneActivity("unregistered", authName));
            }
        }
    }

    /// <summary>
    /// The load the files fetched so far tell the phone to run, at the point of the boot where it acts on it,
    /// or null when nothing differs from what it runs.
    /// </summary>
    private string? OfferedLoad(string justFetched)
    {
        var files = Files;
        string? offered = null;
        if (Family == PhoneFamily.Sip79x0 && justFetched == "OS79XX.TXT" && files.GetValueOrDefault("OS79XX.TXT") is { } os)
        {
            // §2.1: only the first four characters (the protocol) are compared; equal means carry on.
            var token = Encoding.ASCII.GetString(os).Trim();
            offered = token.Length >= 4 && !token[..4].Equals(RunningLoad[..Math.Min(4, RunningLoad.Length)], StringComparison.OrdinalIgnoreCase) ? token : null;
        }
        else if (Family == PhoneFamily.Sip79x0 && justFetched == $"SIP{Mac}.cnf")
        {
            var values = ParseCnf(Concat(files.GetValueOrDefault("SIPDefault.cnf"), files.GetValueOrDefault($"SIP{Mac}.cnf")));
            offered = values.GetValueOrDefault("image_version");
        }
        else if (Family == PhoneFamily.Sip79x1 && justFetched == $"SEP{Mac}.cnf.xml")
        {
            var xml = files.GetValueOrDefault($"SEP{Mac}.cnf.xml") ?? files.GetValueOrDefault("XMLDefault.cnf.xml");
            var root = xml is null ? null : XDocument.Parse(Encoding.UTF8.GetString(xml)).Root;
            offered = (string?)root?.Element("loadInformation")
                ?? (string?)root?.Elements().FirstOrDefault(e => e.Name.LocalName.StartsWith("loadInformation", StringComparison.Ordinal) && ((string?)e.Attribute("model"))?.EndsWith(ModelNumber, StringComparison.Ordinal) == true);
        }

        return string.IsNullOrWhiteSpace(offered) || offered.Equals(RunningLoad, StringComparison.OrdinalIgnoreCase) ? null : offered.Trim();
    }

    /// <summary>The model number the phone reports (7960 or 7961 unless given, as its User-Agent says).</summary>
    public string ModelNumber { get; }

    /// <summary>§1.5 item 5: the load's <c>.loads</c>, then every image it lists; installed only when every one came.</summary>
    private async Task<bool> InstallAsync(string load, CancellationToken cancellationToken)
    {
        var descriptor = await FetchAsync(load + ".loads", cancellationToken);
        if (descriptor is null)
        {
            Record(new PhoneActivity("upgrade-failed", $"{load}.loads not found"));
            return false;
        }

        var components = Regex.Matches(Encoding.ASCII.GetString(descriptor), @"[A-Za-z0-9][A-Za-z0-9._-]*\.(?:sbn|sb2|bin|zz)\b")
            .Select(m => m.Value)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        foreach (var component in components)
        {
            if (await FetchAsync(component, cancellationToken) is null)
            {
                Record(new PhoneActivity("upgrade-failed", $"{component} not found"));
                return false;
            }
        }

        RunningLoad = load;
        return true;
    }

    /// <summary>Waits for the next activity of the given kind.</summary>
    public async Task<PhoneActivity> WaitForAsync(string kind, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var next = await _activity.Reader.ReadAsync(cts.Token);
                if (next.Kind == kind)
                {
                    return next;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"phone {Mac} did not report '{kind}' within {timeout}; history: {string.Join(", ", History.Select(h => h.Kind + ":" + h.Detail))}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _sip.Dispose();
        try
        {
            await _listener;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task<byte[]?> FetchAsync(string name, CancellationToken cancellationToken)
    {
        if (HttpServer is { } http)
        {
            using var web = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using var response = await web.GetAsync(new Uri($"http://{http}/{name}"), cancellationToken);
            var found = response.IsSuccessStatusCode;
            lock (_requests)
            {
                _requests.Add(("http", name, found));
            }

            if (found)
            {
                var fetched = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                lock (_files)
                {
                    _files[name] = fetched;
                }

                Record(new PhoneActivity("fetched", "http " + name));
                return fetched;
            }
        }

        using var client = new TftpTestClient();
        byte[]? bytes;
        try
        {
            (bytes, _) = await client.DownloadAsync(TftpServer, name, cancellationToken, "octet", ("blksize", "1428"), ("tsize", "0"));
        }
        catch (TftpErrorException e) when (e.Code == 1)
        {
            bytes = null;
        }

        lock (_files)
        {
            _files[name] = bytes;
        }

        lock (_requests)
        {
            _requests.Add(("tftp", name, bytes is not null));
        }

        Record(new PhoneActivity("fetched", bytes is null ? $"{name} (not found)" : name));
        return bytes;
    }

    private void TakeConfiguration()
    {
        var files = Files;
        if (Family == PhoneFamily.Sip79x0)
        {
            var cnf = Concat(files.GetValueOrDefault("SIPDefault.cnf"), files.GetValueOrDefault($"SIP{Mac}.cnf"));
            var values = ParseCnf(cnf);
            Sync = values.GetValueOrDefault("sync");
            var lines = new List<(string, string)>();
            for (var i = 1; i <= 6; i++)
            {
                if (values.TryGetValue($"line{i}_name", out var name) && name.Length > 0)
                {
                    lines.Add((values.GetValueOrDefault($"line{i}_authname") ?? name, values.GetValueOrDefault($"line{i}_password") ?? string.Empty));
                }
            }

            Lines = lines;
        }
        else
        {
            var xml = files.GetValueOrDefault($"SEP{Mac}.cnf.xml");
            Lines = xml is null
                ? []
                : [.. XDocument.Parse(Encoding.UTF8.GetString(xml)).Descendants("line")
                    .Where(l => l.Element("authName") is not null)
                    .Select(l => ((string)l.Element("authName")!, (string?)l.Element("authPassword") ?? string.Empty))];
        }
    }

    /// <summary>Reads <c>name: value</c> lines of a .cnf file; later files override earlier ones (spec §2.2).</summary>
    public static Dictionary<string, string> ParseCnf(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in text.Split('\n'))
        {
            var match = Regex.Match(raw.TrimEnd('\r'), "^\\s*([A-Za-z0-9_]+)\\s*:\\s*(\"(?<q>[^\"]*)\"|(?<v>[^;#]*))");
            if (match.Success)
            {
                values[match.Groups[1].Value] = match.Groups["q"].Success ? match.Groups["q"].Value : match.Groups["v"].Value.Trim();
            }
        }

        return values;
    }

    private static string Concat(params byte[]?[] parts) => string.Join("\n", parts.Where(p => p is not null).Select(p => Encoding.UTF8.GetString(p!)));

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[65536];
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _sip.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var message = SipMessage.Parse(buffer.AsSpan(0, received.ReceivedBytes));
            if (message is null || message.Method != "NOTIFY")
            {
                continue;
            }

            var stamps = message.Body.Split("\r\n").Count(l => l.Split('=')[0].EndsWith("VersionStamp", StringComparison.Ordinal));
            if (message.EventPackage == "service-control" && stamps > MaxVersionStamps)
            {
                await _sip.SendToAsync(message.Response(400, "Bad Request", Guid.NewGuid().ToString("N")[..8], UserAgent), SocketFlags.None, received.RemoteEndPoint, cancellationToken);
                Record(new PhoneActivity("refused", $"400 Bad Request: {stamps} version stamps, this firmware takes {MaxVersionStamps}"));
                continue;
            }

            await _sip.SendToAsync(message.OkResponse(Guid.NewGuid().ToString("N")[..8], UserAgent), SocketFlags.None, received.RemoteEndPoint, cancellationToken);
            Record(new PhoneActivity("notified", $"{message.EventPackage} {string.Join(' ', message.BodyFields.Select(f => f.Key + "=" + f.Value))}".Trim()));
            if (Behaviour == NotifyBehaviour.Obey)
            {
                await ObeyAsync(message, cancellationToken);
            }
        }
    }

    private async Task ObeyAsync(SipMessage notify, CancellationToken cancellationToken)
    {
        switch (notify.EventPackage?.ToLowerInvariant())
        {
            case "check-sync" when Family == PhoneFamily.Sip79x0:
                // §4.2: fetch syncinfo.xml; reboot only when its SYNC for this image (or *) differs.
                var syncinfo = await FetchAsync("syncinfo.xml", cancellationToken);
                var entries = syncinfo is null
                    ? []
                    : XDocument.Parse(Encoding.UTF8.GetString(syncinfo)).Descendants("IMAGE").Select(e => ((string?)e.Attribute("VERSION"), (string?)e.Attribute("SYNC"))).ToList();
                var entry = entries.FirstOrDefault(e => e.Item1 == RunningLoad);
                if (entry.Item1 is null)
                {
                    entry = entries.FirstOrDefault(e => e.Item1 == "*");
                }

                if (entry.Item1 is null || entry.Item2 != Sync)
                {
                    await BootAsync(cancellationToken);
                }
                else
                {
                    Record(new PhoneActivity("unchanged", $"sync {Sync}"));
                }

                break;
            case "service-control" when Family == PhoneFamily.Sip79x1:
                var fields = notify.BodyFields;
                var callId = fields.GetValueOrDefault("RegisterCallId")?.Trim('{', '}');
                if (callId != CallId)
                {
                    // A 79x1 ignores a service-control that does not name its registration.
                    Record(new PhoneActivity("ignored", $"RegisterCallId {callId} is not {CallId}"));
                    break;
                }

                if (fields.GetValueOrDefault("action") is "restart" or "reset")
                {
                    if (UnregistersOnRestart)
                    {
                        await UnregisterAsync(cancellationToken);
                    }

                    await BootAsync(cancellationToken);
                }

                break;
            default:
                Record(new PhoneActivity("ignored", $"event {notify.EventPackage} means nothing to a {Family}"));
                break;
        }
    }

    // 14-2-1 of sip88xx.14-2-1-0001-131 as the User-Agent gives it: 14.2.1.
    private static string Release(string load)
    {
        var dot = load.IndexOf('.', StringComparison.Ordinal);
        var parts = load[(dot + 1)..].Split('-');
        return string.Join('.', parts.Take(3).Select(p => new string([.. p.TakeWhile(char.IsAsciiDigit)])));
    }

    private void Record(PhoneActivity activity)
    {
        lock (_history)
        {
            _history.Add(activity);
        }

        _activity.Writer.TryWrite(activity);
    }
}
