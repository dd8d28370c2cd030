using System.Buffers;
using System.Text;

namespace AsteriskCiscoBridge.Ami;

// One piece on purpose (a little over 400 lines): the limits, the outcomes and the result are the
// vocabulary of this one total parser, and the parser is a single state machine over a byte sequence.
/// <summary>Limits the frame reader enforces; going past one is a malformed frame, never unbounded memory.</summary>
/// <param name="MaxLineBytes">Longest single line (key, colon, value).</param>
/// <param name="MaxFieldsPerMessage">Most fields in one message (GetConfig of a large pjsip.conf has one field per line).</param>
/// <param name="MaxMessageBytes">Most bytes in one message, blank-line terminator included.</param>
public readonly record struct AmiFrameLimits(int MaxLineBytes, int MaxFieldsPerMessage, long MaxMessageBytes)
{
    /// <summary>64 KiB lines, 1,000,000 fields, 64 MiB messages: enough for GetConfig of a 10,000-endpoint pjsip.conf (6.6 MB).</summary>
    public static AmiFrameLimits Default { get; } = new(64 * 1024, 1_000_000, 64L * 1024 * 1024);
}

/// <summary>The three outcomes of reading a frame, plus the banner that comes before any block.</summary>
public enum AmiFrameStatus
{
    /// <summary>The buffer holds no complete frame yet; read more and call again.</summary>
    NeedMoreData = 0,

    /// <summary>The one-line greeting (<c>Asterisk Call Manager/11.0.0</c>).</summary>
    Banner = 1,

    /// <summary>A complete message.</summary>
    Message = 2,

    /// <summary>The bytes are not AMI; the connection cannot continue.</summary>
    Malformed = 3,
}

/// <summary>Why a frame is malformed.</summary>
public enum AmiFrameError
{
    /// <summary>Not malformed.</summary>
    None = 0,

    /// <summary>The first line is not a banner (it is empty, too long, or looks like a field).</summary>
    InvalidBanner = 1,

    /// <summary>A line is longer than <see cref="AmiFrameLimits.MaxLineBytes"/>.</summary>
    LineTooLong = 2,

    /// <summary>A message is longer than <see cref="AmiFrameLimits.MaxMessageBytes"/>.</summary>
    MessageTooLarge = 3,

    /// <summary>A message has more than <see cref="AmiFrameLimits.MaxFieldsPerMessage"/> fields.</summary>
    TooManyFields = 4,

    /// <summary>A line has no colon.</summary>
    MissingColon = 5,

    /// <summary>The text before the colon is empty or not printable ASCII without spaces.</summary>
    InvalidFieldName = 6,
}

/// <summary>
/// Result of <see cref="AmiFrameReader.TryRead"/>. <see cref="Consumed"/> is where the next read starts;
/// <see cref="Examined"/> is how far the reader looked (a pipe need not wake up before more bytes arrive).
/// </summary>
public readonly record struct AmiFrameResult(
    AmiFrameStatus Status,
    SequencePosition Consumed,
    SequencePosition Examined,
    AmiMessage? Message = null,
    string? Banner = null,
    AmiFrameError Error = AmiFrameError.None,
    long ErrorOffset = -1)
{
    /// <summary>A readable reason for a malformed frame (offset relative to the buffer given).</summary>
    public string Reason => Error switch
    {
        AmiFrameError.None => string.Empty,
        AmiFrameError.InvalidBanner => $"expected the AMI banner line, got something else at byte {ErrorOffset}",
        AmiFrameError.LineTooLong => $"line longer than the limit at byte {ErrorOffset}",
        AmiFrameError.MessageTooLarge => $"message larger than the limit (no blank line within {ErrorOffset} bytes)",
        AmiFrameError.TooManyFields => $"more fields than the limit, at byte {ErrorOffset}",
        AmiFrameError.MissingColon => $"line without a colon at byte {ErrorOffset}",
        AmiFrameError.InvalidFieldName => $"invalid field name at byte {ErrorOffset}",
        _ => Error.ToString(),
    };
}

/// <summary>
/// Incremental AMI frame reader: bytes in, a banner, a message, "need more" or "malformed with a
/// reason and position" out. It never throws for bytes from the wire and never decodes partial
/// text: UTF-8 is decoded per complete value. Its only state is the banner flag and how far (and up
/// to which position) a partial message was already searched, so a 6 MB GetConfig answer arriving in
/// 64 KB reads is scanned once, not once per read, and its earlier segments are not walked again.
/// </summary>
public sealed class AmiFrameReader
{
    private const int MaxCachedNames = 2048;
    private const int MaxCachedValues = 4096;
    private const int MaxCachedValueLength = 24;
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();
    private static readonly byte[] BlankLine = "\r\n\r\n"u8.ToArray();

    private readonly AmiFrameLimits _limits;
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _nameLookup;
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _valueLookup;
    private bool _expectBanner;
    private long _searched;

    // Where the next search of a partial message resumes (3 bytes before the last call's end), its offset from the
    // message's start, and where that message starts.
    private SequencePosition? _resumeAt;
    private long _resumeOffset;
    private object? _messageStart;
    private int _messageStartIndex;

