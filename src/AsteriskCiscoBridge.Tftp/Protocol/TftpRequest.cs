namespace AsteriskCiscoBridge.Tftp.Protocol;

/// <summary>One option as the client sent it: the name lower-cased (names are case-insensitive, RFC 2347), the value verbatim.</summary>
public readonly record struct TftpOption(string Name, string Value)
{
    public override string ToString() => $"{Name}={Value}";
}

/// <summary>A parsed RRQ or WRQ.</summary>
public sealed record TftpRequest(TftpOpcode Opcode, string FileName, TftpMode Mode, IReadOnlyList<TftpOption> Options);

/// <summary>
/// A request that could not be parsed: the error to answer with (RFC 1350 error 4 for a
/// malformed packet) and a reason with the byte offset where parsing stopped.
/// </summary>
public sealed record TftpMalformed(TftpErrorCode Error, string Reason, int Position);
