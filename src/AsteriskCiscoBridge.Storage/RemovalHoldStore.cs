using System.Collections.Immutable;
using System.Text.Json;
using AsteriskCiscoBridge.Provisioning.Inventory;
using Dapper;

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
        SELECT answer AS Answer, reason AS Reason, first_seen AS FirstSeen, last_seen AS LastSeen, endpoints AS Endpoints,
               bound AS Bound, phones AS Phones, accepted_at AS AcceptedAt, accepted_by AS AcceptedBy
        FROM removal_hold WHERE id = 1
        """;

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new SnapshotStore.MacConverter() },
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>The held answer, or null when nothing is held.</summary>
    public async Task<RemovalHoldRow?> GetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(SelectSql, cancellationToken: cancellationToken));
        return row?.ToRecord();
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
        await connection.ExecuteAsync(new CommandDefinition(Upsert, new
        {
            held.Answer,
            Reason = ReasonText(held.Reason),
            held.FirstSeen,
            held.LastSeen,
            held.Endpoints,
            held.Bound,
            Phones = JsonSerializer.Serialize(held.Phones, Json),
        }, transaction, cancellationToken: cancellationToken));
        var stored = await connection.QuerySingleAsync<Row>(new CommandDefinition(SelectSql, transaction: transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return stored.ToRecord();
    }

    /// <summary>Deletes the hold; false when nothing was held.</summary>
    public async Task<bool> ClearAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM removal_hold WHERE id = 1", cancellationToken: cancellationToken)) > 0;
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
        if (await connection.ExecuteAsync(new CommandDefinition(Accept, new { now, actor }, transaction, cancellationToken: cancellationToken)) == 0)
        {
            return null;
        }

        var row = (await connection.QuerySingleAsync<Row>(new CommandDefinition(SelectSql, transaction: transaction, cancellationToken: cancellationToken))).ToRecord();
        await AuditLog.AppendAsync(connection, transaction, new AuditRecord
        {
            At = now,
            Actor = actor,
            Action = "accept-removals",
            Detail = $"{row.Describe()}; answer {row.Answer[..12]} first seen {DapperTypeHandlers.UtcTimestampHandler.Write(row.FirstSeen)}",
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return row;
    }

    /// <summary>The stored spelling of a reason.</summary>
    public static string ReasonText(RemovalHoldReason reason) => reason == RemovalHoldReason.EmptyAnswer ? "empty-answer" : "mass-withdrawal";

    private sealed record Row
    {
        public required string Answer { get; init; }

        public required string Reason { get; init; }

        public required DateTimeOffset FirstSeen { get; init; }

        public required DateTimeOffset LastSeen { get; init; }

        public required long Endpoints { get; init; }

        public required long Bound { get; init; }

        public required string Phones { get; init; }

        public DateTimeOffset? AcceptedAt { get; init; }

        public string? AcceptedBy { get; init; }

        public RemovalHoldRow ToRecord()
        {
            ImmutableArray<WithdrawnLines> phones;
            try
            {
                phones = JsonSerializer.Deserialize<ImmutableArray<WithdrawnLines>>(Phones, Json);
            }
            catch (JsonException)
            {
                // Written by another version: the hold stays visible without its phone list.
                phones = [];
            }

            return new RemovalHoldRow(
                Answer,
                Reason == "empty-answer" ? RemovalHoldReason.EmptyAnswer : RemovalHoldReason.MassWithdrawal,
                FirstSeen,
                LastSeen,
                (int)Endpoints,
                (int)Bound,
                phones.IsDefault ? [] : phones,
                AcceptedAt,
                AcceptedBy);
        }
    }
}
