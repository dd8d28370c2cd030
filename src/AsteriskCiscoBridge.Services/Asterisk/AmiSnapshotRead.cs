using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Ami.Pjsip;

namespace AsteriskCiscoBridge.Services.Asterisk;

/// <summary>One snapshot of the PJSIP endpoints over a short-lived AMI session: what the CLI verbs read.</summary>
internal static class AmiSnapshotRead
{
    /// <summary>The snapshot, or a one-line reason (refused, bad login, a failed read, the time limit).</summary>
    public static async Task<(PjsipSnapshot? Snapshot, string? Failure)> ReadAsync(AmiOptions options, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await using var connection = await AmiConnection.ConnectAsync(options.ToConnectionOptions(), TimeProvider.System, null, timeout.Token);
            await connection.LoginAsync(timeout.Token);
            var result = await new PjsipSnapshotReader(connection, TimeProvider.System).ReadAsync(timeout.Token);
            await connection.LogoffAsync(timeout.Token);
            return (result.Snapshot, result.Snapshot is null ? result.Failure : null);
        }
        catch (AmiException ex)
        {
            return (null, $"AMI {options.Host}:{options.Port}: {ex.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"AMI {options.Host}:{options.Port}: no answer within {limit.TotalSeconds:0} s");
        }
    }
}
