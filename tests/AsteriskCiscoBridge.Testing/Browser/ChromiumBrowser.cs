using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AsteriskCiscoBridge.Testing.Browser;

/// <summary>
/// Debian's headless Chromium (<c>/usr/bin/chromium</c>) driven over the DevTools protocol: started
/// with a fresh profile, the flags that keep it off the network (it would otherwise try Google's
/// hosts at every start), and <c>--remote-debugging-port=0</c>; the port it chose is read from the
/// "DevTools listening on ws://…" line it writes to stderr.
/// </summary>
public sealed partial class ChromiumBrowser : IAsyncDisposable
{
    public const string DefaultPath = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly string _profile;
    private readonly Task _drainOutput;
    private readonly Task _drainError;

    private ChromiumBrowser(Process process, string profile, Uri devTools, Task drainOutput, Task drainError)
    {
        _process = process;
        _profile = profile;
        DevTools = devTools;
        _drainOutput = drainOutput;
        _drainError = drainError;
    }

    /// <summary>The browser's DevTools HTTP base, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri DevTools { get; }

    public static async Task<ChromiumBrowser> LaunchAsync(TimeSpan timeout, CancellationToken cancellationToken, string path = DefaultPath)
    {
        var profile = Directory.CreateTempSubdirectory("acb-chromium-").FullName;
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--window-size=1280,900", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
            $"--user-data-dir={profile}", "about:blank",
        })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {path}");
        process.StandardInput.Close();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new System.Text.StringBuilder();
        var drainError = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
            {
                lock (stderr)
                {
                    stderr.AppendLine(line);
                }

                if (Listening().Match(line) is { Success: true } match)
                {
                    listening.TrySetResult(new Uri($"http://127.0.0.1:{match.Groups[1].Value}/"));
                }
            }

            listening.TrySetException(new InvalidOperationException("chromium exited before DevTools listened: " + stderr));
        }, CancellationToken.None);
        var drainOutput = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        try
        {
            var devTools = await listening.Task.WaitAsync(timeout, cancellationToken);
            return new ChromiumBrowser(process, profile, devTools, drainOutput, drainError);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            process.Dispose();
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    /// <summary>Opens a new tab on about:blank and connects to it.</summary>
    public async Task<CdpSession> NewPageAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = DevTools };

        // Chromium wants PUT for /json/new (GET is refused since version 111).
        using var response = await http.PutAsync("json/new?about:blank", null, cancellationToken);
        response.EnsureSuccessStatusCode();
        var target = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return await CdpSession.ConnectAsync(new Uri(target.GetProperty("webSocketDebuggerUrl").GetString()!), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        await Task.WhenAll(_drainOutput, _drainError);
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A crash reporter child may still be writing; the folder is in the temp area.
        }
    }

    [GeneratedRegex(@"DevTools listening on ws://[^:]+:(\d+)/")]
    private static partial Regex Listening();
}
