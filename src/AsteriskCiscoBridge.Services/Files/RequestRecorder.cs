using System.Net;
using System.Threading.Channels;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Requests;
using AsteriskCiscoBridge.Services.Firmware;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Tftp.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Files;

/// <summary>One request for a file of the tree, over TFTP or HTTP, as it ended.</summary>
/// <param name="Served">The whole file went to the client (a HEAD or a refusal is not a fetch).</param>
/// <param name="Outcome">How it ended and why, for the request log.</param>
/// <param name="Source">The layer of the file tree that answered (store, unbound, disk:…, guard, rate-limit, pinning…), when known.</param>
/// <param name="At">When the request ended (the request log's time).</param>
/// <param name="Duration">How long it took, for TFTP: a phone asked at <see cref="AskedAt"/>.</param>
internal sealed record FileRequest(DateTimeOffset At, string Protocol, IPEndPoint Client, string FileName, bool Served, RequestOutcome Outcome, long Bytes, string? Source = null, TimeSpan Duration = default)
{
    /// <summary>When the phone asked: what it does next (its REGISTER after a boot) comes after this, not after <see cref="At"/>.</summary>
    public DateTimeOffset AskedAt => At - Duration;
}

/// <summary>
/// The one way a phone's request is recorded, whatever carried it: TFTP requests (from the
/// server's event channel) and HTTP requests (<see cref="Http.HttpFileService"/>) go into the
/// store's request log (what a phone asked for, what it got and why), and a served file named
/// after a phone tells the resync service it fetched its configuration: the proof that a NOTIFY worked.
/// </summary>
/// <remarks>
/// <para>With <paramref name="loads"/>, each request also feeds the learning of the phone's running load.</para>
/// <para>
/// Bounded under a flood (catalogue cases 17 and 18): refusals are only counted, per address and
/// minute (<see cref="RefusedRequests"/>), and written at most once per <see cref="CountsDelay"/>;
/// the other requests are written in batches of up to <see cref="MaxBatch"/>, one transaction each.
/// Nothing here waits on the store for a caller: a request that finds the queue full is dropped and
/// counted, and a write that fails (a full disk) is counted in <see cref="StoreHealth"/>, never
/// thrown into the serving.
/// </para>
/// </remarks>
internal sealed class RequestRecorder(
    TftpHostedService tftp,
    RequestLog log,
    ResyncService resync,
    ILogger<RequestRecorder> logger,
    LoadLearningService? loads = null,
    Provisioning.FamilyLearning? families = null,
    StoreHealth? health = null,
    TimeProvider? time = null) : BackgroundService
{
    /// <summary>Requests written in one transaction at most.</summary>
    public const int MaxBatch = 512;

    /// <summary>Requests waiting for the writer at most; beyond it they are dropped and counted.</summary>
    public const int Capacity = 4096;

    /// <summary>How long counts alone gather before they are written: a flood of refusals costs a write a second.</summary>
    public static readonly TimeSpan CountsDelay = TimeSpan.FromSeconds(1);

    // A null item wakes the writer for counts alone.
    private readonly Channel<FileRequest?> _requests = Channel.CreateBounded<FileRequest?>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly RefusedRequestCounts _refused = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public StoreHealth Health { get; } = health ?? new StoreHealth();

    /// <summary>Requests written to the request log since start, each once its transaction committed (refusals are only counted, not logged).</summary>
    public Diagnostics.EventCount LoggedCount { get; } = new();

    /// <summary>Records a request without waiting: a refusal is counted, any other request queued for the log (or, that far behind, dropped and counted).</summary>
    public void Record(FileRequest request)
    {
        if (RefusedRequests.KindOf(request) is { } kind)
        {
            if (_refused.Add(request, kind))
            {
                _requests.Writer.TryWrite(null);
            }

            return;
        }

        if (!_requests.Writer.TryWrite(request))
        {
            Health.NotRecorded(1);
        }
    }

    /// <summary>A TFTP request event as a <see cref="FileRequest"/>.</summary>
    internal static FileRequest FromTftp(TftpRequestEvent request) => new(
        request.Timestamp,
        "tftp",
        request.Client,
        request.FileName,
        request.Outcome == TftpRequestOutcome.Served,
        new RequestOutcome(KindOf(request.Outcome), request.Detail),
        request.Bytes,
        request.Source,
        request.Duration);

    private static RequestOutcomeKind KindOf(TftpRequestOutcome outcome) => outcome switch
    {
        TftpRequestOutcome.Served => RequestOutcomeKind.Served,
        TftpRequestOutcome.NotFound => RequestOutcomeKind.NotFound,
        TftpRequestOutcome.Denied => RequestOutcomeKind.Denied,
        TftpRequestOutcome.Malformed => RequestOutcomeKind.Malformed,
        TftpRequestOutcome.OptionRefused => RequestOutcomeKind.OptionRefused,
        TftpRequestOutcome.Busy => RequestOutcomeKind.Busy,
        TftpRequestOutcome.Failed => RequestOutcomeKind.Failed,
        _ => RequestOutcomeKind.Other,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(FromTftpAsync(stoppingToken), RecordAllAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // What came before the stop is still written: the last second's counts most of all.
        var rest = new List<FileRequest>();
        while (_requests.Reader.TryRead(out var request))
        {
            if (request is not null)
            {
                rest.Add(request);
            }
        }

        await WriteAsync([.. rest.Select(r => ToRecord(r, MacOf(r)))], CancellationToken.None);
    }

    private async Task FromTftpAsync(CancellationToken cancellationToken)
    {
        await foreach (var request in tftp.Server.Requests.ReadAllAsync(cancellationToken))
        {
            Record(FromTftp(request));
        }
    }

    private async Task RecordAllAsync(CancellationToken cancellationToken)
    {
        var batch = new List<FileRequest>(MaxBatch);
        while (await _requests.Reader.WaitToReadAsync(cancellationToken))
        {
            Drain(batch);
            if (batch.Count == 0)
            {
                await Task.Delay(CountsDelay, _time, cancellationToken);
                Drain(batch);
            }

            var records = new List<RequestRecord>(batch.Count);
            foreach (var request in batch)
            {
                var mac = MacOf(request);
                await ObserveAsync(request, mac, cancellationToken);
                records.Add(ToRecord(request, mac));
            }

            batch.Clear();
            await WriteAsync(records, cancellationToken);
        }
    }

    private void Drain(List<FileRequest> batch)
    {
        while (batch.Count < MaxBatch && _requests.Reader.TryRead(out var request))
        {
            if (request is not null)
            {
                batch.Add(request);
            }
        }
    }

    private async Task ObserveAsync(FileRequest request, MacAddress? mac, CancellationToken cancellationToken)
    {
        try
        {
            if (mac is { } phone && request.Served)
            {
                await resync.OnFetchedAsync(phone, request.FileName, request.AskedAt, cancellationToken, request.Client.Address.IsIPv4MappedToIPv6 ? request.Client.Address.MapToIPv4().ToString() : request.Client.Address.ToString());
            }

            if (families is not null)
            {
                await families.ObserveAsync(request, mac, cancellationToken);
            }

            if (loads is not null)
            {
                await loads.ObserveAsync(request, mac, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A busy or broken database must not stop the recording of the next requests.
            Log.RequestNotObserved(logger, request.FileName, e);
        }
    }

    private async Task WriteAsync(IReadOnlyList<RequestRecord> records, CancellationToken cancellationToken)
    {
        var counts = _refused.Take();
        if (records.Count == 0 && counts.Count == 0)
        {
            return;
        }

        try
        {
            await log.AppendAsync(records, counts, cancellationToken);
            if (Health.LastFailure is not null)
            {
                Log.RequestLogWrittenAgain(logger);
            }

            Health.WriteSucceeded(records.Count);
            LoggedCount.Add(records.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The serving goes on: these requests are lost (and counted), the counts wait for the next write.
            Health.NotRecorded(records.Count + _refused.Return(counts));
            if (Health.WriteFailed(e))
            {
                Log.RequestLogNotWritten(logger, records.Count, e);
            }
        }
    }

    private static MacAddress? MacOf(FileRequest request) => PhoneFileName.MacIn(request.FileName);

    private static RequestRecord ToRecord(FileRequest request, MacAddress? mac) => new()
    {
        At = request.At,
        Client = request.Protocol == "tftp" ? request.Client.ToString() : $"{request.Protocol}:{request.Client}",
        FileName = request.FileName,
        Mac = mac,
        Outcome = request.Outcome,
        Bytes = request.Bytes,
        Source = request.Source,
    };
}
