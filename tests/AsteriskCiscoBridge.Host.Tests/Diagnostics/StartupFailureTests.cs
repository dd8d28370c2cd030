using System.Net;
using System.Net.Sockets;
using AsteriskCiscoBridge.Host.Diagnostics;
using AsteriskCiscoBridge.Host.Tests.Cli;
using AsteriskCiscoBridge.Services.Diagnostics;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Tftp.Server;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AsteriskCiscoBridge.Host.Tests.Diagnostics;

public sealed class StartupFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceListeners Listeners(params ServiceListener[] all) => new(all);

    [Fact]
    public void A_privileged_port_without_the_capability_names_the_capability_and_the_setting()
    {
        // bind(2) gives EACCES for port 69 without CAP_NET_BIND_SERVICE; tests run as root, so the
        // exception is made here with the error the socket layer maps EACCES to.
        var listener = ServiceListener.Tftp(new IPEndPoint(IPAddress.Any, 69));
        var e = new ListenException(listener, new SocketException((int)SocketError.AccessDenied));

        var line = StartupFailure.Describe(e, Listeners(listener), null);

        Assert.Equal(
            "cannot listen on 0.0.0.0:69 (TFTP): permission denied, a port below 1024 needs root or CAP_NET_BIND_SERVICE; run as root, give acb the capability (AmbientCapabilities=CAP_NET_BIND_SERVICE in its systemd unit) or set Tftp:Listen to a port above 1023",
            line);
    }

    [Fact]
    public void The_tftp_servers_own_failure_is_worded_the_same_way()
    {
        var endPoint = new IPEndPoint(IPAddress.IPv6Any, 69);
        var e = new TftpListenException(endPoint, new SocketException((int)SocketError.AccessDenied));

        var line = StartupFailure.Describe(new AggregateException(e), Listeners(ServiceListener.Tftp(endPoint)), null);

        Assert.StartsWith("cannot listen on [::]:69 (TFTP): permission denied, a port below 1024 needs root or CAP_NET_BIND_SERVICE;", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SocketError.AccessDenied, "cannot listen on 192.0.2.1:6970 (HTTP): permission denied; set Http:Listen")]
    [InlineData(SocketError.AddressNotAvailable, "cannot listen on 192.0.2.1:6970 (HTTP): no such address on this machine; set Http:Listen to one of its addresses or 0.0.0.0")]
    [InlineData(SocketError.AddressAlreadyInUse, "cannot listen on 192.0.2.1:6970 (HTTP): address in use; stop the other service or set Http:Listen")]
    public void Each_socket_error_gets_its_own_fix(SocketError error, string expected) =>
        Assert.Equal(expected, StartupFailure.Listen(ServiceListener.Http(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 6970)), error, "detail"));

    [Fact]
    public void An_unknown_failure_is_left_to_its_stack_trace()
    {
        Assert.Null(StartupFailure.Describe(new InvalidOperationException("a bug"), null, "/x/acb.db"));
        Assert.Null(StartupFailure.Describe(new IOException("disk", new NullReferenceException()), null, "/x/acb.db"));
    }

    [Fact]
    public async Task A_busy_http_port_at_host_start_names_the_address_and_setting()
    {
        // The race the start-up probe cannot close (the port taken between probe and bind): the
        // host's own start fails, with the exception Kestrel raises through our bind.
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        using var firmware = new TempDirectory("acb-fw");
        await using var app = RunCommandTests.Build(firmware, ("Http:Listen:0", $"127.0.0.1:{port}"));

        var e = await Assert.ThrowsAsync<ListenException>(() => app.StartAsync(Ct));

        Assert.Equal(
            $"cannot listen on 127.0.0.1:{port} (HTTP): address in use; stop the other service or set Http:Listen",
            StartupFailure.Describe(e, app.Services.GetRequiredService<ServiceListeners>(), null));
    }

    [Fact]
    public async Task A_busy_tftp_port_at_host_start_names_the_address_and_setting()
    {
        using var busy = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        busy.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)busy.LocalEndPoint!).Port;
        using var firmware = new TempDirectory("acb-fw");
        await using var app = RunCommandTests.Build(firmware, ("Tftp:Listen:0", $"127.0.0.1:{port}"));

        var e = await Assert.ThrowsAsync<TftpListenException>(() => app.StartAsync(Ct));

        Assert.Equal(
            $"cannot listen on 127.0.0.1:{port} (TFTP): address in use; stop the other service or set Tftp:Listen",
            StartupFailure.Describe(e, app.Services.GetRequiredService<ServiceListeners>(), null));
    }

    [Fact]
    public void The_probe_finds_a_busy_port_before_anything_starts_and_leaves_free_ones_free()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var dashboard = ServiceListener.Dashboard(new IPEndPoint(IPAddress.Loopback, port));

        var e = Assert.Throws<ListenException>(() => ListenerProbe.Probe(Listeners(ServiceListener.Http(new IPEndPoint(IPAddress.Loopback, 0)), dashboard)));

        Assert.Equal(dashboard, e.Listener);
        Assert.Equal($"cannot listen on 127.0.0.1:{port} (dashboard): address in use; stop the other service or set Dashboard:Listen", StartupFailure.Describe(e, null, null));

        // A probed port is released at once: the real server binds it right after.
        using var free = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        free.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var freePort = ((IPEndPoint)free.LocalEndPoint!).Port;
        free.Dispose();
        ListenerProbe.Probe(Listeners(ServiceListener.Tftp(new IPEndPoint(IPAddress.Loopback, freePort))));
        using var again = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        again.Bind(new IPEndPoint(IPAddress.Loopback, freePort));
    }

    [Fact]
    public async Task A_database_path_that_is_a_folder_is_named_with_the_fix()
    {
        using var folder = new TempDirectory("acb-db");
        var path = Path.Combine(folder.Path, "acb.db");
        Directory.CreateDirectory(path);

        var e = await Assert.ThrowsAsync<SqliteException>(() => new SqliteConnectionFactory(new StorageOptions { Database = path }).MigrateAsync(Ct));

        Assert.Equal(
            $"cannot open the database {path}: SQLite cannot open or create it; check that it is a file, readable and writable with its folder by the user acb runs as, or set Storage:Database",
            StartupFailure.Describe(e, null, path));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_named_with_the_fix()
    {
        using var folder = new TempDirectory("acb-db");
        var path = folder.Write("acb.db", new string('x', 4096));

        var e = await Assert.ThrowsAsync<SqliteException>(() => new SqliteConnectionFactory(new StorageOptions { Database = path }).MigrateAsync(Ct));
        SqliteConnection.ClearAllPools();

        Assert.Equal($"the database {path} is not an SQLite database or is damaged; move it aside (acb makes a new one) or set Storage:Database", StartupFailure.Describe(e, null, path));
    }

    [Fact]
    public async Task A_database_folder_that_cannot_be_made_is_named_with_the_fix()
    {
        using var folder = new TempDirectory("acb-db");
        var file = folder.Write("not-a-folder", "x");
        var path = Path.Combine(file, "acb.db");

        var e = await Assert.ThrowsAnyAsync<IOException>(() => new SqliteConnectionFactory(new StorageOptions { Database = path }).MigrateAsync(Ct));

        Assert.StartsWith($"cannot create the database folder {file}: ", StartupFailure.Store(path, e), StringComparison.Ordinal);
        Assert.EndsWith("; set Storage:Database", StartupFailure.Store(path, e), StringComparison.Ordinal);
        Assert.Equal(
            "cannot create the database folder /var/lib/acb: permission denied; create it for the user acb runs as, or set Storage:Database",
            StartupFailure.Store("/var/lib/acb/acb.db", new UnauthorizedAccessException("Access to the path '/var/lib/acb' is denied.")));
    }
}
