using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Testing.Ami;
using AsteriskCiscoBridge.Testing.Firmware;
using AsteriskCiscoBridge.Testing.Support;
using AsteriskCiscoBridge.Testing.Tftp;

namespace AsteriskCiscoBridge.Scenarios.Tests.Provisioning;

/// <summary>
/// Issue 10 item 4: what an admin does with the CLI while <c>acb run</c> runs (bind, <c>--set</c>, pin, unpin,
/// unbind, each a separate process on the same SQLite file, here in-process) is served over TFTP at once, not
/// at the next poll of Asterisk, and Asterisk is not read again for it: the service notices the change in its
/// store and applies the snapshot it has, or without one the store's own line data.
/// </summary>
public sealed class AdminChangeTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("0011223344D1").Mac!.Value;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bind_set_pin_unpin_and_unbind_beside_the_running_service_are_served_without_reading_asterisk_again()
    {
        var pbx = new AmiTestPbx();
        pbx.Set(AmiTestEndpoint.Plain("6001", "first-secret", "\"Ann Smith\" <6001>") with { Contacts = [new AmiTestContact("sip:6001@127.0.0.1:5090", "Cisco-CP7960G/8.0", "reg-6001")] });
        await using var service = await ServiceHarness.CreateAsync(pbx, Ct);
        Directory.CreateDirectory(service.FirmwareFolder);
        foreach (var (name, bytes) in new[] { SyntheticFirmware.Classic("P0S3-08-12-00", seed: 71), SyntheticFirmware.Classic("P0S3-08-11-00", seed: 72) }.SelectMany(l => l.Files))
        {
            await File.WriteAllBytesAsync(Path.Combine(service.FirmwareFolder, name), bytes, Ct);
        }

        // The login's Connected change and FullyBooted event both ask for a snapshot: a longer debounce makes them
        // one read for sure, so every read after the first round would be one made for a change.
        await service.StartAsync(Ct, ("Firmware:Defaults:7960", "P0S3-08-12-00"), ("Ami:Sync:Debounce", "00:00:00.5"));
        await service.Sync.RoundCount.ReachedAsync(1, Ct).WithinAsync(Bound, "the first provisioning round", Ct);
        var file = $"SIP{Mac}.cnf";
        Assert.Contains("phone_label: \"Unprovisioned\"", (await AskAsync(service, file)).Text, StringComparison.Ordinal);
        var asterisk = new AmiActionLog(service.Asterisk!);
        var snapshotRounds = service.Sync.Rounds;

        var (exit, output) = await service.CliAsync(Ct, "bind", Mac.Value, "6001", "--model", "7960");
        Assert.True(exit == 0, output);

        // The round plans the resync as a snapshot round does: the registered phone is told. (Awaited before any
        // fetch: a fetch of the new file before the NOTIFY goes out settles the resync, the phone having its file.)
        await Eventually.TrueAsync(() => asterisk.SinceStart().Any(a => a["Action"] == "PJSIPNotify" && a["Endpoint"] == "6001"), "a NOTIFY to the bound phone", Ct, Bound);
        var bound = await ServedAsync(service, file, t => t.Contains("line1_password: \"first-secret\"", StringComparison.Ordinal), "the bound line served");
        Assert.Contains("line1_displayname: \"Ann Smith\"", bound, StringComparison.Ordinal);
        Assert.Contains("image_version: \"P0S3-08-12-00\"", bound, StringComparison.Ordinal);

        (exit, output) = await service.CliAsync(Ct, "bind", Mac.Value, "6001", "--set", "label=Reception");
        Assert.True(exit == 0, output);
        await ServedAsync(service, file, t => t.Contains("phone_label: \"Reception\"", StringComparison.Ordinal), "the label set with --set served");

        (exit, output) = await service.CliAsync(Ct, "pin", Mac.Value, "P0S3-08-11-00");
        Assert.True(exit == 0, output);
        var pinned = await ServedAsync(service, file, t => t.Contains("image_version: \"P0S3-08-11-00\"", StringComparison.Ordinal), "the pinned load offered");
        Assert.Contains("line1_password: \"first-secret\"", pinned, StringComparison.Ordinal);

        (exit, output) = await service.CliAsync(Ct, "unpin", Mac.Value);
        Assert.True(exit == 0, output);
        await ServedAsync(service, file, t => t.Contains("image_version: \"P0S3-08-12-00\"", StringComparison.Ordinal), "the site default offered again");

        (exit, output) = await service.CliAsync(Ct, "unbind", Mac.Value);
        Assert.True(exit == 0, output);
        var withdrawn = await ServedAsync(service, file, t => !t.Contains("first-secret", StringComparison.Ordinal), "the line withdrawn");
        Assert.Contains("phone_label: \"Unprovisioned\"", withdrawn, StringComparison.Ordinal);

        // Every change was served by a round over the snapshot already held: Asterisk was not read for any.
        Assert.Equal(snapshotRounds, service.Sync.Rounds);
        Assert.True(service.Sync.RequestedRounds >= 5, $"{service.Sync.RequestedRounds} requested rounds");
        Assert.DoesNotContain(asterisk.SinceStart(), AmiActionLog.ReadsEndpoints);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Without_a_snapshot_bind_set_and_unbind_are_served_from_the_stores_line_data(bool amiConfigured)
    {
        // With AMI configured, Asterisk is unreachable (a closed port): no snapshot ever comes.
        await using var service = await ServiceHarness.CreateAsync(null, Ct);
        await service.StartAsync(Ct, amiConfigured ? [] : [("Ami:Username", string.Empty), ("Ami:Secret", string.Empty)]);
        var file = $"SIP{Mac}.cnf";
        Assert.Contains("phone_label: \"Unprovisioned\"", (await AskAsync(service, file)).Text, StringComparison.Ordinal);
        var lines = Path.Combine(Path.GetDirectoryName(service.Database)!, "lines.json");
        await File.WriteAllTextAsync(lines, """[{"endpoint": "6001", "password": "stored-secret", "displayName": "Ann Smith"}]""", Ct);

        var (exit, output) = await service.CliAsync(Ct, "bind", Mac.Value, "6001", "--model", "7960", "--line-data", lines);
        Assert.True(exit == 0, output);
        await ServedAsync(service, file, t => t.Contains("line1_password: \"stored-secret\"", StringComparison.Ordinal), "the recorded line served");

        (exit, output) = await service.CliAsync(Ct, "bind", Mac.Value, "6001", "--line-data", lines, "--set", "label=Lobby");
        Assert.True(exit == 0, output);
        await ServedAsync(service, file, t => t.Contains("phone_label: \"Lobby\"", StringComparison.Ordinal), "the label set with --set served");

        (exit, output) = await service.CliAsync(Ct, "unbind", Mac.Value);
        Assert.True(exit == 0, output);
        await ServedAsync(service, file, t => !t.Contains("stored-secret", StringComparison.Ordinal), "the line withdrawn");

        Assert.Equal(0, service.Sync.Rounds);
        Assert.Null(service.Sync.LastSnapshotAt);
    }

    private static Task<TftpAnswer> AskAsync(ServiceHarness service, string name) => TftpTestClient.AskAsync(service.Tftp, "127.0.0.1", name, Ct);

    /// <summary>
    /// Fetches the file over TFTP until its text passes <paramref name="accept"/>: once at once, then once after each
    /// requested round (a phone's request rate stays far below the service's per-address limit).
    /// </summary>
    private static async Task<string> ServedAsync(ServiceHarness service, string name, Func<string, bool> accept, string what)
    {
        var fetchedAfter = -1;
        var text = string.Empty;
        await Eventually.TrueAsync(
            async () =>
            {
                var rounds = service.Sync.RequestedRounds;
                if (rounds == fetchedAfter)
                {
                    return false;
                }

                fetchedAfter = rounds;
                text = (await AskAsync(service, name)).Text ?? string.Empty;
                return accept(text);
            },
            what,
            Ct,
            Bound);
        return text;
    }

}
