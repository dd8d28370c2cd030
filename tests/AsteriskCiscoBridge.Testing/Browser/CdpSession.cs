using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace AsteriskCiscoBridge.Testing.Browser;

/// <summary>A DevTools protocol error answer (<c>{"id":…,"error":{…}}</c>).</summary>
public sealed class CdpException(string message) : Exception(message);

/// <summary>A DevTools protocol event (<c>{"method":…,"params":…}</c>).</summary>
public sealed record CdpEvent(string Method, JsonElement Params);

/// <summary>
/// One DevTools protocol connection to a page target over a WebSocket: commands are JSON objects
/// with an <c>id</c>, answered by a message with the same id; everything without an id is an event.
/// One reader loop owns the socket's read side; each pending command waits on its own completion.
/// </summary>
public sealed class CdpSession : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly Channel<CdpEvent> _events = Channel.CreateUnbounded<CdpEvent>();
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
    private int _nextId;

    private CdpSession()
    {
    }

    /// <summary>Events in arrival order.</summary>
    public ChannelReader<CdpEvent> Events => _events.Reader;

    public static async Task<CdpSession> ConnectAsync(Uri webSocketUrl, CancellationToken cancellationToken)
    {
        var session = new CdpSession();
        session._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await session._socket.ConnectAsync(webSocketUrl, cancellationToken);
        session._reader = session.ReadLoopAsync(session._stop.Token);
        return session;
    }

    /// <summary>Sends <paramref name="method"/> and returns its <c>result</c>.</summary>
    public async Task<JsonElement> SendAsync(string method, JsonObject? parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
            var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
            await _send.WaitAsync(cancellationToken);
            try
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
            finally
            {
                _send.Release();
            }

            return await answer.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Waits for the next event named <paramref name="method"/>, skipping others.</summary>
    public async Task<CdpEvent> WaitForEventAsync(string method, CancellationToken cancellationToken)
    {
        while (true)
        {
            var e = await _events.Reader.ReadAsync(cancellationToken);
            if (e.Method == method)
            {
                return e;
            }
        }
    }

    /// <summary>Navigates and waits for the page's load event.</summary>
    public async Task NavigateAsync(Uri url, CancellationToken cancellationToken)
    {
        await SendAsync("Page.enable", null, cancellationToken);
        while (_events.Reader.TryRead(out _))
        {
        }

        var result = await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() }, cancellationToken);
        if (result.TryGetProperty("errorText", out var error))
        {
            throw new CdpException($"navigating to {url}: {error.GetString()}");
        }

        await WaitForEventAsync("Page.loadEventFired", cancellationToken);
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (promises awaited) and returns its value.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true }, cancellationToken);
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new CdpException($"page script threw: {exception.GetRawText()}");
        }

        var value = result.GetProperty("result");
        return value.TryGetProperty("value", out var v) ? v : default;
    }

    /// <summary>Saves a PNG of the page at <paramref name="path"/> (folders created).</summary>
    public async Task<string> ScreenshotAsync(string path, CancellationToken cancellationToken)
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(result.GetProperty("data").GetString()!), cancellationToken);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        _socket.Abort();
        try
        {
            await _reader;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        _socket.Dispose();
        _send.Dispose();
        _stop.Dispose();
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var received = await _socket.ReceiveAsync(buffer, cancellationToken);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }

                Dispatch(message.ToArray());
                message.SetLength(0);
            }
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new CdpException("the DevTools connection closed"));
            }

            _events.Writer.TryComplete();
        }
    }

    private void Dispatch(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement.Clone();
        if (root.TryGetProperty("id", out var id))
        {
            if (_pending.TryGetValue(id.GetInt32(), out var answer))
            {
                if (root.TryGetProperty("error", out var error))
                {
                    answer.TrySetException(new CdpException(error.GetRawText()));
                }
                else
                {
                    answer.TrySetResult(root.GetProperty("result"));
                }
            }

            return;
        }

        if (root.TryGetProperty("method", out var method))
        {
            _events.Writer.TryWrite(new CdpEvent(method.GetString()!, root.TryGetProperty("params", out var p) ? p : default));
        }
    }
}
