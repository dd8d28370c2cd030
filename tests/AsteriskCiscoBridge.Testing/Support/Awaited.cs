namespace AsteriskCiscoBridge.Testing.Support;

/// <summary>
/// Awaits a signal the code under test gives (a count reached, an action received, a timer armed), bounded:
/// the bound only limits failure, and a failure names what was awaited, as <see cref="Eventually"/> does for
/// the conditions that have no signal.
/// </summary>
public static class Awaited
{
    public static async Task WithinAsync(this Task signal, TimeSpan bound, string what, CancellationToken cancellationToken)
    {
        try
        {
            await signal.WaitAsync(bound, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"not within {bound}: {what}", e);
        }
    }
}
