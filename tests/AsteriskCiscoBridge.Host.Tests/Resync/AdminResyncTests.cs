using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AsteriskCiscoBridge.Host.Tests.Resync;

/// <summary>The admin resync behind <c>acb resync</c> and the dashboard, against the AMI test server and a real store.</summary>
public sealed class AdminResyncTests : IDisposable
{
    private static readonly MacAddress Mac7960 = MacAddress.Parse("0011223344AA").Mac!.Value;
    private static readonly MacAddress Mac7940 = MacAddress.Parse("0011223344CC").Mac!.Value;
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _data = new("acb-admin-resync");
    private readonly SqliteConnectionFactory _connections;

    public AdminResyncTests() => _connections = new SqliteConnectionFactory(new StorageOptions { Database = Path.Combine(_data.Path, "acb.db") });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_plan_writes_nothing_and_its_sends_start_the_phones_over_in_the_queue_with_the_reason_given()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "pw") with { Contacts = [new AmiTestContact("sip:6001@127.0.0.1:5070", "Cisco-CP7960G/8.0", "reg-6001")] });
        pbx.Set(AmiTestEndpoint.Plain("6003", "pw"));
        await using var server = AmiTestServer.Start(pbx);
        await _connections.MigrateAsync(Ct);
        var phones = new PhoneStore(_connections);
        await phones.BindAsync(Mac7960, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6001" }], "test", Now, Ct);
        await phones.BindAsync(Mac7940, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "6003" }], "test", Now, Ct);
        var queue = new ResyncQueue(_connections);
        var admin = new AdminResync(phones, queue, new ResyncOptions { Interval = TimeSpan.Zero }, TimeProvider.System, NullLoggerFactory.Instance);

        await using var run = await admin.PlanAsync(new AmiOptions { Host = "127.0.0.1", Port = server.Port, Username = "bridge", Secret = "bridgepw" }, [Mac7960, Mac7940], Ct);

        var plan = Assert.IsType<ResyncPlan>(run.Plan);
        Assert.Null(run.Failure);
        Assert.Equal([(Mac7960, "6001", ResyncKind.CheckSync)], plan.Orders.Select(o => (o.Mac, o.Endpoint, o.Kind)));
        Assert.Equal([Mac7940], plan.Waiting);
        Assert.Empty(await queue.ListAsync(Ct));

        Assert.Equal(1, await run.SendAsync("admin resync", null, Ct));
        await run.LogoffAsync(Ct);

        var rows = await queue.ListAsync(Ct);
        Assert.Equal(
            [(Mac7960, ResyncState.AwaitingFetch, "admin resync"), (Mac7940, ResyncState.Pending, "admin resync")],
            rows.Select(r => (r.Mac, r.State, r.Reason)));
    }

    [Fact]
    public void The_progress_line_counts_sent_waiting_and_proven_phones()
    {
        Assert.Equal("sent 3 of 5, 2 waiting for a contact, 1 proven (fetched and registered)", AdminResyncRun.ProgressLine(3, 5, 2, 1));
    }
}
