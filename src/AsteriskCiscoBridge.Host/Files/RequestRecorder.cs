using System.Globalization;
using AsteriskCiscoBridge.Host.Resync;
using AsteriskCiscoBridge.Host.Security;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Tftp.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host.Files;

/// <summary>
/// Keeps every TFTP request in the store's request log (what a phone asked for, what it got and
/// why), and tells the resync service when a phone fetched its own configuration: the proof that
/// a NOTIFY worked.
/// </summary>
internal sealed partial class RequestRecorder(TftpHostedService tftp, RequestLog log, ResyncService resync, ILogger<RequestRecorder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in tftp.Server.Requests.ReadAllAsync(stoppingToken))
            {
                var mac = EnumerationGuard.MacIn(request.FileName) is { } text && MacAddress.TryParse(text, out var parsed) ? parsed : null;
                if (mac is { } phone && request.Outcome == TftpRequestOutcome.Served)
                {
                    await resync.OnFetchedAsync(phone, request.FileName, request.Timestamp, stoppingToken);
                }

                try
                {
                    await log.AppendAsync(new RequestRecord
                    {
                        At = request.Timestamp,
                        Client = request.Client.ToString(),
                        FileName = request.FileName,
                        Mac = mac,
                        Outcome = $"{request.Outcome.ToString().ToLowerInvariant()}: {request.Detail}",
                        Bytes = request.Bytes,
                        Source = request.Source,
                    }, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A busy or broken database must not stop the recording of the next requests.
                    NotRecorded(logger, request.FileName, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(6300, LogLevel.Warning, "Request for {FileName} could not be written to the request log")]
    private static partial void NotRecorded(ILogger logger, string fileName, Exception exception);
}
