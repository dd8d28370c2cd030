namespace AsteriskCiscoBridge.Host.Tests.Support;

/// <summary>Awaits an asynchronous condition (a row in the store) that the service makes true, checking often, bounded by a timeout that only limits failure.</summary>
internal static class Until
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var limit = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > limit)
            {
                throw new TimeoutException($"still not true after {timeout ?? TimeSpan.FromSeconds(30)}: {what}");
            }

            await Task.Delay(10, cancellationToken);
        }
    }
}
