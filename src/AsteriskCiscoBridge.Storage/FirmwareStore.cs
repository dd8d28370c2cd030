using System.Collections.Immutable;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;
using Dapper;

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
        const string Known = "SELECT name AS Name, package AS Package, imported_at AS ImportedAt FROM firmware_loads";
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
        var known = (await connection.QueryAsync<Origin>(new CommandDefinition(Known, transaction: transaction, cancellationToken: cancellationToken)))
            .ToDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);
        var importedNames = new Dictionary<string, string>(imported, StringComparer.OrdinalIgnoreCase);
        await connection.ExecuteAsync(new CommandDefinition(Clear, transaction: transaction, cancellationToken: cancellationToken));
        foreach (var load in catalog.Loads)
        {
            var origin = importedNames.TryGetValue(load.Name, out var package)
                ? new Origin { Name = load.Name, Package = package, ImportedAt = now }
                : known.GetValueOrDefault(load.Name);
            await connection.ExecuteAsync(new CommandDefinition(InsertLoad, new
            {
                load.Name,
                Family = load.Load?.Family.Title,
                Protocol = ProtocolName(load.Load?.Protocol ?? LoadProtocol.Unknown),
                Version = load.Load?.Version.ToString(),
                load.Descriptor,
                Complete = load.IsComplete ? 1 : 0,
                Problem = load.Explain(),
                origin?.Package,
                origin?.ImportedAt,
                now,
            }, transaction, cancellationToken: cancellationToken));
            for (var i = 0; i < load.Files.Length; i++)
            {
                var file = load.Files[i];
                await connection.ExecuteAsync(new CommandDefinition(InsertFile, new
                {
                    Load = load.Name,
                    Position = i,
                    file.Name,
                    Present = file.Present ? 1 : 0,
                    Readable = file.Readable ? 1 : 0,
                    file.Length,
                }, transaction, cancellationToken: cancellationToken));
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The stored catalog, by load name.</summary>
    public async Task<IReadOnlyList<StoredLoad>> LoadsAsync(CancellationToken cancellationToken)
    {
        const string Loads = """
            SELECT name AS Name, family AS Family, protocol AS Protocol, version AS Version, descriptor AS Descriptor,
                   complete AS Complete, problem AS Problem, package AS Package, imported_at AS ImportedAt, verified_at AS VerifiedAt
            FROM firmware_loads ORDER BY name
            """;
        const string Files = """
            SELECT load AS Load, name AS Name, present AS Present, readable AS Readable, length AS Length
            FROM firmware_files ORDER BY load, position
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<LoadRow>(new CommandDefinition(Loads, cancellationToken: cancellationToken));
        var files = (await connection.QueryAsync<FileRow>(new CommandDefinition(Files, cancellationToken: cancellationToken)))
            .GroupBy(f => f.Load, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(f => new CatalogFile(f.Name, f.Present != 0, f.Readable != 0, f.Length)).ToImmutableArray(), StringComparer.OrdinalIgnoreCase);
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
        if (await connection.ExecuteAsync(new CommandDefinition(Update, new { mac, load, now }, transaction, cancellationToken: cancellationToken)) == 0)
        {
            return false;
        }

        var record = new AuditRecord { At = now, Actor = actor, Action = load is null ? "unpin" : "pin", Mac = mac, Detail = load is null ? null : $"load {load}" };
        await AuditLog.AppendAsync(connection, transaction, record, cancellationToken);
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
        var current = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(Current, new { mac }, transaction, cancellationToken: cancellationToken));
        if (await connection.ExecuteAsync(new CommandDefinition(Update, new { mac, load, source, now }, transaction, cancellationToken: cancellationToken)) == 0)
        {
            return false;
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
        return await connection.ExecuteAsync(new CommandDefinition(Delete, new { name }, cancellationToken: cancellationToken)) > 0;
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

    private sealed record FileRow
    {
        public required string Load { get; init; }

        public required string Name { get; init; }

        public long Present { get; init; }

        public long Readable { get; init; }

        public long Length { get; init; }
    }
}
