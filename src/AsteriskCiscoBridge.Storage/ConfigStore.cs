using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Storage;

/// <summary>The site-wide rendered files (SIPDefault.cnf, XMLDefault.cnf.xml, dialplan.xml…).</summary>
public sealed class ConfigStore(SqliteConnectionFactory connections)
{
    /// <summary>Stores the files whose bytes changed, in one transaction; returns their names.</summary>
    public async Task<IReadOnlyList<string>> SaveSiteFilesAsync(IEnumerable<RenderedFile> files, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Current = "SELECT name, sha256 FROM site_files";
        const string Upsert = """
            INSERT INTO site_files (name, content, sha256, updated_at) VALUES (@Name, @Content, @Sha256, @Now)
            ON CONFLICT (name) DO UPDATE SET content = excluded.content, sha256 = excluded.sha256, updated_at = excluded.updated_at
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        Dictionary<string, string> stored;
        using (var current = transaction.Command(Current))
        {
            stored = (await current.ListAsync(r => (Name: r.GetString(0), Sha256: r.GetString(1)), cancellationToken))
                .ToDictionary(r => r.Name, r => r.Sha256, StringComparer.Ordinal);
        }

        var changed = new List<string>();
        using var upsert = transaction.Command(Upsert, ("@Now", now));
        foreach (var file in files)
        {
            var sha = ContentHash.Sha256Hex(file.Content);
            if (stored.GetValueOrDefault(file.Name) == sha)
            {
                continue;
            }

            await upsert.With("@Name", file.Name).With("@Content", file.Content).With("@Sha256", sha).ExecuteNonQueryAsync(cancellationToken);
            changed.Add(file.Name);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    public async Task<IReadOnlyList<StoredFile>> SiteFilesAsync(CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {StoredFileColumns.List} FROM site_files ORDER BY name";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql);
        return await command.ListAsync(StoredFileColumns.Read, cancellationToken);
    }
}
