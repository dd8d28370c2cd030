using System.Net;
using System.Text;
using AsteriskCiscoBridge.Host.Tests.Support;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Security;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;
using AsteriskCiscoBridge.Testing.Time;
using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Server;
using Microsoft.Extensions.Logging.Testing;

namespace AsteriskCiscoBridge.Host.Tests.Security;

/// <summary>The guards in front of a real TFTP server on loopback, with time from a fake clock.</summary>
public sealed class GuardedFileSourceTests : IAsyncDisposable
{
    private const string PhoneFile = "SIP0011223344AA.cnf";
    private static readonly MacAddress Mac = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly CountingTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private readonly FakeLoggerProvider _logs = new();
    private readonly KnownAddresses _addresses = new();
    private TftpServer? _server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IPEndPoint Start(AddressMismatchMode mismatch, RateLimitOptions? rate = null)
    {
        var store = new InMemoryFileSource(GuardedFileSource.StoreLayer);
        store.Replace([
            new(PhoneFile, Encoding.ASCII.GetBytes("line1_password: \"s3cret\"\n")),
            new("OS79XX.TXT", Encoding.ASCII.GetBytes("P0S3-08-12-00")),
        ]);
        var guarded = new GuardedFileSource(
            new LayeredFileSource([store]),
            new EnumerationGuard(new EnumerationGuardOptions()),
            _time,
            new FakeLogger<GuardedFileSource>(_logs.Collector),
            rate is null ? null : new RequestRateLimiter(rate),
            _addresses,
            mismatch);
        _server = new TftpServer(new TftpServerOptions { Listen = [new IPEndPoint(IPAddress.Loopback, 0)] }, [guarded], _time);
        _server.Start();
        return _server.LocalEndPoints[0];
    }

    private async Task<(int Error, TftpRequestEvent Event)> AskAsync(IPEndPoint server, string from, string name)
    {
        using var client = new TftpTestClient(IPAddress.Parse(from));
        int error;
        try
        {
            await client.DownloadAsync(server, name, Ct);
            error = 0;
        }
        catch (TftpErrorException e)
        {
            error = e.Code;
        }

        var recorded = await _server!.Requests.ReadAsync(Ct).AsTask().WaitAsync(Bound, Ct);
        Assert.Equal(name, recorded.FileName);
        return (error, recorded);
    }

    [Fact]
    public async Task Rate_limit_refuses_an_address_past_its_burst_until_time_refills_it_while_a_known_phone_is_never_limited()
    {
        var server = Start(AddressMismatchMode.Off, new RateLimitOptions { RequestsPerSecond = 1, Burst = 3 });

        // The phone fetches its own file first: that makes its address known, and its address is known from then on.
        Assert.Equal(0, (await AskAsync(server, "127.0.0.21", PhoneFile)).Error);
        var flood = new List<(int Error, TftpRequestEvent Event)>();
        for (var i = 0; i < 5; i++)
        {
            flood.Add(await AskAsync(server, "127.0.0.20", "OS79XX.TXT"));
        }

        var phone = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            phone.Add((await AskAsync(server, "127.0.0.21", i % 2 == 0 ? "OS79XX.TXT" : PhoneFile)).Error);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        var refilled = await AskAsync(server, "127.0.0.20", "OS79XX.TXT");

        Assert.Equal([0, 0, 0, 2, 2], flood.Select(f => f.Error));
        Assert.Equal((TftpRequestOutcome.Denied, GuardedFileSource.RateLimitSource), (flood[3].Event.Outcome, flood[3].Event.Source));
        Assert.All(phone, e => Assert.Equal(0, e));
        Assert.Equal(0, refilled.Error);
        var alarm = Assert.Single(_logs.Collector.GetSnapshot(), l => l.Id.Id == 6070);
        Assert.Contains("127.0.0.20", alarm.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deny_refuses_a_pinned_phones_file_to_another_address_and_the_pin_follows_a_re_registration()
    {
        var server = Start(AddressMismatchMode.Deny);

        var first = await AskAsync(server, "127.0.0.30", PhoneFile);
        var stranger = await AskAsync(server, "127.0.0.31", PhoneFile);
        var sharedFile = await AskAsync(server, "127.0.0.31", "OS79XX.TXT");
        var again = await AskAsync(server, "127.0.0.30", PhoneFile);

        // The phone moves: it registers from its new address, and the next snapshot says so.
        var bindings = new Dictionary<MacAddress, IReadOnlyList<BindingRow>> { [Mac] = [new BindingRow { Position = 1, Endpoint = "6001" }] };
        _addresses.Update(TestEndpoints.Snapshot(TestEndpoints.Plain("6001", contacts: "sip:6001@127.0.0.31:5060")), bindings);
        var moved = await AskAsync(server, "127.0.0.31", PhoneFile);
        var oldPlace = await AskAsync(server, "127.0.0.30", PhoneFile);

        Assert.Equal((0, 2, 0, 0, 0, 2), (first.Error, stranger.Error, sharedFile.Error, again.Error, moved.Error, oldPlace.Error));
        Assert.Equal(GuardedFileSource.AddressDeniedSource, stranger.Event.Source);
        Assert.Equal("0011223344AA is pinned to 127.0.0.30, asked from 127.0.0.31", stranger.Event.Detail);
        Assert.Equal(2, _logs.Collector.GetSnapshot().Count(l => l.Id.Id == 6071 && l.Level == Microsoft.Extensions.Logging.LogLevel.Warning));
    }

    [Fact]
    public async Task Alert_serves_the_other_address_but_says_so_in_the_journal_and_the_request_source()
    {
        var server = Start(AddressMismatchMode.Alert);

        await AskAsync(server, "127.0.0.40", PhoneFile);
        var other = await AskAsync(server, "127.0.0.41", PhoneFile);
        var own = await AskAsync(server, "127.0.0.40", PhoneFile);

        Assert.Equal((0, TftpRequestOutcome.Served, GuardedFileSource.AddressAlertSource), (other.Error, other.Event.Outcome, other.Event.Source));
        Assert.Equal(GuardedFileSource.StoreLayer, own.Event.Source);
        var alert = Assert.Single(_logs.Collector.GetSnapshot(), l => l.Id.Id == 6072);
        Assert.Contains("127.0.0.41", alert.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.40", alert.Message, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
