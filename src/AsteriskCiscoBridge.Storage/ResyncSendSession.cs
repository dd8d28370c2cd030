namespace AsteriskCiscoBridge.Storage;

/// <summary>One connection for a round of <see cref="ResyncQueue.BeginSendAsync(ResyncSend, DateTimeOffset, CancellationToken)"/> moves (autocommit: each is durable before its NOTIFY).</summary>
public sealed class ResyncSendSession : IAsyncDisposable
{
    private readonly Microsoft.Data.Sqlite.SqliteConnection _connection;

    internal ResyncSendSession(Microsoft.Data.Sqlite.SqliteConnection connection) => _connection = connection;

    /// <inheritdoc cref="ResyncQueue.BeginSendAsync(ResyncSend, DateTimeOffset, CancellationToken)"/>
    public async Task<bool> BeginSendAsync(ResyncSend send, DateTimeOffset now, CancellationToken cancellationToken) =>
        await ResyncQueue.TakeAsync(_connection, send, now, cancellationToken) is not null;

    /// <summary>As <see cref="BeginSendAsync"/>, with what this change's earlier sends met; null when nothing must be sent.</summary>
    public Task<ResyncSendTicket?> TakeAsync(ResyncSend send, DateTimeOffset now, CancellationToken cancellationToken) =>
        ResyncQueue.TakeAsync(_connection, send, now, cancellationToken);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
