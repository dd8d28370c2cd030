using System.Globalization;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Testing.Ami;

/// <summary>
/// The site of the Reload-to-NOTIFY bench: PHONES endpoints on the AMI test server, each with a loopback
/// contact (port 9, discard: Asterisk's NOTIFYs stay on this machine), and a store with one phone bound
/// to each (half 7960, half 7965).
/// </summary>
internal sealed class BenchSite
{
    private BenchSite(AmiTestPbx pbx, List<AmiTestEndpoint> endpoints, string database, SqliteConnectionFactory connections)
    {
        Pbx = pbx;
        Endpoints = endpoints;
        Database = database;
        Connections = connections;
    }

    public AmiTestPbx Pbx { get; }

    public List<AmiTestEndpoint> Endpoints { get; }

    public string Database { get; }

    public SqliteConnectionFactory Connections { get; }

    public PhoneStore Store => new(Connections);

    public static async Task<BenchSite> CreateAsync(string folder, int phones)
    {
        var pbx = new AmiTestPbx();
        var endpoints = new List<AmiTestEndpoint>();
        for (var i = 0; i < phones; i++)
        {
            var name = (100000 + i).ToString(CultureInfo.InvariantCulture);
            endpoints.Add(AmiTestEndpoint.Plain(name, "pw-" + name, $"\"User {i}\" <{name}>") with { Contacts = [new AmiTestContact($"sip:{name}@127.0.0.1:9", "Cisco-CP7960G/8.0", $"{i:x8}@127.0.0.1")] });
        }

        foreach (var e in endpoints)
        {
            pbx.Set(e);
        }

        var database = Path.Combine(folder, "acb.db");
        var connections = new SqliteConnectionFactory(new StorageOptions { Database = database });
        await connections.MigrateAsync(CancellationToken.None);
        var store = new PhoneStore(connections);
        for (var i = 0; i < phones; i++)
        {
            await store.BindAsync(MacOf(i), i % 2 == 0 ? PhoneModels.Cisco7960 : PhoneModels.Find("7965")!, [new BindingRow { Position = 1, Endpoint = endpoints[i].Name }], "bench", DateTimeOffset.UtcNow, CancellationToken.None);
        }

        return new BenchSite(pbx, endpoints, database, connections);
    }

    /// <summary>The MAC of phone <paramref name="i"/>.</summary>
    public static MacAddress MacOf(int i) => MacAddress.Parse((0x0006D7000000L + i).ToString("X12", CultureInfo.InvariantCulture)).Mac!.Value;

    /// <summary>Changes the passwords of <paramref name="changed"/> endpoints spread over the site.</summary>
    public void ChangePasswords(int changed)
    {
        for (var i = 0; i < changed; i++)
        {
            Pbx.Set(Endpoints[i * (Endpoints.Count / changed)] with { Password = "changed-" + i });
        }
    }
}
