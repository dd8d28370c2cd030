namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>How a pin or unpin request ended.</summary>
public enum PinVerdict
{
    /// <summary>Stored, with an audit row.</summary>
    Done,

    /// <summary>The request itself is malformed (not a load name).</summary>
    BadInput,

    /// <summary>Well formed but refused: unbound phone, unknown, incomplete or foreign load, nothing to unpin.</summary>
    Refused,
}

/// <summary>The answer to a pin or unpin request, with the sentence an admin reads.</summary>
public sealed record PinOutcome(PinVerdict Verdict, string Message)
{
    public bool Ok => Verdict == PinVerdict.Done;
}
