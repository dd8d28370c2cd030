using System.Text.Json;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Support;

namespace AsteriskCiscoBridge.Host.Tests.Cli;

[Trait(AcbProgram.Trait, AcbProgram.Acb)]
public sealed class SyncCommandTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("001122AABBCC").Mac!.Value;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // What the service records when it holds an answer (RemovalHoldGate), written here by hand at the harness's clock.
    private static async Task<RemovalHoldStore> HoldAsync(CliHarness cli)
    {
        var factory = new SqliteConnectionFactory(new StorageOptions { Database = cli.DatabasePath });
        await factory.MigrateAsync(Ct);
        var holds = new RemovalHoldStore(factory);
        var now = cli.Time.GetUtcNow();
        await holds.HoldAsync(new RemovalHoldRow("ab12cd34ef56ab12cd34ef56", RemovalHoldReason.MassWithdrawal, now, now, 1, 4, [new WithdrawnLines(Mac, ["1001"], 1)]), Ct);
        return holds;
    }

    [Fact]
    public async Task Sync_with_nothing_held_says_so_and_accepting_is_not_an_error()
    {
        using var cli = new CliHarness();

        var shown = await cli.RunAsync("sync");
        var accepted = await cli.RunAsync("sync", "--accept-removals");
        var json = await cli.RunAsync("sync", "--accept-removals", "--json");

        Assert.Equal((0, "nothing is held: the service applies Asterisk's answers as they come\n"), (shown.Exit, shown.Output));
        Assert.Equal((0, "nothing is held: the service applied Asterisk's last answer (or has none), there is nothing to accept\n"), (accepted.Exit, accepted.Output));
        Assert.Equal(0, json.Exit);
        using var document = JsonDocument.Parse(json.Output);
        Assert.False(document.RootElement.GetProperty("held").GetBoolean());
        Assert.False(document.RootElement.GetProperty("accepted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("reason").ValueKind);
    }

    [Fact]
    public async Task Sync_shows_the_hold_and_accept_removals_records_who_accepted_with_an_audit_row()
    {
        using var cli = new CliHarness();
        var holds = await HoldAsync(cli);

        var (exit, output, _) = await cli.RunAsync("sync");
        Assert.Equal(0, exit);
        Assert.Equal(
            "held: Asterisk's answer would withdraw lines from 1 of 4 bound phones; held since 2026-11-22T08:00:00Z, nothing applied: phones keep their files and are not told; applied at 2026-11-22T08:10:00Z if Asterisk still answers the same, or now with: acb sync --accept-removals\n"
            + "phones losing lines: 001122AABBCC (1001)\n",
            output);

        (exit, output, _) = await cli.RunAsync("sync", "--accept-removals");
        Assert.Equal(0, exit);
        Assert.StartsWith("accepted: Asterisk's answer would withdraw lines from 1 of 4 bound phones\n", output, StringComparison.Ordinal);
        var hold = await holds.GetAsync(Ct);
        Assert.Equal(cli.Time.GetUtcNow(), hold!.AcceptedAt);
        Assert.StartsWith("cli:", hold.AcceptedBy, StringComparison.Ordinal);
        var audit = Assert.Single(await new AuditLog(new SqliteConnectionFactory(new StorageOptions { Database = cli.DatabasePath })).RecentAsync(10, Ct));
        Assert.Equal("accept-removals", audit.Action);

        (exit, output, _) = await cli.RunAsync("sync", "--json");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.True(root.GetProperty("held").GetBoolean());
        Assert.False(root.GetProperty("accepted").GetBoolean());
        Assert.Equal(("mass-withdrawal", "2026-11-22T08:00:00Z", "2026-11-22T08:10:00Z", 4), (root.GetProperty("reason").GetString(), root.GetProperty("heldSince").GetString(), root.GetProperty("appliesAt").GetString(), root.GetProperty("boundPhones").GetInt32()));
        var phone = Assert.Single(root.GetProperty("phones").EnumerateArray());
        Assert.Equal(("001122AABBCC", "1001", 1), (phone.GetProperty("mac").GetString(), phone.GetProperty("endpoints")[0].GetString(), phone.GetProperty("kept").GetInt32()));
        Assert.StartsWith("cli:", root.GetProperty("acceptedBy").GetString(), StringComparison.Ordinal);
        (_, output, _) = await cli.RunAsync("sync");
        Assert.Contains("accepted by cli:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Phones_starts_with_the_hold_and_marks_what_each_phone_would_lose()
    {
        using var cli = new CliHarness();
        await cli.RunAsync("bind", Mac.Value, "1001,1002", "--model", "7960");
        await HoldAsync(cli);

        var (_, table, _) = await cli.RunAsync("phones");
        var (_, json, _) = await cli.RunAsync("phones", "--json");

        Assert.StartsWith("HELD: Asterisk's answer would withdraw lines from 1 of 4 bound phones; held since 2026-11-22T08:00:00Z", table, StringComparison.Ordinal);
        Assert.StartsWith("MAC", table.Split('\n')[1], StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(["1001"], Assert.Single(document.RootElement.EnumerateArray()).GetProperty("heldRemoval").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Help_lists_the_sync_verb()
    {
        var help = await AcbProgram.RunAsync(["--help"], new Dictionary<string, string?>(), RepositoryPaths.Root, TimeSpan.FromSeconds(60), Ct);
        var syncHelp = await AcbProgram.RunAsync(["sync", "--help"], new Dictionary<string, string?>(), RepositoryPaths.Root, TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(0, help.ExitCode);
        Assert.Contains(help.StandardOutput.Split('\n'), l => l.TrimStart().StartsWith("sync ", StringComparison.Ordinal) && l.Contains("acb sync --accept-removals", StringComparison.Ordinal));
        Assert.Contains("--accept-removals", syncHelp.StandardOutput, StringComparison.Ordinal);
    }
}
