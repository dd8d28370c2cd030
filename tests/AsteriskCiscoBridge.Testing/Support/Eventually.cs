namespace AsteriskCiscoBridge.Testing.Support;

/// <summary>Awaits a condition that another thread makes true (a counter, a file), checking often, bounded by a timeout that only limits failure.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var limit = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > limit)
            {
                throw new TimeoutException($"still not true after {timeout ?? TimeSpan.FromSeconds(10)}: {what}");
            }

            await Task.Yield();
            await Task.Delay(5, cancellationToken);
        }
    }
}
