using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace AsteriskCiscoBridge.Storage.Tests;

/// <summary>
/// Kills a child process that writes rendered sets in a loop, many times, at random points, and
/// checks the database after each kill: every commit the child reported is there, and no phone
/// holds files from one transaction with the counter or hash of another.
/// </summary>
public sealed class CrashSafetyTests
{
    private const int Kills = 15;

    [Fact]
    public async Task Killing_the_writer_mid_write_loses_no_commit_and_leaves_no_half_state()
    {
        await using var db = await TempDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var writer = Path.Combine(AppContext.BaseDirectory, "AsteriskCiscoBridge.Storage.CrashWriter.dll");
        var random = new Random(42);
        var reported = new Dictionary<string, (long Counter, string Hash)>(StringComparer.Ordinal);
        var lastCounters = new Dictionary<string, long>(StringComparer.Ordinal);

        for (var run = 0; run < Kills; run++)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(writer);
            info.ArgumentList.Add(db.Path);
            info.ArgumentList.Add(run.ToString(CultureInfo.InvariantCulture));
            using var child = new Process { StartInfo = info };
            var lines = Channel.CreateUnbounded<string?>();
            child.OutputDataReceived += (_, e) => lines.Writer.TryWrite(e.Data);
            Assert.True(child.Start());
            child.BeginOutputReadLine();
            var commitsBeforeKill = random.Next(1, 60);
            for (var i = 0; i < commitsBeforeKill; i++)
            {
                var line = await lines.Reader.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(60), ct);
                if (line is null)
                {
                    Assert.Fail("writer stopped: " + await child.StandardError.ReadToEndAsync(ct));
                }

                var parts = line.Split(' ');
                reported[parts[1]] = (long.Parse(parts[2], CultureInfo.InvariantCulture), parts[3]);
            }

            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);

            await CheckAsync(db, reported, lastCounters, ct);
        }
    }

    private static async Task CheckAsync(TempDatabase db, Dictionary<string, (long Counter, string Hash)> reported, Dictionary<string, long> lastCounters, CancellationToken ct)
    {
        Assert.Equal("ok", await db.ScalarAsync<string>("PRAGMA integrity_check", ct));
        await using var connection = await db.Factory.OpenAsync(ct);
        using var phoneQuery = connection.Command("SELECT mac, sync_counter, content_hash, sync_value FROM phones");
        var phones = await phoneQuery.ListAsync(r => (Mac: r.GetString(0), Counter: r.GetInt64(1), Hash: r.GetStringOrNull(2), Sync: r.GetStringOrNull(3)), ct);
        using var fileQuery = connection.Command("SELECT mac, name, content, sha256 FROM rendered_files");
        var files = (await fileQuery.ListAsync(r => (Mac: r.GetString(0), Name: r.GetString(1), Content: r.GetBlob(2), Sha: r.GetString(3)), ct)).ToLookup(f => f.Mac);

        foreach (var (mac, counter, hash, sync) in phones)
        {
            // Files, hash, counter and sync value of a phone come from the same transaction.
            var mine = files[mac].ToArray();
            if (counter == 0)
            {
                Assert.Empty(mine);
                Assert.Null(hash);
                continue;
            }

            Assert.Equal(3, mine.Length);
            Assert.Equal(hash, PhoneStore.SetHash(mine.Select(f => (f.Name, f.Content))));
            Assert.All(mine, f => Assert.Equal(Provisioning.Rendering.ContentHash.Sha256Hex(f.Content), f.Sha));
            Assert.StartsWith($"sync: \"{sync}\"\n", Encoding.ASCII.GetString(mine.Single(f => f.Name.EndsWith(".cnf", StringComparison.Ordinal)).Content), StringComparison.Ordinal);

            // Nothing the writer reported as committed is lost, and counters never go back.
            if (reported.TryGetValue(mac, out var committed))
            {
                Assert.True(counter >= committed.Counter, $"{mac}: counter {counter} < committed {committed.Counter}");
                if (counter == committed.Counter)
                {
                    Assert.Equal(committed.Hash, hash);
                }
            }

            Assert.True(counter >= lastCounters.GetValueOrDefault(mac), $"{mac}: counter went back");
            lastCounters[mac] = counter;
        }

        Assert.All(reported.Keys, mac => Assert.Contains(phones, p => p.Mac == mac));
    }
}
