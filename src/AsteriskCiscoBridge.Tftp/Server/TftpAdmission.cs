using System.Net;
using AsteriskCiscoBridge.Tftp.Protocol;

namespace AsteriskCiscoBridge.Tftp.Server;

/// <summary>Why a datagram on the request port was admitted as a transfer or refused.</summary>
internal enum TftpAdmissionReason
{
    /// <summary>A read request the server starts looking up.</summary>
    Admitted = 0,

    /// <summary>Too short for an opcode, or an ERROR packet: never answered (RFC 1350), counted as malformed.</summary>
    NotARequest = 1,

    /// <summary>DATA, ACK or OACK on the request port: error 4, counted as malformed, not as a request.</summary>
    WrongOpcode = 2,

    /// <summary>An RRQ/WRQ that could not be parsed.</summary>
    Malformed = 3,

    /// <summary>The client's address is outside the allowed networks.</summary>
    ClientNotAllowed = 4,

    /// <summary>A write request: this server is read-only.</summary>
    WriteRequest = 5,

    /// <summary>The same client TID asked again while its transfer runs: ignored, no event.</summary>
    Duplicate = 6,

    /// <summary>The server runs as many transfers as it may.</summary>
    TooManyTransfers = 7,

    /// <summary>The client's address runs as many transfers as one address may.</summary>
    TooManyFromAddress = 8,

    /// <summary>The file name escapes the root or is not a name the server serves.</summary>
    NameRefused = 9,
}

/// <summary>What the server knows of the transfers already running, as far as admission cares.</summary>
/// <param name="SameClientRunning">The sender's address and port (its TID) already has a transfer.</param>
/// <param name="Transfers">Transfers running, all clients together (lookups included).</param>
/// <param name="TransfersFromAddress">Transfers running for the sender's address.</param>
internal readonly record struct TftpAdmissionLoad(bool SameClientRunning, int Transfers, int TransfersFromAddress);

/// <summary>
/// The decision about one datagram on the request port: admit it (with the parsed request and its
/// normalised path) or refuse it, with the TFTP error to answer (none when the datagram gets no
/// answer), and the outcome and detail the request event reports (none when no event is due).
/// </summary>
internal readonly record struct TftpAdmission(
    TftpAdmissionReason Reason,
    TftpRequest? Request,
    string? Path,
    TftpErrorCode? ReplyCode,
    string ReplyMessage,
    TftpRequestOutcome? Outcome,
    string Detail)
{
    /// <summary>True when a transfer starts.</summary>
    public bool IsAdmitted => Reason == TftpAdmissionReason.Admitted;

    /// <summary>True for what counts in <see cref="TftpServerCounters.Requests"/>: RRQs and WRQs, parsed or not.</summary>
    public bool CountsAsRequest => Reason is not (TftpAdmissionReason.NotARequest or TftpAdmissionReason.WrongOpcode);

    /// <summary>
    /// Decides on <paramref name="packet"/> from <paramref name="clientAddress"/>. Pure: the checks run in
    /// a fixed order (parse, allowed networks, read-only, duplicate, global limit, per-address limit, name),
    /// and the first that fails decides.
    /// </summary>
    public static TftpAdmission Decide(ReadOnlySpan<byte> packet, IPAddress clientAddress, TftpAdmissionLoad load, TftpServerOptions options)
    {
        var opcode = TftpPacketCodec.ReadOpcode(packet);
        if (opcode is null or TftpOpcode.Error)
        {
            return Refuse(TftpAdmissionReason.NotARequest, null, null, "", null, "too short for an opcode, or an error packet");
        }

        if (opcode is not (TftpOpcode.ReadRequest or TftpOpcode.WriteRequest))
        {
            return Refuse(TftpAdmissionReason.WrongOpcode, null, TftpErrorCode.IllegalOperation, "only read requests are accepted here", null, $"opcode {(ushort)opcode} on the request port");
        }

        if (!TftpPacketCodec.TryParseRequest(packet, out var request, out var malformed))
        {
            return Refuse(TftpAdmissionReason.Malformed, null, malformed!.Error, malformed.Reason, TftpRequestOutcome.Malformed, $"{malformed.Reason} at byte {malformed.Position}");
        }

        if (!IsAllowed(clientAddress, options.AllowedNetworks))
        {
            return Refuse(TftpAdmissionReason.ClientNotAllowed, request, options.AnswerDeniedClients ? TftpErrorCode.AccessViolation : null, "access denied", TftpRequestOutcome.Denied, "client address is not in the allowed networks");
        }

        if (request!.Opcode == TftpOpcode.WriteRequest)
        {
            return Refuse(TftpAdmissionReason.WriteRequest, request, TftpErrorCode.AccessViolation, "this server is read-only", TftpRequestOutcome.Denied, "write request to a read-only server");
        }

        if (load.SameClientRunning)
        {
            // The same client TID asked again (its RRQ timer fired before our answer arrived):
            // the transfer under way already answers it; a second one would double the stream.
            return Refuse(TftpAdmissionReason.Duplicate, request, null, "", null, "a transfer for this client port is running");
        }

        if (load.Transfers >= options.MaxTransfers)
        {
            return Refuse(TftpAdmissionReason.TooManyTransfers, request, TftpErrorCode.NotDefined, "server busy, try again", TftpRequestOutcome.Busy, $"{options.MaxTransfers} transfers already running");
        }

        if (load.TransfersFromAddress >= options.MaxTransfersPerClient)
        {
            return Refuse(TftpAdmissionReason.TooManyFromAddress, request, TftpErrorCode.NotDefined, "too many transfers from this address", TftpRequestOutcome.Busy, $"{load.TransfersFromAddress} transfers already running for this address");
        }

        var path = TftpPath.Normalize(request.FileName, out var refusal);
        if (path is null)
        {
            return Refuse(TftpAdmissionReason.NameRefused, request, TftpErrorCode.AccessViolation, "access violation", TftpRequestOutcome.Denied, $"name refused: {refusal}");
        }

        return new TftpAdmission(TftpAdmissionReason.Admitted, request, path, null, "", null, "");
    }

    /// <summary>True when <paramref name="address"/> is in one of <paramref name="networks"/>, or there are none.</summary>
    public static bool IsAllowed(IPAddress address, IReadOnlyList<IPNetwork> networks)
    {
        if (networks.Count == 0)
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static TftpAdmission Refuse(TftpAdmissionReason reason, TftpRequest? request, TftpErrorCode? replyCode, string replyMessage, TftpRequestOutcome? outcome, string detail) =>
        new(reason, request, null, replyCode, replyMessage, outcome, detail);
}
