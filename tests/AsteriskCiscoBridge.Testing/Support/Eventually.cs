namespace AsteriskCiscoBridge.Testing.Support;

/// <summary>
/// Awaits a condition that another thread or process makes true (a counter, a row in the store, a page
/// element), checking often. The bound only limits failure: a passing test waits exactly as long as the
/// condition takes. The one place tests poll, so every wait for a real condition looks the same.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(30);

    public static Task TrueAsync(Func<bool> condition, string what, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, cancellationToken, timeout);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var bound = timeout ?? DefaultBound;
        var limit = DateTime.UtcNow + bound;
        while (!await condition())
        {
            if (DateTime.UtcNow > limit)
            {
                throw new TimeoutException($"still not true after {bound}: {what}");
            }

            await Task.Yield();
            await Task.Delay(5, cancellationToken);
        }
    }

    /// <summary>Awaits <paramref name="read"/> until its value satisfies <paramref name="accept"/>, and returns that value.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> accept, string what, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var value = await read();
        await TrueAsync(async () => accept(value = await read()), what, cancellationToken, timeout);
        return value;
    }
}
