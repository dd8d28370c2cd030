namespace AsteriskCiscoBridge.Tftp.Protocol;

/// <summary>TFTP opcodes (RFC 1350 §5, RFC 2347 for OACK).</summary>
public enum TftpOpcode : ushort
{
    ReadRequest = 1,
    WriteRequest = 2,
    Data = 3,
    Ack = 4,
    Error = 5,
    OptionAck = 6,
}

/// <summary>TFTP error codes (RFC 1350 appendix, RFC 2347 for 8).</summary>
public enum TftpErrorCode : ushort
{
    NotDefined = 0,
    FileNotFound = 1,
    AccessViolation = 2,
    DiskFull = 3,
    IllegalOperation = 4,
    UnknownTransferId = 5,
    FileExists = 6,
    NoSuchUser = 7,
    OptionRefused = 8,
}

/// <summary>Transfer modes (RFC 1350; <c>mail</c> is obsolete and refused).</summary>
public enum TftpMode
{
    Octet = 0,
    Netascii = 1,
}
