using AsteriskCiscoBridge.Provisioning.Model;
using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Storage;

/// <summary>A row of the discovery inbox: a phone that asked for its own files while bound to nothing.</summary>
public sealed record DiscoveredPhone
{
    public required MacAddress Mac { get; init; }

    /// <summary>The address of its latest request (no port).</summary>
    public required string LastAddress { get; init; }

    /// <summary>e.g. <c>7940/7960 (SIP)</c>; null when its requests say nothing of the model.</summary>
    public string? ModelGuess { get; init; }

    /// <summary>Distinct names it asked for, oldest first, separated by <c>|</c> (never holds a <c>|</c>: TFTP names are checked).</summary>
    public required string Files { get; init; }

    public required DateTimeOffset FirstSeen { get; init; }

    public required DateTimeOffset LastSeen { get; init; }

    public long RequestCount { get; init; }

    public IReadOnlyList<string> FileList => Files.Length == 0 ? [] : Files.Split('|');
}

/// <summary>The discovery inbox (<c>acb phones --unbound</c>). One writer: the service's discovery loop.</summary>
public sealed class DiscoveryStore(SqliteConnectionFactory connections)
{
    private const string Columns = "mac, last_address, model_guess, files, first_seen, last_seen, request_count";

    private static DiscoveredPhone Read(SqliteDataReader r) => new()
    {
        Mac = r.GetMac(0),
        LastAddress = r.GetString(1),
        ModelGuess = r.GetStringOrNull(2),
        Files = r.GetString(3),
        FirstSeen = r.GetTimestamp(4),
        LastSeen = r.GetTimestamp(5),
        RequestCount = r.GetInt64(6),
    };

    /// <summary>Files kept per phone; a phone asks for a handful, so more is noise (or a scanner).</summary>
    public const int MaxFiles = 16;

    public async Task<DiscoveredPhone?> GetAsync(MacAddress mac, CancellationToken cancellationToken)
    {
        const string Sql = $"SELECT {Columns} FROM discovered_phones WHERE mac = @mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@mac", mac));
        return await command.SingleOrDefaultAsync(Read, cancellationToken);
    }

    /// <summary>Phones the inbox holds at most: past it, new MACs are not recorded (a scan from many addresses cannot fill the disk).</summary>
    public const int MaxPhones = 10_000;

    /// <summary>
    /// Creates or replaces the row, unless the MAC is bound by now or the inbox is full and the MAC
    /// new to it (then nothing is written and false returned).
    /// </summary>
    public async Task<bool> SaveAsync(DiscoveredPhone phone, CancellationToken cancellationToken, int maxPhones = MaxPhones)
    {
        const string Sql = """
            INSERT INTO discovered_phones (mac, last_address, model_guess, files, first_seen, last_seen, request_count)
            SELECT @Mac, @LastAddress, @ModelGuess, @Files, @FirstSeen, @LastSeen, @RequestCount
            WHERE NOT EXISTS (SELECT 1 FROM phones WHERE mac = @Mac)
              AND (EXISTS (SELECT 1 FROM discovered_phones WHERE mac = @Mac) OR (SELECT count(*) FROM discovered_phones) < @MaxPhones)
            ON CONFLICT (mac) DO UPDATE SET last_address = excluded.last_address, model_guess = excluded.model_guess, files = excluded.files,
                last_seen = excluded.last_seen, request_count = excluded.request_count
            """;
        ArgumentNullException.ThrowIfNull(phone);
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(
            Sql,
            ("@Mac", phone.Mac),
            ("@LastAddress", phone.LastAddress),
            ("@ModelGuess", phone.ModelGuess),
            ("@Files", phone.Files),
            ("@FirstSeen", phone.FirstSeen),
            ("@LastSeen", phone.LastSeen),
            ("@RequestCount", phone.RequestCount),
            ("@MaxPhones", maxPhones));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Phones still unbound, most recently seen first.</summary>
    public async Task<IReadOnlyList<DiscoveredPhone>> ListAsync(CancellationToken cancellationToken)
    {
        const string Sql = $"""
            SELECT {Columns} FROM discovered_phones WHERE mac NOT IN (SELECT mac FROM phones) ORDER BY last_seen DESC, mac
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql);
        return await command.ListAsync(Read, cancellationToken);
    }

    /// <summary>True when an admin (or anyone) unbound the MAC before: auto-assignment leaves such a phone to the admin.</summary>
    public async Task<bool> WasUnboundAsync(MacAddress mac, CancellationToken cancellationToken)
    {
        const string Sql = "SELECT EXISTS (SELECT 1 FROM audit_log WHERE mac = @mac AND action = 'unbind')";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@mac", mac));
        return await command.ScalarAsync<long>(cancellationToken) == 1;
    }

    /// <summary>Takes the MAC out of the inbox (it was bound). False when it was not there.</summary>
    public async Task<bool> RemoveAsync(MacAddress mac, CancellationToken cancellationToken)
    {
        const string Sql = "DELETE FROM discovered_phones WHERE mac = @mac";
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(Sql, ("@mac", mac));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
