using System.Text;
using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Storage;

/// <summary>
/// Phones, their bindings and their rendered files. A phone's new files and its sync counter bump
/// commit in one transaction; content equal to what is stored writes nothing.
/// </summary>
public sealed class PhoneStore(SqliteConnectionFactory connections)
{
    private const string PhoneColumns = """
        mac, model, load, sync_counter, sync_value, version_stamp, content_hash, created_at, updated_at, rendered_at,
        pinned_load, load_source, load_seen_at, model_source
        """;

    private const string BindingColumns = "position, endpoint, extension, auth_user, password, display_name, caller_id, label";

    private static PhoneRow ReadPhone(SqliteDataReader r) => new()
    {
        Mac = r.GetMac(0),
        Model = r.GetString(1),
        Load = r.GetStringOrNull(2),
        SyncCounter = r.GetInt64(3),
        SyncValue = r.GetStringOrNull(4),
        VersionStamp = r.GetStringOrNull(5),
        ContentHash = r.GetStringOrNull(6),
        CreatedAt = r.GetTimestamp(7),
        UpdatedAt = r.GetTimestamp(8),
        RenderedAt = r.GetTimestampOrNull(9),
        PinnedLoad = r.GetStringOrNull(10),
        LoadSource = r.GetStringOrNull(11),
        LoadSeenAt = r.GetTimestampOrNull(12),
        ModelSource = r.GetStringOrNull(13),
    };

    /// <summary>Reads <see cref="BindingColumns"/> from <paramref name="first"/> on.</summary>
    private static BindingRow ReadBinding(SqliteDataReader r, int first) => new()
    {
        Position = r.GetInt32(first),
        Endpoint = r.GetString(first + 1),
        Extension = r.GetStringOrNull(first + 2),
        AuthUser = r.GetStringOrNull(first + 3),
        Password = r.GetStringOrNull(first + 4),
        DisplayName = r.GetStringOrNull(first + 5),
        CallerId = r.GetStringOrNull(first + 6),
        Label = r.GetStringOrNull(first + 7),
    };

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
        bool isNew;
        using (var command = transaction.Command(Exists, ("@mac", mac)))
        {
            isNew = await command.ScalarAsync<long>(cancellationToken) == 0;
        }

        using (var command = model is null
            ? transaction.Command(Touch, ("@mac", mac), ("@now", now))
            : transaction.Command(Upsert, ("@mac", mac), ("@Model", model.Name), ("@Source", ModelSourceText.Bind), ("@now", now)))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        using (var command = transaction.Command(Clear, ("@mac", mac)))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        using (var insert = transaction.Command(Insert, ("@Mac", mac)))
        {
            foreach (var binding in bindings)
            {
                await insert
                    .With("@Position", binding.Position)
                    .With("@Endpoint", binding.Endpoint)
                    .With("@Extension", binding.Extension)
                    .With("@AuthUser", binding.AuthUser)
                    .With("@Password", binding.Password)
                    .With("@DisplayName", binding.DisplayName)
                    .With("@CallerId", binding.CallerId)
                    .With("@Label", binding.Label)
                    .ExecuteNonQueryAsync(cancellationToken);
            }
        }

        var detail = $"model {model?.Name ?? "(learned)"}; endpoints {string.Join(",", bindings.Select(b => b.Endpoint))}";
        await AuditLog.AppendAsync(transaction, new AuditRecord { At = now, Actor = actor, Action = isNew ? "bind" : "rebind", Mac = mac, Detail = detail }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return isNew;
    }

