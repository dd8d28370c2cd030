namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>A file that was not imported, and why (not firmware, identical copy already there, …).</summary>
/// <param name="Name">The entry's name in the package (or the file's name for the folder's checks).</param>
/// <param name="Why">The reason.</param>
/// <param name="Detail">What the reason's sentence names (see <see cref="SkipReasons.Text"/>).</param>
public sealed record SkippedFile(string Name, SkipReason Why, string? Detail = null)
{
    /// <summary>The sentence an admin reads.</summary>
    public string Reason => Why.Text(Detail);
}
