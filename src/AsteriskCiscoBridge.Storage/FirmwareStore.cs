using System.Collections.Immutable;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Storage;

/// <summary>A load of the stored catalog, with where it came from.</summary>
public sealed record StoredLoad(
    CatalogLoad Load,
    string Protocol,
    string? Family,
    string? Version,
    string? Package,
    DateTimeOffset? ImportedAt,
    DateTimeOffset VerifiedAt);

/// <summary>
/// The firmware catalog in the store (what the firmware folder holds, as the last import or start-up
/// scan saw it), per-phone pins, and the running load learned for each phone. The folder stays the
/// truth for the bytes; a scan replaces the catalog rows in one transaction.
/// </summary>
public sealed class FirmwareStore(SqliteConnectionFactory connections)
{
    /// <summary>
    /// Replaces the catalog with <paramref name="catalog"/> (a scan of the folder): loads gone from the
    /// folder are dropped, the others keep the package and time they were imported with, and the loads
    /// named in <paramref name="imported"/> are recorded as imported now from that package.
    /// </summary>
    public async Task RecordScanAsync(FirmwareCatalog catalog, IReadOnlyDictionary<string, string> imported, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Known = "SELECT name, package, imported_at FROM firmware_loads";
        const string Clear = "DELETE FROM firmware_loads";
        const string InsertLoad = """
            INSERT INTO firmware_loads (name, family, protocol, version, descriptor, complete, problem, package, imported_at, verified_at)
            VALUES (@Name, @Family, @Protocol, @Version, @Descriptor, @Complete, @Problem, @Package, @ImportedAt, @now)
            """;
        const string InsertFile = """
            INSERT INTO firmware_files (load, position, name, present, readable, length)
            VALUES (@Load, @Position, @Name, @Present, @Readable, @Length)
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        Dictionary<string, Origin> known;
        using (var command = transaction.Command(Known))
        {
            known = (await command.ListAsync(r => new Origin { Name = r.GetString(0), Package = r.GetStringOrNull(1), ImportedAt = r.GetTimestampOrNull(2) }, cancellationToken))
                .ToDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);
        }

        var importedNames = new Dictionary<string, string>(imported, StringComparer.OrdinalIgnoreCase);
        using (var command = transaction.Command(Clear))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        using var insertLoad = transaction.Command(InsertLoad, ("@now", now));
        using var insertFile = transaction.Command(InsertFile);
        foreach (var load in catalog.Loads)
        {
            var origin = importedNames.TryGetValue(load.Name, out var package)
                ? new Origin { Name = load.Name, Package = package, ImportedAt = now }
                : known.GetValueOrDefault(load.Name);
            await insertLoad
                .With("@Name", load.Name)
                .With("@Family", load.Load?.Family.Title)
                .With("@Protocol", ProtocolName(load.Load?.Protocol ?? LoadProtocol.Unknown))
                .With("@Version", load.Load?.Version.ToString())
                .With("@Descriptor", load.Descriptor)
                .With("@Complete", load.IsComplete ? 1 : 0)
                .With("@Problem", load.Explain())
                .With("@Package", origin?.Package)
                .With("@ImportedAt", origin?.ImportedAt)
                .ExecuteNonQueryAsync(cancellationToken);
            for (var i = 0; i < load.Files.Length; i++)
            {
                var file = load.Files[i];
                await insertFile
                    .With("@Load", load.Name)
                    .With("@Position", i)
                    .With("@Name", file.Name)
                    .With("@Present", file.Present ? 1 : 0)
                    .With("@Readable", file.Readable ? 1 : 0)
                    .With("@Length", file.Length)
                    .ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The stored catalog, by load name.</summary>
    public async Task<IReadOnlyList<StoredLoad>> LoadsAsync(CancellationToken cancellationToken)
    {
        const string Loads = """
            SELECT name, family, protocol, version, descriptor, complete, problem, package, imported_at, verified_at
            FROM firmware_loads ORDER BY name
            """;
        const string Files = "SELECT load, name, present, readable, length FROM firmware_files ORDER BY load, position";
        await using var connection = await connections.OpenAsync(cancellationToken);
        List<LoadRow> rows;
        using (var command = connection.Command(Loads))
        {
            rows = await command.ListAsync(
                r => new LoadRow
                {
                    Name = r.GetString(0),
                    Family = r.GetStringOrNull(1),
                    Protocol = r.GetString(2),
                    Version = r.GetStringOrNull(3),
                    Descriptor = r.GetStringOrNull(4),
                    Complete = r.GetInt64(5),
                    Problem = r.GetStringOrNull(6),
                    Package = r.GetStringOrNull(7),
                    ImportedAt = r.GetTimestampOrNull(8),
                    VerifiedAt = r.GetTimestamp(9),
                },
                cancellationToken);
        }

        Dictionary<string, ImmutableArray<CatalogFile>> files;
        using (var command = connection.Command(Files))
        {
            files = (await command.ListAsync(r => (Load: r.GetString(0), File: new CatalogFile(r.GetString(1), r.GetInt64(2) != 0, r.GetInt64(3) != 0, r.GetInt64(4))), cancellationToken))
                .GroupBy(f => f.Load, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Select(f => f.File).ToImmutableArray(), StringComparer.OrdinalIgnoreCase);
        }

        return
        [
            .. rows.Select(r =>
            {
                var load = new CatalogLoad(
                    r.Name,
                    LoadName.TryParse(r.Name, out var parsed, out _) ? parsed : null,
                    r.Descriptor,
                    files.GetValueOrDefault(r.Name, []),
                    r.Complete != 0 ? null : r.Problem ?? "incomplete");
                return new StoredLoad(load, r.Protocol, r.Family, r.Version, r.Package, r.ImportedAt, r.VerifiedAt);
            }),
        ];
    }

    /// <summary>The stored catalog as the planner takes it (term defaults are read from the folder, not stored).</summary>
    public async Task<FirmwareCatalog> CatalogAsync(CancellationToken cancellationToken) =>
        new([.. (await LoadsAsync(cancellationToken)).Select(l => l.Load)], []);

    /// <summary>Pins a phone to a load (null unpins), with an audit row, in one transaction. False when the phone is unknown.</summary>
    public async Task<bool> PinAsync(MacAddress mac, string? load, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Update = "UPDATE phones SET pinned_load = @load, updated_at = @now WHERE mac = @mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        using (var command = transaction.Command(Update, ("@mac", mac), ("@load", load), ("@now", now)))
        {
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        var record = new AuditRecord { At = now, Actor = actor, Action = load is null ? "unpin" : "pin", Mac = mac, Detail = load is null ? null : $"load {load}" };
        await AuditLog.AppendAsync(transaction, record, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Records the load a phone runs and where that was learned. Returns true when the load changed
    /// (the phone's plan may move on); the same load seen again only refreshes when and where.
    /// </summary>
    public async Task<bool> SetRunningLoadAsync(MacAddress mac, string load, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Current = "SELECT load FROM phones WHERE mac = @mac";
        const string Update = "UPDATE phones SET load = @load, load_source = @source, load_seen_at = @now WHERE mac = @mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        string? current;
        using (var command = transaction.Command(Current, ("@mac", mac)))
        {
            current = await command.ScalarAsync<string>(cancellationToken);
        }

        using (var command = transaction.Command(Update, ("@mac", mac), ("@load", load), ("@source", source), ("@now", now)))
        {
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return !string.Equals(current, load, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Removes a site file that would name a load no longer offered (OS79XX.TXT when no complete 7940/7960
    /// load is left): without it the phones get file-not-found and keep what they run.
    /// </summary>
    public async Task<bool> WithdrawSiteFileAsync(string name, CancellationToken cancellationToken)
    {
        const string Delete = "DELETE FROM site_files WHERE name = @name";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Delete, ("@name", name));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    internal static string ProtocolName(LoadProtocol protocol) => protocol switch
    {
        LoadProtocol.Sip => "sip",
        LoadProtocol.Sccp => "sccp",
        LoadProtocol.Mgcp => "mgcp",
        _ => "unknown",
    };

    private sealed record Origin
    {
        public required string Name { get; init; }

        public string? Package { get; init; }

        public DateTimeOffset? ImportedAt { get; init; }
    }

    private sealed record LoadRow
    {
        public required string Name { get; init; }

        public string? Family { get; init; }

        public required string Protocol { get; init; }

        public string? Version { get; init; }

        public string? Descriptor { get; init; }

        public long Complete { get; init; }

        public string? Problem { get; init; }

        public string? Package { get; init; }

        public DateTimeOffset? ImportedAt { get; init; }

        public DateTimeOffset VerifiedAt { get; init; }
    }
}