    /// <summary>Removes the phone, its bindings and its files, with an audit row. False when unknown.</summary>
    public async Task<bool> UnbindAsync(MacAddress mac, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Delete = "DELETE FROM phones WHERE mac = @mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        using (var command = transaction.Command(Delete, ("@mac", mac)))
        {
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        await AuditLog.AppendAsync(transaction, new AuditRecord { At = now, Actor = actor, Action = "unbind", Mac = mac }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Writes the model the inventory settled on for each phone, creating the rows of phones that only
    /// Asterisk declares (no audit row: Asterisk's configuration is the record). Returns the phones created.
    /// </summary>
    public async Task<IReadOnlyList<MacAddress>> SyncModelsAsync(IReadOnlyList<(MacAddress Mac, string Model, string? Source)> phones, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Current = "SELECT mac, model, model_source FROM phones";
        const string Insert = "INSERT INTO phones (mac, model, model_source, created_at, updated_at) VALUES (@Mac, @Model, @Source, @now, @now)";
        const string Update = "UPDATE phones SET model = @Model, model_source = @Source, updated_at = @now WHERE mac = @Mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        Dictionary<string, (string Mac, string Model, string? Source)> current;
        using (var command = connection.Command(Current))
        {
            current = (await command.ListAsync(r => (Mac: r.GetString(0), Model: r.GetString(1), Source: r.GetStringOrNull(2)), cancellationToken))
                .ToDictionary(r => r.Mac, StringComparer.Ordinal);
        }

        var created = new List<MacAddress>();
        var writes = phones.Where(p => !current.TryGetValue(p.Mac.Value, out var row) || row.Model != p.Model || row.Source != p.Source).ToList();
        if (writes.Count == 0)
        {
            return created;
        }

        await using var transaction = connection.BeginTransaction(deferred: false);
        using var insert = transaction.Command(Insert, ("@now", now));
        using var update = transaction.Command(Update, ("@now", now));
        foreach (var (mac, model, source) in writes)
        {
            var isNew = !current.ContainsKey(mac.Value);
            await (isNew ? insert : update).With("@Mac", mac).With("@Model", model).With("@Source", source).ExecuteNonQueryAsync(cancellationToken);
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
        using var command = connection.Command(Sql, ("@mac", mac), ("@model", model), ("@source", source), ("@now", now));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>What the store holds of every phone's model, for the inventory.</summary>
    public async Task<IReadOnlyList<StoredModel>> ModelsAsync(CancellationToken cancellationToken)
    {
        const string Sql = "SELECT mac, model, model_source FROM phones ORDER BY mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql);
        return await command.ListAsync(
            r =>
            {
                var model = r.GetString(1);
                return new StoredModel(r.GetMac(0), model, ModelSourceText.Parse(r.GetStringOrNull(2), model));
            },
            cancellationToken);
    }

    public async Task<PhoneRow?> GetAsync(MacAddress mac, CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {PhoneColumns} FROM phones WHERE mac = @mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@mac", mac));
        return await command.SingleOrDefaultAsync(ReadPhone, cancellationToken);
    }

    public async Task<IReadOnlyList<PhoneRow>> ListAsync(CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {PhoneColumns} FROM phones ORDER BY mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql);
        return await command.ListAsync(ReadPhone, cancellationToken);
    }

    public async Task<IReadOnlyList<BindingRow>> BindingsAsync(MacAddress mac, CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {BindingColumns} FROM bindings WHERE mac = @mac ORDER BY position";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@mac", mac));
        return await command.ListAsync(r => ReadBinding(r, 0), cancellationToken);
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
        using (var command = transaction.Command(Exists, ("@mac", mac)))
        {
            if (await command.ScalarAsync<long>(cancellationToken) == 0)
            {
                return false;
            }
        }

        using (var command = transaction.Command(Clear, ("@mac", mac)))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        using (var insert = transaction.Command(Insert, ("@mac", mac)))
        {
            foreach (var setting in settings)
            {
                await insert.With("@Key", setting.Key).With("@Value", setting.Value).ExecuteNonQueryAsync(cancellationToken);
            }
        }

        var detail = settings.Count == 0 ? "settings cleared" : $"settings {string.Join(",", settings.Select(s => s.Key).Distinct())}";
        await AuditLog.AppendAsync(transaction, new AuditRecord { At = now, Actor = actor, Action = "settings", Mac = mac, Detail = detail }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>A phone's settings, by name.</summary>
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> SettingsAsync(MacAddress mac, CancellationToken cancellationToken)
    {
        const string Sql = "SELECT name, value FROM phone_settings WHERE mac = @mac ORDER BY name";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@mac", mac));
        return await command.ListAsync(r => new KeyValuePair<string, string>(r.GetString(0), r.GetString(1)), cancellationToken);
    }

    /// <summary>Every phone's bindings, keyed by MAC, in button order.</summary>
    public async Task<IReadOnlyDictionary<MacAddress, IReadOnlyList<BindingRow>>> AllBindingsAsync(CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT mac, {BindingColumns} FROM bindings ORDER BY mac, position";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql);
        var rows = await command.ListAsync(r => (Mac: r.GetMac(0), Row: ReadBinding(r, 1)), cancellationToken);
        return rows.GroupBy(r => r.Mac)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<BindingRow>)g.Select(r => r.Row).ToArray());
    }

    /// <summary>Stores one phone's new files and bumps its counter, or nothing when the content is unchanged.</summary>
    public async Task<SaveResult> SaveRenderedAsync(StoredPhoneFiles rendering, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var result = await SaveAsync(transaction, rendering, now, cancellationToken);
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
            results[i] = await SaveAsync(transaction, renderings[i], now, cancellationToken);
            if (resyncReason is not null && results[i].Outcome == SaveOutcome.Updated && renderings[i].Notify)
            {
                await ResyncQueue.EnqueueAsync(transaction, renderings[i].Mac, resyncReason, now, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    /// <summary>Every phone's stored files, for the TFTP tree.</summary>
    public async Task<IReadOnlyList<StoredFile>> AllFilesAsync(CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {StoredFileColumns.List} FROM rendered_files ORDER BY name";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql);
        return await command.ListAsync(StoredFileColumns.Read, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredFile>> FilesAsync(MacAddress mac, CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {StoredFileColumns.List} FROM rendered_files WHERE mac = @mac ORDER BY name";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@mac", mac));
        return await command.ListAsync(StoredFileColumns.Read, cancellationToken);
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

    private static async Task<SaveResult> SaveAsync(SqliteTransaction transaction, StoredPhoneFiles rendering, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Current = "SELECT content_hash, sync_counter FROM phones WHERE mac = @mac";
        const string ClearFiles = "DELETE FROM rendered_files WHERE mac = @mac";
        const string InsertFile = "INSERT INTO rendered_files (mac, name, content, sha256) VALUES (@Mac, @Name, @Content, @Sha256)";
        const string Bump = """
            UPDATE phones SET sync_counter = sync_counter + 1, sync_value = @SyncValue, version_stamp = @VersionStamp,
                content_hash = @ContentHash, rendered_at = @now, updated_at = @now
            WHERE mac = @Mac
            """;
        var mac = rendering.Mac;
        CurrentVersion? current;
        using (var command = transaction.Command(Current, ("@mac", mac)))
        {
            current = await command.SingleOrDefaultAsync(r => new CurrentVersion(r.GetStringOrNull(0), r.GetInt64(1)), cancellationToken);
        }

        if (current is null)
        {
            return new SaveResult(SaveOutcome.UnknownPhone, 0);
        }

        var hash = SetHash(rendering.Files.Select(f => (f.Name, f.Content)));
        if (current.ContentHash == hash)
        {
            return new SaveResult(SaveOutcome.Unchanged, current.SyncCounter);
        }

        using (var command = transaction.Command(ClearFiles, ("@mac", mac)))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        using (var insert = transaction.Command(InsertFile, ("@Mac", mac)))
        {
            foreach (var file in rendering.Files)
            {
                await insert.With("@Name", file.Name).With("@Content", file.Content).With("@Sha256", ContentHash.Sha256Hex(file.Content)).ExecuteNonQueryAsync(cancellationToken);
            }
        }

        using (var command = transaction.Command(Bump, ("@Mac", mac), ("@SyncValue", rendering.SyncValue), ("@VersionStamp", rendering.VersionStamp), ("@ContentHash", hash), ("@now", now)))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new SaveResult(SaveOutcome.Updated, current.SyncCounter + 1);
    }

    private sealed record CurrentVersion(string? ContentHash, long SyncCounter);
}
