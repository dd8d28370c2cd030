namespace AsteriskCiscoBridge.Provisioning.Model;

/// <summary>What the files a phone asked for say of its model.</summary>
/// <param name="Text">For people, e.g. <c>7940/7960 (SIP)</c>.</param>
/// <param name="Models">The models it can be, as <c>acb bind --model</c> takes them (empty: too vague to name one).</param>
public sealed record ModelGuess(string Text, IReadOnlyList<string> Models)
{
    /// <summary>The one model to bind without asking: the only candidate, or the pair's larger model (same files, more buttons).</summary>
    public string? Pick => Models.Count > 0 ? Models[^1] : null;
}
