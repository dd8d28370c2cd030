using System.Data;
using System.Text;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Storage;

/// <summary>
/// Phones, their bindings and their rendered files. A phone's new files and its sync counter bump
/// commit in one transaction; content equal to what is stored writes nothing.
/// </summary>
public sealed class PhoneStore(SqliteConnectionFactory connections)
{
    private const string PhoneColumns = """
        mac AS Mac, model AS Model, load AS Load, sync_counter AS SyncCounter, sync_value AS SyncValue,
        version_stamp AS VersionStamp, content_hash AS ContentHash, created_at AS CreatedAt, updated_at AS UpdatedAt, rendered_at AS RenderedAt,
        pinned_load AS PinnedLoad, load_source AS LoadSource, load_seen_at AS LoadSeenAt, model_source AS ModelSource
        """;

    /// <summary>
    /// Creates or updates the phone and replaces its bindings (in button order), with an audit row,
    /// in one transaction. Returns true when the phone was new. Without <paramref name="model"/> a new
    /// phone's model is unknown (learned later) and a known phone keeps the model it has.
    /// </summary>
    public async Task<bool> BindAsync(MacAddress mac, PhoneModel? model, IReadOnlyList<BindingRow> bindings, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Exists = "SELECT count(*) FROM phones WHERE mac = @mac";
        const string Upsert = """
            INSERT INTO phones (mac, model, model_source, created_at, updated_at) VALUES (@mac, @Model, @Source, @now, @now)
            ON CONFLICT (mac) DO UPDATE SET model = excluded.model, model_source = excluded.model_source, updated_at = excluded.updated_at
            """;
        const string Touch = """
            INSERT INTO phones (mac, model, model_source, created_at, updated_at) VALUES (@mac, '', NULL, @now, @now)
            ON CONFLICT (mac) DO UPDATE SET updated_at = excluded.updated_at
            """;
        const string Clear = "DELETE FROM bindings WHERE mac = @mac";
        const string Insert = """
            INSERT INTO bindings (mac, position, endpoint, extension, auth_user, password, display_name, caller_id, label)
            VALUES (@Mac, @Position, @Endpoint, @Extension, @AuthUser, @Password, @DisplayName, @CallerId, @Label)
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var isNew = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Exists, new { mac }, transaction, cancellationToken: cancellationToken)) == 0;
        await connection.ExecuteAsync(model is null
            ? new CommandDefinition(Touch, new { mac, now }, transaction, cancellationToken: cancellationToken)
            : new CommandDefinition(Upsert, new { mac, Model = model.Name, Source = ModelSourceText.Bind, now }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(Clear, new { mac }, transaction, cancellationToken: cancellationToken));
        foreach (var binding in bindings)
        {
            await connection.ExecuteAsync(new CommandDefinition(Insert, new
            {
                Mac = mac,
                binding.Position,
                binding.Endpoint,
                binding.Extension,
                binding.AuthUser,
                binding.Password,
                binding.DisplayName,
                binding.CallerId,
                binding.Label,
            }, transaction, cancellationToken: cancellationToken));
        }

        var detail = $"model {model?.Name ?? "(learned)"}; endpoints {string.Join(",", bindings.Select(b => b.Endpoint))}";
        await AuditLog.AppendAsync(connection, transaction, new AuditRecord { At = now, Actor = actor, Action = isNew ? "bind" : "rebind", Mac = mac, Detail = detail }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return isNew;
    }

    /// <summary>Removes the phone, its bindings and its files, with an audit row. False when unknown.</summary>
    public async Task<bool> UnbindAsync(MacAddress mac, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Delete = "DELETE FROM phones WHERE mac = @mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(Delete, new { mac }, transaction, cancellationToken: cancellationToken));
        if (deleted == 0)
        {
            return false;
        }

        await AuditLog.AppendAsync(connection, transaction, new AuditRecord { At = now, Actor = actor, Action = "unbind", Mac = mac }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Writes the model the inventory settled on for each phone, creating the rows of phones that only
    /// Asterisk declares (no audit row: Asterisk's configuration is the record). Returns the phones created.
    /// </summary>
    public async Task<IReadOnlyList<MacAddress>> SyncModelsAsync(IReadOnlyList<(MacAddress Mac, string Model, string? Source)> phones, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Current = "SELECT mac AS Mac, model AS Model, model_source AS Source FROM phones";
        const string Insert = "INSERT INTO phones (mac, model, model_source, created_at, updated_at) VALUES (@Mac, @Model, @Source, @now, @now)";
        const string Update = "UPDATE phones SET model = @Model, model_source = @Source, updated_at = @now WHERE mac = @Mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        var current = (await connection.QueryAsync<(string Mac, string Model, string? Source)>(new CommandDefinition(Current, cancellationToken: cancellationToken)))
            .ToDictionary(r => r.Mac, StringComparer.Ordinal);
        var created = new List<MacAddress>();
        var writes = phones.Where(p => !current.TryGetValue(p.Mac.Value, out var row) || row.Model != p.Model || row.Source != p.Source).ToList();
        if (writes.Count == 0)
        {
            return created;
        }

        await using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var (mac, model, source) in writes)
        {
            var isNew = !current.ContainsKey(mac.Value);
            await connection.ExecuteAsync(new CommandDefinition(isNew ? Insert : Update, new { Mac = mac, Model = model, Source = source, now }, transaction, cancellationToken: cancellationToken));
            if (isNew)
            {
                created.Add(mac);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    /// <summary>
    /// Records a model learned from what the phone did (a User-Agent, the files it asked for), unless an
    /// admin gave one with acb bind. True when the row changed.
    /// </summary>
    public async Task<bool> SetLearnedModelAsync(MacAddress mac, string model, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Sql = """
            UPDATE phones SET model = @model, model_source = @source, updated_at = @now
            WHERE mac = @mac AND NOT (coalesce(model_source, '') = 'bind' OR (model_source IS NULL AND model <> ''))
              AND NOT (model = @model AND coalesce(model_source, '') = @source)
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(Sql, new { mac, model, source, now }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>What the store holds of every phone's model, for the inventory.</summary>
    public async Task<IReadOnlyList<StoredModel>> ModelsAsync(CancellationToken cancellationToken)
    {
        const string Sql = "SELECT mac AS Mac, model AS Model, model_source AS Source FROM phones ORDER BY mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Mac, string Model, string? Source)>(new CommandDefinition(Sql, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new StoredModel(MacAddress.Parse(r.Mac).Mac!.Value, r.Model, ModelSourceText.Parse(r.Source, r.Model)))];
    }

    public async Task<PhoneRow?> GetAsync(MacAddress mac, CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {PhoneColumns} FROM phones WHERE mac = @mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PhoneRow>(new CommandDefinition(Sql, new { mac }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<PhoneRow>> ListAsync(CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {PhoneColumns} FROM phones ORDER BY mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<PhoneRow>(new CommandDefinition(Sql, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<IReadOnlyList<BindingRow>> BindingsAsync(MacAddress mac, CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT position AS Position, endpoint AS Endpoint, extension AS Extension, auth_user AS AuthUser, password AS Password,
                   display_name AS DisplayName, caller_id AS CallerId, label AS Label
            FROM bindings WHERE mac = @mac ORDER BY position
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<BindingRow>(new CommandDefinition(Sql, new { mac }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// Replaces a phone's settings (<see cref="PhoneSettings"/>: label, phone_password, messages,
    /// cnf:KEY, xml:ELEMENT), with an audit row naming them (never their values: a password may
    /// be among them), in one transaction. False when the phone is unknown.
    /// </summary>
    public async Task<bool> SetSettingsAsync(MacAddress mac, IReadOnlyList<KeyValuePair<string, string>> settings, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Exists = "SELECT count(*) FROM phones WHERE mac = @mac";
        const string Clear = "DELETE FROM phone_settings WHERE mac = @mac";
        const string Insert = "INSERT INTO phone_settings (mac, name, value) VALUES (@mac, @Key, @Value) ON CONFLICT (mac, name) DO UPDATE SET value = excluded.value";
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(Exists, new { mac }, transaction, cancellationToken: cancellationToken)) == 0)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(Clear, new { mac }, transaction, cancellationToken: cancellationToken));
        foreach (var setting in settings)
        {
            await connection.ExecuteAsync(new CommandDefinition(Insert, new { mac, setting.Key, setting.Value }, transaction, cancellationToken: cancellationToken));
        }

        var detail = settings.Count == 0 ? "settings cleared" : $"settings {string.Join(",", settings.Select(s => s.Key).Distinct())}";
        await AuditLog.AppendAsync(connection, transaction, new AuditRecord { At = now, Actor = actor, Action = "settings", Mac = mac, Detail = detail }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>A phone's settings, by name.</summary>
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> SettingsAsync(MacAddress mac, CancellationToken cancellationToken)
    {
        const string Sql = "SELECT name AS Name, value AS Value FROM phone_settings WHERE mac = @mac ORDER BY name";
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Name, string Value)>(new CommandDefinition(Sql, new { mac }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new KeyValuePair<string, string>(r.Name, r.Value))];
    }

    /// <summary>Every phone's bindings, keyed by MAC, in button order.</summary>
    public async Task<IReadOnlyDictionary<MacAddress, IReadOnlyList<BindingRow>>> AllBindingsAsync(CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT mac AS Mac, position AS Position, endpoint AS Endpoint, extension AS Extension, auth_user AS AuthUser, password AS Password,
                   display_name AS DisplayName, caller_id AS CallerId, label AS Label
            FROM bindings ORDER BY mac, position
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<string, BindingRow, (string Mac, BindingRow Row)>(
            new CommandDefinition(Sql, cancellationToken: cancellationToken), (mac, row) => (mac, row), splitOn: "Position");
        return rows.GroupBy(r => MacAddress.Parse(r.Mac).Mac!.Value)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<BindingRow>)g.Select(r => r.Row).ToArray());
    }

    /// <summary>Stores one phone's new files and bumps its counter, or nothing when the content is unchanged.</summary>
    public async Task<SaveResult> SaveRenderedAsync(StoredPhoneFiles rendering, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var result = await SaveAsync(connection, transaction, rendering, now, cancellationToken);
        if (result.Outcome == SaveOutcome.Updated)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// Stores many phones' files in one transaction (a site-wide re-render): each phone whose
    /// content changed gets its files and its counter bump; the rest are untouched.
    /// </summary>
    public Task<IReadOnlyList<SaveResult>> SaveRenderedAsync(IReadOnlyList<StoredPhoneFiles> renderings, DateTimeOffset now, CancellationToken cancellationToken) =>
        SaveRenderedAsync(renderings, now, null, cancellationToken);

    /// <summary>
    /// As above, and with <paramref name="resyncReason"/> each changed phone is queued for a resync
    /// (<see cref="ResyncQueue"/>) in the same transaction: a crash cannot keep the change and lose the resync.
    /// </summary>
    public async Task<IReadOnlyList<SaveResult>> SaveRenderedAsync(IReadOnlyList<StoredPhoneFiles> renderings, DateTimeOffset now, string? resyncReason, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var results = new SaveResult[renderings.Count];
        for (var i = 0; i < renderings.Count; i++)
        {
            results[i] = await SaveAsync(connection, transaction, renderings[i], now, cancellationToken);
            if (resyncReason is not null && results[i].Outcome == SaveOutcome.Updated && renderings[i].Notify)
            {
                await ResyncQueue.EnqueueAsync(connection, transaction, renderings[i].Mac, resyncReason, now, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    /// <summary>Every phone's stored files, for the TFTP tree.</summary>
    public async Task<IReadOnlyList<StoredFile>> AllFilesAsync(CancellationToken cancellationToken)
    {
        const string Sql = "SELECT name AS Name, content AS Content, sha256 AS Sha256 FROM rendered_files ORDER BY name";
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredFile>(new CommandDefinition(Sql, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<IReadOnlyList<StoredFile>> FilesAsync(MacAddress mac, CancellationToken cancellationToken)
    {
        const string Sql = "SELECT name AS Name, content AS Content, sha256 AS Sha256 FROM rendered_files WHERE mac = @mac ORDER BY name";
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredFile>(new CommandDefinition(Sql, new { mac }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>SHA-256 over the files' names and bytes, in name order: the phone's content identity.</summary>
    public static string SetHash(IEnumerable<(string Name, byte[] Content)> files)
    {
        var parts = new List<byte[]>();
        foreach (var (name, content) in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            parts.Add(Encoding.UTF8.GetBytes(name));
            parts.Add(content);
        }

        return Convert.ToHexStringLower(ContentHash.Of([.. parts]));
    }

    private static async Task<SaveResult> SaveAsync(SqliteConnection connection, IDbTransaction transaction, StoredPhoneFiles rendering, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Current = "SELECT content_hash AS ContentHash, sync_counter AS SyncCounter FROM phones WHERE mac = @mac";
        const string ClearFiles = "DELETE FROM rendered_files WHERE mac = @mac";
        const string InsertFile = "INSERT INTO rendered_files (mac, name, content, sha256) VALUES (@Mac, @Name, @Content, @Sha256)";
        const string Bump = """
            UPDATE phones SET sync_counter = sync_counter + 1, sync_value = @SyncValue, version_stamp = @VersionStamp,
                content_hash = @ContentHash, rendered_at = @now, updated_at = @now
            WHERE mac = @Mac
            """;
        var mac = rendering.Mac;
        var current = await connection.QuerySingleOrDefaultAsync<CurrentVersion>(
            new CommandDefinition(Current, new { mac }, transaction, cancellationToken: cancellationToken));
        if (current is null)
        {
            return new SaveResult(SaveOutcome.UnknownPhone, 0);
        }

        var hash = SetHash(rendering.Files.Select(f => (f.Name, f.Content)));
        if (current.ContentHash == hash)
        {
            return new SaveResult(SaveOutcome.Unchanged, current.SyncCounter);
        }

        await connection.ExecuteAsync(new CommandDefinition(ClearFiles, new { mac }, transaction, cancellationToken: cancellationToken));
        foreach (var file in rendering.Files)
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertFile, new { Mac = mac, file.Name, file.Content, Sha256 = ContentHash.Sha256Hex(file.Content) }, transaction, cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition(Bump, new { Mac = mac, rendering.SyncValue, rendering.VersionStamp, ContentHash = hash, now }, transaction, cancellationToken: cancellationToken));
        return new SaveResult(SaveOutcome.Updated, current.SyncCounter + 1);
    }

    private sealed record CurrentVersion
    {
        public string? ContentHash { get; init; }

        public long SyncCounter { get; init; }
    }
}
