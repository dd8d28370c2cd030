namespace AsteriskCiscoBridge.Services.Firmware;

/// <summary>The <c>Firmware</c> configuration section.</summary>
internal sealed class FirmwareOptions
{
    /// <summary>The firmware folder. Default <c>data/firmware</c> under the current directory, beside the default database.</summary>
    public string? Directory { get; set; }

    /// <summary>The site's load per model, keyed by model (<c>Firmware:Defaults:7961 = SIP41.9-4-2SR3-1S</c>).</summary>
    public Dictionary<string, string> Defaults { get; set; } = [];

    /// <summary>Site staircase rules, one per item, tried before the built-in ones (the syntax of <c>StaircaseRule.TryParse</c>).</summary>
    public List<string> Staircase { get; set; } = [];
}
