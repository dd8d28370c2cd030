using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AsteriskCiscoBridge.Ami;

namespace AsteriskCiscoBridge.Testing.Ami;

/// <summary>
/// Replays one recorded transcript to one client on 127.0.0.1, port 0: server chunks go out with
/// their recorded boundaries; before each recorded client chunk it reads as many actions from the
/// client as the recording holds there and checks them against the recording (fields and order,
/// ActionID aside). The client's ActionIDs replace the recorded ones in what is sent back, so a
/// client that generates its own ids can be replayed. <see cref="Completion"/> faults on any deviation.
/// </summary>
public sealed class AmiTranscriptReplayServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IReadOnlyList<AmiTranscriptChunk> _chunks;
    private readonly CancellationTokenSource _stop = new();

    private AmiTranscriptReplayServer(string scenario)
    {
        _chunks = AmiFixtures.Transcript(scenario);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        Completion = Task.Run(() => RunAsync(_stop.Token));
    }

    public int Port { get; }

    /// <summary>Completes when the transcript has been replayed; faults when the client deviated from it.</summary>
    public Task Completion { get; }

    public static AmiTranscriptReplayServer Start(string scenario) => new(scenario);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await Completion;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var client = await _listener.AcceptTcpClientAsync(cancellationToken);
        client.NoDelay = true;
        var stream = client.GetStream();
        var ids = new Dictionary<string, string?>(StringComparer.Ordinal);
        var reader = new AmiFrameReader(AmiFrameLimits.Default, expectBanner: false);
        var received = new Queue<AmiMessage>();
        var pending = new ArrayBufferWriter<byte>();
        var consumed = 0;
        var read = new byte[16384];
        var i = 0;
        while (i < _chunks.Count)
        {
            var chunk = _chunks[i];
            switch (chunk.Direction)
            {
                case "s2c":
                    // Consecutive server chunks are rewritten together (an ActionID may straddle two) and cut again at the recorded sizes.
                    var group = new List<byte[]>();
                    while (i < _chunks.Count && _chunks[i].Direction == "s2c")
                    {
                        group.Add(_chunks[i].Bytes);
                        i++;
                    }

                    var text = Encoding.UTF8.GetString([.. group.SelectMany(b => b)]);
                    foreach (var (recorded, actual) in ids)
                    {
                        text = text.Replace("ActionID: " + recorded + "\r\n", actual is null ? string.Empty : "ActionID: " + actual + "\r\n", StringComparison.Ordinal);
                    }

                    var bytes = Encoding.UTF8.GetBytes(text);
                    var offset = 0;
                    for (var g = 0; g < group.Count; g++)
                    {
                        var length = g == group.Count - 1 ? bytes.Length - offset : Math.Min(group[g].Length, bytes.Length - offset);
                        await stream.WriteAsync(bytes.AsMemory(offset, length), cancellationToken);
                        await stream.FlushAsync(cancellationToken);
                        offset += length;
                    }

                    continue;
                case "c2s":
                    foreach (var expected in AmiFixtures.ParseMessages(chunk.Bytes))
                    {
                        while (received.Count == 0)
                        {
                            var sequence = new ReadOnlySequence<byte>(pending.WrittenMemory[consumed..]);
                            var result = reader.TryRead(sequence);
                            if (result.Status == AmiFrameStatus.Message)
                            {
                                received.Enqueue(result.Message!);
                                consumed += (int)sequence.Slice(0, result.Consumed).Length;
                                continue;
                            }

                            if (result.Status == AmiFrameStatus.Malformed)
                            {
                                throw new InvalidDataException("client sent malformed data: " + result.Reason);
                            }

                            var n = await stream.ReadAsync(read, cancellationToken);
                            if (n == 0)
                            {
                                throw new InvalidDataException($"client closed before sending '{expected["Action"]}' (chunk {chunk.Seq})");
                            }

                            pending.Write(read.AsSpan(0, n));
                        }

                        var actual = received.Dequeue();
                        var want = expected.Fields.Where(f => f.Name != "ActionID").Select(f => f.Name + ": " + f.Value);
                        var got = actual.Fields.Where(f => f.Name != "ActionID").Select(f => f.Name + ": " + f.Value);
                        if (!want.SequenceEqual(got))
                        {
                            throw new InvalidDataException($"chunk {chunk.Seq}: expected [{string.Join(" | ", want)}] got [{string.Join(" | ", got)}]");
                        }

                        if (expected.ActionId is { } recordedId)
                        {
                            ids[recordedId] = actual.ActionId;
                        }
                    }

                    break;
                case "close":
                    client.Client.Shutdown(SocketShutdown.Both);
                    return;
            }

            i++;
        }

        // Transcript over without a server close: wait for the client to close.
        while (await stream.ReadAsync(read, cancellationToken) > 0)
        {
        }
    }
}
