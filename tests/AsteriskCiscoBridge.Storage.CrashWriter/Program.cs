using System.Globalization;
using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Storage;

// Usage: CrashWriter DATABASE SEED
// Writes new rendered sets for a few phones in a loop, and after each commit prints
// "committed MAC COUNTER HASH" so the test knows what must survive a kill.
var factory = new SqliteConnectionFactory(new StorageOptions { Database = args[0] });
await factory.MigrateAsync(CancellationToken.None);
var store = new PhoneStore(factory);
var random = new Random(int.Parse(args[1], CultureInfo.InvariantCulture));
var macs = Enumerable.Range(0, 8).Select(i => MacAddress.Parse($"0000000000{i:X2}").Mac!.Value).ToArray();
var now = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
foreach (var mac in macs)
{
    await store.BindAsync(mac, PhoneModels.Cisco7960, [new BindingRow { Position = 1, Endpoint = "100" + mac.Value[^1] }], "crash-writer", now, CancellationToken.None);
}

var stdout = Console.Out;
for (var i = 0; ; i++)
{
    var mac = macs[random.Next(macs.Length)];
    var payload = new string('x', random.Next(10, 20000));
    RenderedFile[] files =
    [
        new($"SIP{mac.Value}.cnf", FileScope.Phone, Encoding.ASCII.GetBytes($"sync: \"{i}\"\n{payload}")),
        new($"SEP{mac.Value}.cnf.xml", FileScope.Phone, Encoding.ASCII.GetBytes($"<device>{i}{payload}</device>")),
        new($"extra{mac.Value}.txt", FileScope.Phone, Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture))),
    ];
    var result = await store.SaveRenderedAsync(new StoredPhoneFiles(mac, files, i.ToString(CultureInfo.InvariantCulture), null), now, CancellationToken.None);
    var hash = PhoneStore.SetHash(files.Select(f => (f.Name, f.Content)));
    await stdout.WriteLineAsync($"committed {mac.Value} {result.SyncCounter} {hash}");
    await stdout.FlushAsync();
}
