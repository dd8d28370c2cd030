using AsteriskCiscoBridge.Provisioning.Rendering;
using Dapper;

namespace AsteriskCiscoBridge.Storage;

/// <summary>The site-wide rendered files (SIPDefault.cnf, XMLDefault.cnf.xml, dialplan.xml…).</summary>
public sealed class ConfigStore(SqliteConnectionFactory connections)
{
    /// <summary>Stores the files whose bytes changed, in one transaction; returns their names.</summary>
    public async Task<IReadOnlyList<string>> SaveSiteFilesAsync(IEnumerable<RenderedFile> files, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string Current = "SELECT name AS Name, sha256 AS Sha256 FROM site_files";
        const string Upsert = """
            INSERT INTO site_files (name, content, sha256, updated_at) VALUES (@Name, @Content, @Sha256, @Now)
            ON CONFLICT (name) DO UPDATE SET content = excluded.content, sha256 = excluded.sha256, updated_at = excluded.updated_at
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var stored = (await connection.QueryAsync<(string Name, string Sha256)>(new CommandDefinition(Current, transaction: transaction, cancellationToken: cancellationToken)))
            .ToDictionary(r => r.Name, r => r.Sha256, StringComparer.Ordinal);
        var changed = new List<string>();
        foreach (var file in files)
        {
            var sha = ContentHash.Sha256Hex(file.Content);
            if (stored.GetValueOrDefault(file.Name) == sha)
            {
                continue;
            }

            await connection.ExecuteAsync(new CommandDefinition(Upsert, new { file.Name, file.Content, Sha256 = sha, Now = now }, transaction, cancellationToken: cancellationToken));
            changed.Add(file.Name);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    public async Task<IReadOnlyList<StoredFile>> SiteFilesAsync(CancellationToken cancellationToken)
    {
        const string Sql = "SELECT name AS Name, content AS Content, sha256 AS Sha256 FROM site_files ORDER BY name";
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredFile>(new CommandDefinition(Sql, cancellationToken: cancellationToken))).AsList();
    }
}