    /// <summary>Creates a reader; with <paramref name="expectBanner"/> the first line is read as the banner.</summary>
    public AmiFrameReader(AmiFrameLimits limits, bool expectBanner = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxLineBytes, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxFieldsPerMessage, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxMessageBytes, 16);
        _limits = limits;
        _expectBanner = expectBanner;
        _nameLookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        _valueLookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Reads at most one frame from the start of <paramref name="buffer"/>.</summary>
    public AmiFrameResult TryRead(in ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (_expectBanner)
        {
            return ReadBanner(buffer, ref reader);
        }

        // Stray line ends between messages (a value ending in LF followed by CRLF CRLF, or a peer
        // that pads) are skipped: an empty message carries nothing.
        while (reader.IsNext(CrLf, advancePast: true))
        {
        }

        var start = reader.Position;
        var skipped = reader.Consumed;
        if (reader.End || (reader.Remaining == 1 && reader.IsNext((byte)'\r')))
        {
            return new AmiFrameResult(AmiFrameStatus.NeedMoreData, start, buffer.End);
        }

        // Resume the search a few bytes before where the last call stopped, in case the terminator straddles it:
        // from the position kept then when this is the same buffer grown (a pipe's: reaching it by counting from
        // the start would walk every segment of the message again on every read), else by counting.
        long origin;
        if (_resumeAt is { } at && SameStart(start, buffer.Length - skipped))
        {
            reader = new SequenceReader<byte>(buffer.Slice(at));
            origin = _resumeOffset;
        }
        else
        {
            reader.Advance(Math.Max(0, _searched - (BlankLine.Length - 1)));
            origin = -skipped;
        }

        if (!reader.TryReadTo(out ReadOnlySequence<byte> _, BlankLine, advancePastDelimiter: true))
        {
            _searched = buffer.Length - skipped;
            if (_searched > _limits.MaxMessageBytes)
            {
                return Malformed(buffer, AmiFrameError.MessageTooLarge, _limits.MaxMessageBytes, start);
            }

            // Walked from where this search began, so only over what arrived since the last call.
            reader.Advance(Math.Max(0, reader.Remaining - (BlankLine.Length - 1)));
            _resumeAt = reader.Position;
            _resumeOffset = origin + reader.Consumed;
            _messageStart = start.GetObject();
            _messageStartIndex = start.GetInteger();
            return new AmiFrameResult(AmiFrameStatus.NeedMoreData, start, buffer.End);
        }

        var frameLength = origin + reader.Consumed;
        _searched = 0;
        _resumeAt = null;
        _messageStart = null;
        if (frameLength > _limits.MaxMessageBytes)
        {
            return Malformed(buffer, AmiFrameError.MessageTooLarge, _limits.MaxMessageBytes, start);
        }

        // The frame's lines, each with its CRLF; the final blank line is left out.
        var lines = buffer.Slice(start, frameLength - 2);
        var end = reader.Position;
        return ParseFields(lines, skipped, out var message, out var error, out var offset)
            ? new AmiFrameResult(AmiFrameStatus.Message, end, end, message)
            : Malformed(buffer, error, offset, start);
    }

