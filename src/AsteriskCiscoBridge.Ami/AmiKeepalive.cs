namespace AsteriskCiscoBridge.Ami;

/// <summary>
/// Tells a live AMI peer from a dead one on a quiet connection: after <c>interval</c> without a byte
/// received it sends <c>Ping</c>; a Ping unanswered for <c>timeout</c>, with nothing else received
/// since it went out, means the peer is dead. Any bytes count as life (an event, a late answer), so a
/// busy connection is never pinged. All times come from the <see cref="TimeProvider"/>.
/// </summary>
internal sealed class AmiKeepalive(TimeSpan interval, TimeSpan timeout, TimeProvider time, Func<CancellationToken, Task> ping)
{
    private long _lastReceived = time.GetTimestamp();

    /// <summary>Notes that bytes arrived (called by the reader loop on every read).</summary>
    public void Received() => Interlocked.Exchange(ref _lastReceived, time.GetTimestamp());

    /// <summary>
    /// Runs until the peer is presumed dead (returns true), or until <paramref name="cancellationToken"/>
    /// ends it or a Ping fails because the connection is gone (returns false). Its first timer exists when
    /// the call returns, so a driven clock cannot miss it.
    /// </summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, time, cancellationToken);
                if (time.GetElapsedTime(Interlocked.Read(ref _lastReceived)) < interval)
                {
                    continue;
                }

                // The timeout exists before the Ping is queued, so a driven clock cannot overtake it.
                using var timer = new CancellationTokenSource(timeout, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
                var sentAt = time.GetTimestamp();
                try
                {
                    await ping(linked.Token);
                }
                catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    // Bytes that arrived after the Ping went out (its answer racing the timer, or events)
                    // prove the peer alive; only silence is death.
                    if (Interlocked.Read(ref _lastReceived) >= sentAt)
                    {
                        continue;
                    }

                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (AmiConnectionLostException)
        {
            // The reader or writer already closed the connection and recorded why.
            return false;
        }
    }
}
