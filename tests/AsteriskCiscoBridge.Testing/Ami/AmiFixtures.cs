using System.Text;
using System.Text.Json;
using AsteriskCiscoBridge.Ami;

namespace AsteriskCiscoBridge.Testing.Ami;

/// <summary>One chunk of a recorded transcript: a real recv()/send() boundary.</summary>
public sealed record AmiTranscriptChunk(int Seq, string Direction, byte[] Bytes);

/// <summary>A message of <c>messages.json</c>: kind (banner/response/event/connection-closed-by-server) and ordered headers.</summary>
public sealed record AmiRecordedMessage(string Kind, string Raw, IReadOnlyList<KeyValuePair<string, string>> Headers);

/// <summary>Access to the byte-exact Asterisk recordings in <c>tests/fixtures/asterisk</c>.</summary>
public static class AmiFixtures
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The <c>tests/fixtures/asterisk</c> folder, found by walking up to the solution.</summary>
    public static string Root => RootPath.Value;

    /// <summary>Path of <c>ami/{scenario}/{file}</c>.</summary>
    public static string PathOf(string scenario, string file) => Path.Combine(Root, "ami", scenario, file);

    /// <summary>Raw bytes of a scenario file.</summary>
    public static byte[] Bytes(string scenario, string file) => File.ReadAllBytes(PathOf(scenario, file));

    /// <summary>Every byte the server sent in a scenario.</summary>
    public static byte[] ServerStream(string scenario) => Bytes(scenario, "server-stream.raw");

    /// <summary>The bytes of the numbered request or response file whose name starts with <paramref name="prefix"/> (e.g. <c>"13-"</c>).</summary>
    public static byte[] Numbered(string scenario, string prefix, string kind)
    {
        var dir = Path.Combine(Root, "ami", scenario);
        var file = Directory.GetFiles(dir, prefix + "*." + kind + ".raw").Single();
        return File.ReadAllBytes(file);
    }

    /// <summary>Names of the numbered exchanges of a scenario (<c>01-login</c>, …) in order.</summary>
    public static IReadOnlyList<string> Exchanges(string scenario) =>
        [.. Directory.GetFiles(Path.Combine(Root, "ami", scenario), "*.request.raw")
            .Select(f => Path.GetFileName(f)[..^".request.raw".Length])
            .Order(StringComparer.Ordinal)];

    /// <summary>The transcript chunks, in order (notes included, with direction <c>note</c>).</summary>
    public static IReadOnlyList<AmiTranscriptChunk> Transcript(string scenario)
    {
        var chunks = new List<AmiTranscriptChunk>();
        foreach (var line in File.ReadLines(PathOf(scenario, "transcript.jsonl")))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            chunks.Add(new AmiTranscriptChunk(
                root.GetProperty("seq").GetInt32(),
                root.GetProperty("dir").GetString()!,
                Convert.FromBase64String(root.GetProperty("b64").GetString() ?? string.Empty)));
        }

        return chunks;
    }

    /// <summary>The recorded message split of the server stream (<c>messages.json</c>).</summary>
    public static IReadOnlyList<AmiRecordedMessage> Messages(string scenario)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(PathOf(scenario, "messages.json")));
        var result = new List<AmiRecordedMessage>();
        foreach (var m in doc.RootElement.EnumerateArray())
        {
            var headers = new List<KeyValuePair<string, string>>();
            if (m.TryGetProperty("headers", out var h))
            {
                foreach (var pair in h.EnumerateArray())
                {
                    headers.Add(new(pair[0].GetString()!, pair[1].GetString()!));
                }
            }

            result.Add(new AmiRecordedMessage(
                m.GetProperty("kind").GetString()!,
                m.TryGetProperty("raw", out var raw) ? raw.GetString() ?? string.Empty : string.Empty,
                headers));
        }

        return result;
    }

    /// <summary>Parses bytes that hold whole messages (no banner) with the product's reader.</summary>
    public static IReadOnlyList<AmiMessage> ParseMessages(byte[] bytes, bool expectBanner = false)
    {
        var reader = new AmiFrameReader(AmiFrameLimits.Default, expectBanner);
        var buffer = new System.Buffers.ReadOnlySequence<byte>(bytes);
        var messages = new List<AmiMessage>();
        while (true)
        {
            var result = reader.TryRead(buffer);
            switch (result.Status)
            {
                case AmiFrameStatus.Message:
                    messages.Add(result.Message!);
                    break;
                case AmiFrameStatus.Banner:
                    break;
                case AmiFrameStatus.Malformed:
                    throw new InvalidDataException("fixture does not parse: " + result.Reason);
                default:
                    return messages;
            }

            buffer = buffer.Slice(result.Consumed);
        }
    }

    /// <summary>Serialises fields as Asterisk writes them: <c>Key: value\r\n</c>…, then <c>\r\n</c>.</summary>
    public static void Write(StringBuilder output, IEnumerable<KeyValuePair<string, string>> fields)
    {
        foreach (var (key, value) in fields)
        {
            output.Append(key).Append(": ").Append(value).Append("\r\n");
        }

        output.Append("\r\n");
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AsteriskCiscoBridge.sln")))
        {
            dir = dir.Parent;
        }

        return dir is null
            ? throw new DirectoryNotFoundException("AsteriskCiscoBridge.sln not found above " + AppContext.BaseDirectory)
            : Path.Combine(dir.FullName, "tests", "fixtures", "asterisk");
    }

    internal static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
