using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Time;
using Microsoft.Extensions.Time.Testing;

namespace AsteriskCiscoBridge.Ami.Tests.Pjsip;

public sealed class PjsipEndpointSourceTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static AmiClientOptions ClientOptions(int port, bool events = true) => new()
    {
        Connection = new AmiConnectionOptions { Port = port, Username = "bridge", Secret = "bridgepw", PingInterval = TimeSpan.Zero, ReceiveEvents = events },
        Jitter = 0,
    };

    // No spacing between reads: these tests drive the triggers themselves (MinInterval has its own test).
    private static readonly PjsipEndpointSourceOptions SourceOptions = new()
    {
        Debounce = TimeSpan.Zero,
        MinInterval = TimeSpan.Zero,
        PollInterval = TimeSpan.FromMinutes(5),
        RetryDelay = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public async Task Source_reads_after_login_and_again_after_a_Reload_event()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var lab = Lab.Start();
        var (time, server, source) = (lab.Time, lab.Server, lab.Source);

        var first = await source.Snapshots.ReadAsync(ct).AsTask().WaitAsync(Bound, ct);
        Assert.Equal(7, first.Endpoints.Length);
        Assert.NotNull(source.Current);

        server.Pbx.Set(server.Pbx.Find("6001")! with { CallerId = "\"Alice A. Anders\" <6001>" });
        await server.SendReloadAsync(ct);

        // Login raises two triggers (Connected, FullyBooted), so an unchanged snapshot may come first.
        await NextAsync(source, s => s.Find("6001")!.CallerIdName == "Alice A. Anders", ct);
        Assert.Equal("Alice A. Anders", source.Current!.Find("6001")!.CallerIdName);

        // Events are passed on to other consumers after the source has seen them.
        Assert.Equal("FullyBooted", (await source.Events.ReadAsync(ct)).EventName);
        Assert.Equal("Reload", (await source.Events.ReadAsync(ct)).EventName);
    }

    [Fact]
    public async Task Source_a_failed_read_keeps_the_last_complete_snapshot_and_a_reconnect_reads_again()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var lab = Lab.Start();
        var (time, server, source) = (lab.Time, lab.Server, lab.Source);
        await source.Snapshots.ReadAsync(ct).AsTask().WaitAsync(Bound, ct);

        // Asterisk restarts in the middle of the next read.
        server.DropConnectionOn = a => a["Action"] == "GetConfig";
        server.Pbx.Remove("6002");
        await server.SendReloadAsync(ct);
        var down = await WaitForAsync(source, AmiSessionState.Disconnected, ct);
        // Login triggers (Connected, FullyBooted) may have produced more than one complete read, but
        // none of them saw 6002 removed: the partial read did not replace them.
        Assert.NotNull(source.Current!.Find("6002"));

        server.DropConnectionOn = null;
        time.Advance(down.RetryIn!.Value);
        await NextAsync(source, s => s.Find("6002") is null, ct);
        Assert.Null(source.Current!.Find("6002"));
    }

    [Fact]
    public async Task Source_a_reconnect_reads_at_once_even_while_a_failed_read_waits_for_its_retry()
    {
        // manager.conf lacks write=system: the read is refused while the session stays up, so
        // the source waits RetryDelay. The admin fixes the user and Asterisk restarts: the
        // reconnect must read straight away, not after the retry delay.
        var ct = TestContext.Current.CancellationToken;
        var time = new CountingTimeProvider();
        await using var server = AmiTestServer.Start();
        var fixedUser = server.Users["bridge"];
        server.Users["bridge"] = fixedUser with { Write = new HashSet<string> { "reporting" } };
        await using var client = new AmiClient(ClientOptions(server.Port), time);
        await using var source = new PjsipEndpointSource(client, SourceOptions, time);
        source.Start();
        client.Start();
        await server.WaitForActionAsync("PJSIPShowEndpoints", ct).WaitAsync(Bound, ct);
        await time.ArmedAsync(2, ct).WithinAsync(Bound, "poll and retry armed", ct);
        Assert.Null(source.Current);

        server.Users["bridge"] = fixedUser;
        server.DropAll();
        var down = await WaitForAsync(source, AmiSessionState.Disconnected, ct);
        Assert.True(down.RetryIn < SourceOptions.RetryDelay);
        time.Advance(down.RetryIn!.Value);

        var snapshot = await source.Snapshots.ReadAsync(ct).AsTask().WaitAsync(Bound, ct);
        Assert.Equal(7, snapshot.Endpoints.Length);
    }

    [Fact]
    public async Task Source_a_reload_reported_in_progress_is_read_again_after_the_retry_delay()
    {
        // Reliability catalogue §5.5 case 27: "Status: 4 (already in progress) is retried later". The read the
        // event causes may see the old configuration, and no second event comes when the reload ends.
        var ct = TestContext.Current.CancellationToken;
        await using var lab = Lab.Start();
        var (time, server, source) = (lab.Time, lab.Server, lab.Source);
        await NextAsync(source, s => s.Find("6002") is not null, ct);
        Assert.Equal("FullyBooted", (await source.Events.ReadAsync(ct).AsTask().WaitAsync(Bound, ct)).EventName);

        await server.BroadcastAsync(AmiRecordedLayouts.ReloadResPjsip.Render(null, ("Status: 0", "Status: 4")), ct);
        var reload = await source.Events.ReadAsync(ct).AsTask().WaitAsync(Bound, ct);
        Assert.Equal(("Reload", "4"), (reload.EventName, reload["Status"]));
        Assert.True(PjsipEndpointSource.IsReloadPending(reload));

        // The read the event caused publishes its snapshot once the poll and the later read are armed (and
        // its own timers are gone, so moving the clock cannot time it out); the reload then ends quietly.
        await NextAsync(source, s => s.Find("6002") is not null, ct);
        await time.ArmedAsync(2, ct).WithinAsync(Bound, "poll and the later read armed", ct);
        server.Pbx.Remove("6002");
        time.Advance(SourceOptions.RetryDelay);

        await NextAsync(source, s => s.Find("6002") is null, ct);
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("1", true)]
    [InlineData("2", false)]
    [InlineData("3", false)]
    [InlineData("4", true)]
    public void IsReloadPending_only_queued_and_in_progress_reloads_are_read_again(string status, bool expected)
    {
        var reload = new AmiMessage([new("Event", "Reload"), new("Privilege", "system,all"), new("Module", "res_pjsip.so"), new("Status", status)]);
        Assert.Equal(expected, PjsipEndpointSource.IsReloadPending(reload));
    }

    [Fact]
    public async Task Source_a_burst_of_reloads_within_the_debounce_gives_one_read()
    {
        // Reliability catalogue §5.5 case 27: five Reload events for res_pjsip within the
        // debounce window become one snapshot, not five.
        var ct = TestContext.Current.CancellationToken;
        var time = new CountingTimeProvider();
        var debounce = TimeSpan.FromSeconds(1);
        await using var server = AmiTestServer.Start();
        await using var client = new AmiClient(ClientOptions(server.Port), time);
        await using var source = new PjsipEndpointSource(client, new PjsipEndpointSourceOptions { Debounce = debounce, MinInterval = TimeSpan.Zero, PollInterval = TimeSpan.FromMinutes(5) }, time);
        source.Start();
        client.Start();

        // Login (Connected, then FullyBooted) is itself a burst: one debounced read.
        Assert.Equal("FullyBooted", (await source.Events.ReadAsync(ct).AsTask().WaitAsync(Bound, ct)).EventName);
        await WaitForAsync(source, AmiSessionState.Connected, ct);
        await ReadAfterDebounceAsync();

        for (var i = 0; i < 5; i++)
        {
            await server.SendReloadAsync(ct);
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("Reload", (await source.Events.ReadAsync(ct).AsTask().WaitAsync(Bound, ct)).EventName);
        }

        await ReadAfterDebounceAsync();
        await server.SendReloadAsync(ct);
        Assert.Equal("Reload", (await source.Events.ReadAsync(ct).AsTask().WaitAsync(Bound, ct)).EventName);
        await ReadAfterDebounceAsync();

        // Reads run one after another, so by the third snapshot any extra read the burst might
        // have caused would already have reached the server.
        var reads = 0;
        while (server.Received.TryRead(out var received))
        {
            reads += received.Action["Action"] == "PJSIPShowEndpoints" ? 1 : 0;
        }

        Assert.Equal(3, reads);

        async Task ReadAfterDebounceAsync()
        {
            // The read loop is waiting out the debounce when a second timer (beside the poll) is armed.
            await time.ArmedAsync(2, ct).WithinAsync(Bound, "debounce armed", ct);
            time.Advance(debounce);
            await source.Snapshots.ReadAsync(ct).AsTask().WaitAsync(Bound, ct);
        }
    }

    [Fact]
    public async Task Source_polls_even_without_events()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new CountingTimeProvider();
        await using var server = AmiTestServer.Start();
        // Events off: the login is the only trigger, so exactly one read happens before the poll.
        await using var client = new AmiClient(ClientOptions(server.Port, events: false), time);
        await using var source = new PjsipEndpointSource(client, SourceOptions, time);
        source.Start();
        client.Start();
        var first = await source.Snapshots.ReadAsync(ct).AsTask().WaitAsync(Bound, ct);
        Assert.Null(first.Find("7001"));

        // A realtime change raises no event at all.
        server.Pbx.Set(AmiTestEndpoint.Plain("7001", "rt", "RT <7001>") with { InConfigFile = false });
        time.Advance(SourceOptions.PollInterval - TimeSpan.FromSeconds(1));
        Assert.False(source.Snapshots.TryRead(out _));
        time.Advance(TimeSpan.FromSeconds(1));

        var polled = await source.Snapshots.ReadAsync(ct).AsTask().WaitAsync(Bound, ct);
        Assert.Equal("RT", polled.Find("7001")!.CallerIdName);
    }

    [Fact]
    public async Task Source_full_reads_are_spaced_by_MinInterval_under_a_reload_burst()
    {
        // Reliability catalogue §5.5 case 27: reloads keep coming (a script reloading res_pjsip in a loop);
        // reads start no closer than Ami:Sync:MinInterval, however many bursts the debounce sees.
        var ct = TestContext.Current.CancellationToken;
        var time = new CountingTimeProvider();
        var debounce = TimeSpan.FromSeconds(1);
        var spacing = TimeSpan.FromSeconds(5);
        await using var server = AmiTestServer.Start();
        await using var client = new AmiClient(ClientOptions(server.Port), time);
        await using var source = new PjsipEndpointSource(client, new PjsipEndpointSourceOptions { Debounce = debounce, MinInterval = spacing, PollInterval = TimeSpan.FromMinutes(5) }, time);
        await StartThroughLoginReadAsync(source, client, time, debounce, ct);
        Assert.Equal(1, server.CountOf("PJSIPShowEndpoints"));

        for (var burst = 0; burst < 3; burst++)
        {
            // A Reload right after a read: the wait is the rest of MinInterval, not the debounce.
            await server.SendReloadAsync(ct);
            Assert.Equal("Reload", (await source.Events.ReadAsync(ct).AsTask().WaitAsync(Bound, ct)).EventName);
            await time.ArmedAsync(2, ct).WithinAsync(Bound, "the next read waits", ct);
            time.Advance(debounce);
            Assert.Equal(2, time.PendingTimers);

            // More reloads meanwhile are served by that one read.
            for (var i = 0; i < 4; i++)
            {
                await server.SendReloadAsync(ct);
                Assert.Equal("Reload", (await source.Events.ReadAsync(ct).AsTask().WaitAsync(Bound, ct)).EventName);
            }

            Assert.Equal(burst + 1, server.CountOf("PJSIPShowEndpoints"));
            time.Advance(spacing - debounce);
            await source.Snapshots.ReadAsync(ct).AsTask().WaitAsync(Bound, ct);
            Assert.Equal(burst + 2, server.CountOf("PJSIPShowEndpoints"));
        }
    }

    [Fact]
    public async Task Source_a_burst_of_ContactStatus_events_reads_the_contacts_once_and_no_snapshot()
    {
        // Reliability catalogue §5.5 case 27 (registration storms): phones registering refresh the contacts
        // with one PJSIPShowContacts per debounce interval; endpoints, auths and pjsip.conf are not read again.
        var ct = TestContext.Current.CancellationToken;
        var time = new CountingTimeProvider();
        var debounce = TimeSpan.FromSeconds(1);
        await using var server = AmiTestServer.Start();
        await using var client = new AmiClient(ClientOptions(server.Port), time);
        await using var source = new PjsipEndpointSource(client, new PjsipEndpointSourceOptions { Debounce = debounce, MinInterval = TimeSpan.Zero, PollInterval = TimeSpan.FromMinutes(5) }, time);
        var snapshot = await StartThroughLoginReadAsync(source, client, time, debounce, ct);
        Assert.Empty(snapshot.Find("6001")!.Contacts);
        var before = server.ActionCounts;

        // Ten registrations from new contacts, each announced as recorded: NonQualified, then Reachable;
        // each after the first replaces the one before (Removed).
        for (var i = 0; i < 10; i++)
        {
            await server.RegisterAsync("6001", "Xk7pL2q-6001-Lab", _ => new AmiTestContact($"sip:6001@127.0.0.1:{5070 + i};transport=udp", "Cisco-CP7945G/9.4.2-fake", $"call-{i}@127.0.0.1"), ct);
        }

        // Each REGISTER's SuccessfulAuth comes first (registration-and-notify-auditor), and is handed on as an authentication.
        var names = new List<string?>();
        for (var i = 0; i < 39; i++)
        {
            names.Add((await source.Events.ReadAsync(ct).AsTask().WaitAsync(Bound, ct)).EventName);
        }

        Assert.Equal((29, 10), (names.Count(n => n == "ContactStatus"), names.Count(n => n == "SuccessfulAuth")));
        var authentications = new List<PjsipAuthentication>();
        while (source.Authentications.TryRead(out var authentication))
        {
            authentications.Add(authentication);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => new PjsipAuthentication("6001", $"call-{i}@127.0.0.1", "127.0.0.1")), authentications);

        await time.ArmedAsync(2, ct).WithinAsync(Bound, "the contacts read debounced", ct);
        time.Advance(debounce);
        var update = await source.ContactUpdates.ReadAsync(ct).AsTask().WaitAsync(Bound, ct);

        var contact = Assert.Single(update.Contacts);
        Assert.Equal(("6001", "sip:6001@127.0.0.1:5079;transport=udp", "call-9@127.0.0.1"), (contact.Aor, contact.Uri, contact.CallId));
        Assert.Equal("call-9@127.0.0.1", Assert.Single(snapshot.WithContacts(update).Find("6001")!.Contacts).CallId);
        var after = server.ActionCounts;
        Assert.Equal(1, after.GetValueOrDefault("PJSIPShowContacts") - before.GetValueOrDefault("PJSIPShowContacts"));
        Assert.Equal(after.Values.Sum() - 1, before.Values.Sum());
        Assert.False(source.Snapshots.TryRead(out _));
    }

    [Fact]
    public async Task Source_RequestContacts_shows_a_same_uri_registration_that_raised_no_event_by_its_expiration()
    {
        // Asterisk 22 refreshes a contact registered again from the same URI: a new ExpirationTime, the old
        // Call-ID, no ContactStatus (res_pjsip_registrar.c). Only a read of the contacts shows it.
        var ct = TestContext.Current.CancellationToken;
        var time = new CountingTimeProvider();
        var asterisk = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
        var debounce = TimeSpan.FromSeconds(1);
        await using var server = AmiTestServer.Start();
        server.Clock = asterisk;
        await using var client = new AmiClient(ClientOptions(server.Port), time);
        await using var source = new PjsipEndpointSource(client, new PjsipEndpointSourceOptions { Debounce = debounce, MinInterval = TimeSpan.Zero, PollInterval = TimeSpan.FromMinutes(5) }, time);
        await StartThroughLoginReadAsync(source, client, time, debounce, ct);
        const string Uri = "sip:6001@127.0.0.1:5070;transport=udp";
        await server.RegisterAsync("6001", "Xk7pL2q-6001-Lab", _ => new AmiTestContact(Uri, "Cisco-CP7945G/9.4.2-fake", "boot-1@127.0.0.1"), ct);
        var authenticated = await source.Events.ReadAsync(ct).AsTask().WaitAsync(Bound, ct);
        var first = await source.Events.ReadAsync(ct).AsTask().WaitAsync(Bound, ct);
        var second = await source.Events.ReadAsync(ct).AsTask().WaitAsync(Bound, ct);
        Assert.Equal(("SuccessfulAuth", "NonQualified", "Reachable"), (authenticated.EventName, first["ContactStatus"], second["ContactStatus"]));
        await time.ArmedAsync(2, ct).WithinAsync(Bound, "the events' contacts read debounced", ct);
        time.Advance(debounce);
        Assert.Equal("boot-1@127.0.0.1", Assert.Single((await source.ContactUpdates.ReadAsync(ct).AsTask().WaitAsync(Bound, ct)).Contacts).CallId);

        // Two minutes later the phone reboots on the same port and registers with a new Call-ID.
        asterisk.Advance(TimeSpan.FromMinutes(2));
        await server.RegisterAsync("6001", "Xk7pL2q-6001-Lab", _ => new AmiTestContact(Uri, "Cisco-CP7945G/9.4.3-fake", "boot-2@127.0.0.1"), ct);
        source.RequestContacts("test");
        await time.ArmedAsync(2, ct).WithinAsync(Bound, "the requested read debounced", ct);
        time.Advance(debounce);
        var contact = Assert.Single((await source.ContactUpdates.ReadAsync(ct).AsTask().WaitAsync(Bound, ct)).Contacts);

        Assert.Equal(("boot-1@127.0.0.1", "Cisco-CP7945G/9.4.3-fake"), (contact.CallId, contact.UserAgent));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 2, 0, TimeSpan.Zero), contact.ExpiresAt);

        // The refresh's only event is its SuccessfulAuth, which carries the new Call-ID.
        Assert.Equal("SuccessfulAuth", (await source.Events.ReadAsync(ct).AsTask().WaitAsync(Bound, ct)).EventName);
        Assert.False(source.Events.TryRead(out _));
        Assert.Equal(["boot-1@127.0.0.1", "boot-2@127.0.0.1"], [(await source.Authentications.ReadAsync(ct)).CallId, (await source.Authentications.ReadAsync(ct)).CallId]);
    }

    [Theory]
    [InlineData("Reload", "res_pjsip.so", true)]
    [InlineData("Reload", "All", true)]
    [InlineData("Reload", "res_pjsip_notify.so", true)]
    [InlineData("Reload", "manager", false)]
    [InlineData("FullyBooted", null, true)]
    [InlineData("ContactStatus", null, false)]
    [InlineData("PeerStatus", null, false)]
    public void IsTrigger_reloads_of_pjsip_trigger_a_read_and_registrations_do_not(string name, string? module, bool expected)
    {
        var fields = new List<AmiField> { new("Event", name), new("Privilege", "system,all") };
        if (module is not null)
        {
            fields.Add(new AmiField("Module", module));
        }

        Assert.Equal(expected, PjsipEndpointSource.IsTrigger(new AmiMessage(fields)));
    }

    [Theory]
    [InlineData("ContactStatus", true)]
    [InlineData("PeerStatus", false)]
    [InlineData("Reload", false)]
    public void IsContactTrigger_only_ContactStatus_refreshes_the_contacts(string name, bool expected) =>
        Assert.Equal(expected, PjsipEndpointSource.IsContactTrigger(new AmiMessage([new("Event", name), new("Privilege", "system,all")])));

    /// <summary>The AMI test server, a client and the source over it on a fake clock, started, with the default options of these tests.</summary>
    private sealed class Lab : IAsyncDisposable
    {
        private readonly AmiClient _client;

        private Lab()
        {
            Server = AmiTestServer.Start();
            _client = new AmiClient(ClientOptions(Server.Port), Time);
            Source = new PjsipEndpointSource(_client, SourceOptions, Time);
        }

        public CountingTimeProvider Time { get; } = new();

        public AmiTestServer Server { get; }

        public PjsipEndpointSource Source { get; }

        public static Lab Start()
        {
            var lab = new Lab();
            lab.Source.Start();
            lab._client.Start();
            return lab;
        }

        public async ValueTask DisposeAsync()
        {
            await Source.DisposeAsync();
            await _client.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    private static async Task<PjsipSnapshot> NextAsync(PjsipEndpointSource source, Func<PjsipSnapshot, bool> condition, CancellationToken ct)
    {
        while (true)
        {
            var snapshot = await source.Snapshots.ReadAsync(ct).AsTask().WaitAsync(Bound, ct);
            if (condition(snapshot))
            {
                return snapshot;
            }
        }
    }

    // Starts the source and its client and lets the login's one debounced read run: its snapshot.
    private static async Task<PjsipSnapshot> StartThroughLoginReadAsync(PjsipEndpointSource source, AmiClient client, CountingTimeProvider time, TimeSpan debounce, CancellationToken ct)
    {
        source.Start();
        client.Start();
        Assert.Equal("FullyBooted", (await source.Events.ReadAsync(ct).AsTask().WaitAsync(Bound, ct)).EventName);
        await WaitForAsync(source, AmiSessionState.Connected, ct);
        await time.ArmedAsync(2, ct).WithinAsync(Bound, "the login's read debounced", ct);
        time.Advance(debounce);
        return await source.Snapshots.ReadAsync(ct).AsTask().WaitAsync(Bound, ct);
    }

    // Login raises two read triggers from two loops (Connected, FullyBooted): a test that moves the clock past the
    // login's debounce waits for both first, or the later one arms a second debounced read that nobody lets run.
    private static async Task<AmiSessionChange> WaitForAsync(PjsipEndpointSource source, AmiSessionState state, CancellationToken ct)
    {
        while (true)
        {
            var change = await source.SessionChanges.ReadAsync(ct).AsTask().WaitAsync(Bound, ct);
            if (change.State == state)
            {
                return change;
            }
        }
    }
}