    private AmiFrameResult ReadBanner(in ReadOnlySequence<byte> buffer, ref SequenceReader<byte> reader)
    {
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, CrLf, advancePastDelimiter: true))
        {
            return buffer.Length > _limits.MaxLineBytes
                ? Malformed(buffer, AmiFrameError.LineTooLong, 0, buffer.Start)
                : new AmiFrameResult(AmiFrameStatus.NeedMoreData, buffer.Start, buffer.End);
        }

        if (line.Length > _limits.MaxLineBytes)
        {
            return Malformed(buffer, AmiFrameError.LineTooLong, 0, buffer.Start);
        }

        var text = Encoding.UTF8.GetString(line);
        // A banner is "Name/version"; a line with ": " is a field, so the peer skipped the banner.
        if (text.Length == 0 || text.Contains(": ", StringComparison.Ordinal) || !text.Contains('/', StringComparison.Ordinal))
        {
            return Malformed(buffer, AmiFrameError.InvalidBanner, 0, buffer.Start);
        }

        _expectBanner = false;
        return new AmiFrameResult(AmiFrameStatus.Banner, reader.Position, reader.Position, Banner: text);
    }

    // The caller's contract (as a pipe's): after NeedMoreData it passes the same bytes again, plus more. A message that
    // starts elsewhere (a copy, another array) or a buffer shorter than before gets the search resumed by counting.
    private bool SameStart(SequencePosition start, long length) =>
        _messageStart is not null && ReferenceEquals(start.GetObject(), _messageStart) && start.GetInteger() == _messageStartIndex && length >= _resumeOffset;

    private static AmiFrameResult Malformed(in ReadOnlySequence<byte> buffer, AmiFrameError error, long offset, SequencePosition start) =>
        new(AmiFrameStatus.Malformed, start, buffer.End, Error: error, ErrorOffset: offset);

    private bool ParseFields(ReadOnlySequence<byte> lines, long baseOffset, out AmiMessage? message, out AmiFrameError error, out long errorOffset)
    {
        var fields = new List<AmiField>(16);
        var reader = new SequenceReader<byte>(lines);
        var follows = false;
        byte[]? rented = null;
        try
        {
            while (!reader.End)
            {
                var lineOffset = baseOffset + reader.Consumed;
                if (!reader.TryReadTo(out ReadOnlySequence<byte> lineSequence, CrLf, advancePastDelimiter: true))
                {
                    // Cannot happen: the slice ends with CRLF. Treat the rest as one line.
                    lineSequence = reader.UnreadSequence;
                    reader.AdvanceToEnd();
                }

                if (lineSequence.Length > _limits.MaxLineBytes)
                {
                    return Fail(AmiFrameError.LineTooLong, lineOffset, out message, out error, out errorOffset);
                }

                ReadOnlySpan<byte> line;
                if (lineSequence.IsSingleSegment)
                {
                    line = lineSequence.FirstSpan;
                }
                else
                {
                    rented ??= ArrayPool<byte>.Shared.Rent(_limits.MaxLineBytes);
                    lineSequence.CopyTo(rented);
                    line = rented.AsSpan(0, (int)lineSequence.Length);
                }

                var colon = line.IndexOf((byte)':');
                var nameValid = colon > 0 && IsFieldName(line[..colon]);
                if (follows && !nameValid)
                {
                    // Response: Follows (before Asterisk 14): raw command output, LF-separated, ending in --END COMMAND--.
                    AddOutputLines(fields, line);
                }
                else if (colon < 0)
                {
                    return Fail(AmiFrameError.MissingColon, lineOffset, out message, out error, out errorOffset);
                }
                else if (!nameValid)
                {
                    return Fail(AmiFrameError.InvalidFieldName, lineOffset, out message, out error, out errorOffset);
                }
                else
                {
                    var valueBytes = line[(colon + 1)..];
                    if (!valueBytes.IsEmpty && valueBytes[0] == (byte)' ')
                    {
                        valueBytes = valueBytes[1..];
                    }

                    // Asterisk ends some values with a bare LF ("Unable to retrieve endpoint 9999\n").
                    valueBytes = valueBytes.TrimEnd("\r\n"u8);
                    var name = Name(line[..colon]);
                    fields.Add(new AmiField(name, Value(valueBytes)));
                    if (fields.Count == 1 && name.Equals("Response", StringComparison.OrdinalIgnoreCase) && valueBytes.SequenceEqual("Follows"u8))
                    {
                        follows = true;
                    }
                }

                if (fields.Count > _limits.MaxFieldsPerMessage)
                {
                    return Fail(AmiFrameError.TooManyFields, lineOffset, out message, out error, out errorOffset);
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        message = new AmiMessage([.. fields], owned: true);
        error = AmiFrameError.None;
        errorOffset = -1;
        return true;
    }

    private static bool Fail(AmiFrameError kind, long offset, out AmiMessage? message, out AmiFrameError error, out long errorOffset)
    {
        message = null;
        error = kind;
        errorOffset = offset;
        return false;
    }

    private static void AddOutputLines(List<AmiField> fields, ReadOnlySpan<byte> line)
    {
        foreach (var range in line.Split((byte)'\n'))
        {
            var piece = line[range].TrimEnd((byte)'\r');
            if (piece.SequenceEqual("--END COMMAND--"u8))
            {
                continue;
            }

            fields.Add(new AmiField("Output", Encoding.UTF8.GetString(piece)));
        }
    }

    private static bool IsFieldName(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (b is <= (byte)' ' or > (byte)'~')
            {
                return false;
            }
        }

        return true;
    }

    // Short ASCII values repeat across a list ("userpass", "MD5", "false", "transport-udp"): one
    // shared string each saves most of a 10,000-endpoint snapshot's allocations.
    private string Value(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxCachedValueLength || !System.Text.Ascii.IsValid(utf8))
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[MaxCachedValueLength];
        var n = Encoding.ASCII.GetChars(utf8, chars);
        if (_valueLookup.TryGetValue(chars[..n], out var cached))
        {
            return cached;
        }

        var value = new string(chars[..n]);
        if (_values.Count < MaxCachedValues)
        {
            _values[value] = value;
        }

        return value;
    }

    // Field names repeat in every message; share one string per name instead of allocating each time.
    // GetConfig's "Line-000012-000003" names are unique, so names with digits are not kept.
    private string Name(ReadOnlySpan<byte> ascii)
    {
        Span<char> chars = stackalloc char[Math.Min(ascii.Length, 256)];
        if (ascii.Length > chars.Length)
        {
            return Encoding.ASCII.GetString(ascii);
        }

        for (var i = 0; i < ascii.Length; i++)
        {
            chars[i] = (char)ascii[i];
        }

        if (_nameLookup.TryGetValue(chars, out var cached))
        {
            return cached;
        }

        var name = new string(chars);
        if (_names.Count < MaxCachedNames && ascii.IndexOfAnyInRange((byte)'0', (byte)'9') < 0)
        {
            _names[name] = name;
        }

        return name;
    }
}
