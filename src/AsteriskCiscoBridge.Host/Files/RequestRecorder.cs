using System.Net;
using System.Threading.Channels;
using AsteriskCiscoBridge.Host.Firmware;
using AsteriskCiscoBridge.Host.Resync;
using AsteriskCiscoBridge.Host.Security;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Tftp.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Host.Files;

/// <summary>One request for a file of the tree, over TFTP or HTTP, as it ended.</summary>
/// <param name="Served">The whole file went to the client (a HEAD or a refusal is not a fetch).</param>
/// <param name="Outcome">For the request log: <c>served: …</c>, <c>notfound: …</c>, <c>denied: …</c>…</param>
/// <param name="Source">The layer of the file tree that answered (store, unbound, disk:…, guard, rate-limit, pinning…), when known.</param>
internal sealed record FileRequest(DateTimeOffset At, string Protocol, IPEndPoint Client, string FileName, bool Served, string Outcome, long Bytes, string? Source = null);

/// <summary>
/// The one way a phone's request is recorded, whatever carried it: TFTP requests (from the
/// server's event channel) and HTTP requests (<see cref="Http.HttpFileService"/>) go into the
/// store's request log (what a phone asked for, what it got and why), and a served file named
/// after a phone tells the resync service it fetched its configuration: the proof that a NOTIFY worked.
/// </summary>
/// <remarks>With <paramref name="loads"/>, each request also feeds the learning of the phone's running load.</remarks>
internal sealed partial class RequestRecorder(TftpHostedService tftp, RequestLog log, ResyncService resync, ILogger<RequestRecorder> logger, LoadLearningService? loads = null, Provisioning.FamilyLearning? families = null) : BackgroundService
{
    // Bounded, and a writer waits rather than drop: a lost "served" would lose a resync proof.
    // TFTP's own event channel sheds load before this one (TftpServerOptions), HTTP waits.
    private readonly Channel<FileRequest> _requests = Channel.CreateBounded<FileRequest>(new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Records a request; waits while the recorder is behind.</summary>
    public ValueTask RecordAsync(FileRequest request, CancellationToken cancellationToken) => _requests.Writer.WriteAsync(request, cancellationToken);

    /// <summary>A TFTP request event as a <see cref="FileRequest"/>.</summary>
    internal static FileRequest FromTftp(TftpRequestEvent request) => new(
        request.Timestamp,
        "tftp",
        request.Client,
        request.FileName,
        request.Outcome == TftpRequestOutcome.Served,
        $"{request.Outcome.ToString().ToLowerInvariant()}: {request.Detail}",
        request.Bytes,
        request.Source);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(FromTftpAsync(stoppingToken), RecordAllAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task FromTftpAsync(CancellationToken cancellationToken)
    {
        await foreach (var request in tftp.Server.Requests.ReadAllAsync(cancellationToken))
        {
            await RecordAsync(FromTftp(request), cancellationToken);
        }
    }

    private async Task RecordAllAsync(CancellationToken cancellationToken)
    {
        await foreach (var request in _requests.Reader.ReadAllAsync(cancellationToken))
        {
            var mac = EnumerationGuard.MacIn(request.FileName) is { } text && MacAddress.TryParse(text, out var parsed) ? parsed : null;
            try
            {
                if (mac is { } phone && request.Served)
                {
                    await resync.OnFetchedAsync(phone, request.FileName, request.At, cancellationToken);
                }

                if (families is not null)
                {
                    await families.ObserveAsync(request, mac, cancellationToken);
                }

                if (loads is not null)
                {
                    await loads.ObserveAsync(request, mac, cancellationToken);
                }

                await log.AppendAsync(new RequestRecord
                {
                    At = request.At,
                    Client = request.Protocol == "tftp" ? request.Client.ToString() : $"{request.Protocol}:{request.Client}",
                    FileName = request.FileName,
                    Mac = mac,
                    Outcome = request.Outcome,
                    Bytes = request.Bytes,
                    Source = request.Source,
                }, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A busy or broken database must not stop the recording of the next requests.
                NotRecorded(logger, request.FileName, e);
            }
        }
    }

    [LoggerMessage(6300, LogLevel.Warning, "Request for {FileName} could not be written to the request log")]
    private static partial void NotRecorded(ILogger logger, string fileName, Exception exception);
}
