using System.Collections.Immutable;
using System.Text.Json;
using AsteriskCiscoBridge.Provisioning.Inventory;
using Microsoft.Data.Sqlite;

namespace AsteriskCiscoBridge.Storage;

/// <summary>An answer of Asterisk held instead of applied (the one row of <c>removal_hold</c>).</summary>
/// <param name="Answer"><see cref="RemovalGuard.AnswerKey"/> of the held answer.</param>
/// <param name="FirstSeen">When the service first read this answer.</param>
/// <param name="LastSeen">When the service last found it still held (a read of Asterisk, or a round asked for meanwhile).</param>
/// <param name="Endpoints">Endpoints in the held answer.</param>
/// <param name="Bound">Phones served at least one line by what is applied.</param>
/// <param name="Phones">The phones the answer takes lines from.</param>
/// <param name="AcceptedAt">When an admin accepted it (<c>acb sync --accept-removals</c>), or null.</param>
/// <param name="AcceptedBy">Who accepted it (<c>cli:user</c>, <c>dashboard</c>).</param>
public sealed record RemovalHoldRow(
    string Answer,
    RemovalHoldReason Reason,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    int Endpoints,
    int Bound,
    ImmutableArray<WithdrawnLines> Phones,
    DateTimeOffset? AcceptedAt = null,
    string? AcceptedBy = null)
{
    /// <summary>For people: what the held answer would do.</summary>
    public string Describe() => RemovalVerdict.Describe(Reason, Phones.Length, Bound);
}

/// <summary>
/// The removal hold as the service and the CLI share it: the service records what it holds (so <c>acb phones</c>,
/// <c>acb doctor</c> and the dashboard show it), an admin's acceptance is written here with an audit row (so the
/// running service's store watcher asks for a round at once), and the service deletes the row when it applies the
/// answer or Asterisk's answer stops stripping.
/// </summary>
public sealed class RemovalHoldStore(SqliteConnectionFactory connections)
{
    private const string SelectSql = """
        SELECT answer, reason, first_seen, last_seen, endpoints, bound, phones, accepted_at, accepted_by
        FROM removal_hold WHERE id = 1
        """;

    private static RemovalHoldRow Read(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1) == "empty-answer" ? RemovalHoldReason.EmptyAnswer : RemovalHoldReason.MassWithdrawal,
        r.GetTimestamp(2),
        r.GetTimestamp(3),
        (int)r.GetInt64(4),
        (int)r.GetInt64(5),
        ReadPhones(r.GetString(6)),
        r.GetTimestampOrNull(7),
        r.GetStringOrNull(8));

    /// <summary>The held answer, or null when nothing is held.</summary>
    public async Task<RemovalHoldRow?> GetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command(SelectSql);
        return await command.SingleOrDefaultAsync(Read, cancellationToken);
    }

    /// <summary>
    /// Records <paramref name="held"/>. The same answer held already keeps its first sighting and its acceptance
    /// (only <see cref="RemovalHoldRow.LastSeen"/> and the phones move); another answer replaces the row, unaccepted.
    /// Returns the row as stored.
    /// </summary>
    public async Task<RemovalHoldRow> HoldAsync(RemovalHoldRow held, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(held);
        const string Upsert = """
            INSERT INTO removal_hold (id, answer, reason, first_seen, last_seen, endpoints, bound, phones, accepted_at, accepted_by)
            VALUES (1, @Answer, @Reason, @FirstSeen, @LastSeen, @Endpoints, @Bound, @Phones, NULL, NULL)
            ON CONFLICT (id) DO UPDATE SET
                first_seen  = CASE WHEN answer = excluded.answer THEN first_seen ELSE excluded.first_seen END,
                accepted_at = CASE WHEN answer = excluded.answer THEN accepted_at ELSE NULL END,
                accepted_by = CASE WHEN answer = excluded.answer THEN accepted_by ELSE NULL END,
                answer = excluded.answer, reason = excluded.reason, last_seen = excluded.last_seen,
                endpoints = excluded.endpoints, bound = excluded.bound, phones = excluded.phones
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        using (var upsert = transaction.Command(
            Upsert,
            ("@Answer", held.Answer),
            ("@Reason", ReasonText(held.Reason)),
            ("@FirstSeen", held.FirstSeen),
            ("@LastSeen", held.LastSeen),
            ("@Endpoints", held.Endpoints),
            ("@Bound", held.Bound),
            ("@Phones", WritePhones(held.Phones))))
        {
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        RemovalHoldRow stored;
        using (var select = transaction.Command(SelectSql))
        {
            stored = await select.SingleAsync(Read, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    /// <summary>Deletes the hold; false when nothing was held.</summary>
    public async Task<bool> ClearAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var command = connection.Command("DELETE FROM removal_hold WHERE id = 1");
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// Accepts the held answer for <paramref name="actor"/>, with an audit row in the same transaction (the running
    /// service's store watcher sees it and asks for a round). Returns the accepted hold, or null when nothing is held.
    /// Accepting twice keeps the first acceptance.
    /// </summary>
    public async Task<RemovalHoldRow?> AcceptAsync(string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        const string Accept = "UPDATE removal_hold SET accepted_at = coalesce(accepted_at, @now), accepted_by = coalesce(accepted_by, @actor) WHERE id = 1";
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        using (var accept = transaction.Command(Accept, ("@now", now), ("@actor", actor)))
        {
            if (await accept.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return null;
            }
        }

        RemovalHoldRow row;
        using (var select = transaction.Command(SelectSql))
        {
            row = await select.SingleAsync(Read, cancellationToken);
        }

        await AuditLog.AppendAsync(transaction, new AuditRecord
        {
            At = now,
            Actor = actor,
            Action = "accept-removals",
            Detail = $"{row.Describe()}; answer {row.Answer[..12]} first seen {StoredText.Timestamp(row.FirstSeen)}",
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return row;
    }

    /// <summary>The stored spelling of a reason.</summary>
    public static string ReasonText(RemovalHoldReason reason) => reason == RemovalHoldReason.EmptyAnswer ? "empty-answer" : "mass-withdrawal";

    /// <summary>The text of <c>removal_hold.phones</c>.</summary>
    internal static string WritePhones(ImmutableArray<WithdrawnLines> phones) => JsonSerializer.Serialize(phones, RemovalHoldJson.Default.ImmutableArrayWithdrawnLines);

    /// <summary>Reads <c>removal_hold.phones</c>; written by another version, the hold stays visible without its phone list.</summary>
    internal static ImmutableArray<WithdrawnLines> ReadPhones(string text)
    {
        try
        {
            var phones = JsonSerializer.Deserialize(text, RemovalHoldJson.Default.ImmutableArrayWithdrawnLines);
            return phones.IsDefault ? [] : phones;
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
