using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Storage;

/// <summary>What the request log remembers of where phones live.</summary>
public sealed class RequestHistory(SqliteConnectionFactory connections)
{
    /// <summary>
    /// For each MAC, the client (<c>ADDR:PORT</c>) of the latest request for its own file that
    /// <paramref name="source"/> served (the store's layer: the phone was bound then).
    /// </summary>
    public async Task<IReadOnlyList<(MacAddress Mac, string Client)>> LastServedClientsAsync(string source, CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT r.mac, r.client FROM request_log r
            JOIN (SELECT mac, max(id) AS id FROM request_log WHERE mac IS NOT NULL AND source = @source AND outcome LIKE 'served%' GROUP BY mac) latest
              ON latest.id = r.id
            ORDER BY r.mac
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@source", source));
        return await command.ListAsync(r => (r.GetMac(0), r.GetString(1)), cancellationToken);
    }
}
