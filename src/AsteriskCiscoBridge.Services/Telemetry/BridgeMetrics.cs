using System.Diagnostics.Metrics;
using System.Globalization;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Services.Storage;

namespace AsteriskCiscoBridge.Services.Telemetry;

/// <summary>
/// The service's instruments, on one <see cref="Meter"/> named <see cref="MeterName"/>: the TFTP
/// server's counters, the HTTP file service's answers, the resync service's NOTIFYs and stale
/// phones, the AMI link (connected, age of the last complete snapshot) and the store's writes (failures,
/// a full disk, the request log's size and the requests it could not take). Anything that listens
/// to meters reads them: <c>/metrics</c> (<see cref="PrometheusScrape"/>), the OTLP exporter when
/// <c>Telemetry:Otlp:Endpoint</c> is set, <c>dotnet-counters monitor -n acb --counters AsteriskCiscoBridge</c>.
/// </summary>
/// <remarks>
/// The instrument names are the Prometheus names the README documents (<c>acb_…_total</c>), so
/// <c>/metrics</c> keeps them byte for byte. Counts the services keep anyway are observed when read
/// (observable instruments); only the HTTP answers are counted here, as they happen.
/// </remarks>
internal sealed class BridgeMetrics
{
    public const string MeterName = "AsteriskCiscoBridge";

    private readonly Counter<long> _httpAnswers;

    public BridgeMetrics(IMeterFactory meters, TftpHostedService tftp, ResyncService resync, EndpointSyncService sync, TimeProvider time, StoreHealth? store = null)
    {
        Meter = meters.Create(MeterName);
        Meter.CreateObservableCounter(
            "acb_tftp_requests_total",
            () => Tftp(tftp, c =>
            [
                Outcome(c.Served, "served"),
                Outcome(c.NotFound, "not_found"),
                Outcome(c.Denied, "denied"),
                Outcome(c.Malformed, "malformed"),
                Outcome(c.OptionRefused, "option_refused"),
                Outcome(c.Busy, "busy"),
                Outcome(c.Failed, "failed"),
            ]),
            description: "TFTP read requests by outcome.");
        Meter.CreateObservableCounter("acb_tftp_misses_total", () => Tftp(tftp, c => [new(c.NotFound)]), description: "TFTP requests for a file no source has (not found).");
        Meter.CreateObservableCounter("acb_tftp_transfers_total", () => Tftp(tftp, c => [new(c.Served)]), description: "TFTP transfers completed.");
        Meter.CreateObservableGauge("acb_tftp_transfers_active", () => Tftp(tftp, c => [new(c.Active)]), description: "TFTP transfers in progress.");
        Meter.CreateObservableCounter("acb_tftp_bytes_sent_total", () => Tftp(tftp, c => [new(c.Bytes)]), description: "File bytes sent over TFTP.");
        Meter.CreateObservableCounter("acb_tftp_retransmits_total", () => Tftp(tftp, c => [new(c.Retransmits)]), description: "TFTP blocks sent again after a timeout.");
        Meter.CreateObservableGauge("acb_tftp_buffered_bytes", () => Tftp(tftp, c => [new(c.BufferedBytes)]), description: "Bytes running TFTP transfers keep in memory of their own (budget: Tftp:MaxBufferedBytes).");
        Meter.CreateObservableCounter("acb_tftp_memory_refusals_total", () => Tftp(tftp, c => [new(c.MemoryRefusals)]), description: "TFTP requests refused because the transfer memory budget was used up.");
        _httpAnswers = Meter.CreateCounter<long>("acb_http_requests_total", description: "HTTP file-service requests (port 6970) by status code.");
        Meter.CreateObservableCounter(
            "acb_resync_notifies_total",
            () => new Measurement<long>[] { Outcome(resync.Sent, "sent"), Outcome(resync.Fetched, "fetched"), Outcome(resync.Proven, "proven") },
            description: "Resync NOTIFYs by outcome: sent (accepted by Asterisk), fetched (the phone then read its file), proven (and registered again).");
        Meter.CreateObservableGauge("acb_resync_stale_phones", () => resync.Stale.Count, description: "Phones whose resync needs a person: no fetch after every NOTIFY, fetched but did not register, or refused by Asterisk.");
        Meter.CreateObservableGauge("acb_resync_waiting_phones", () => resync.Waiting.Count, description: "Phones whose resync waits for a live contact.");
        Meter.CreateObservableGauge("acb_ami_connected", () => sync.AmiConnected ? 1 : 0, description: "1 when the AMI session is up.");
        Meter.CreateObservableGauge(
            "acb_ami_snapshot_age_seconds",
            () => sync.LastSnapshotAt is { } at ? [new Measurement<double>((time.GetUtcNow() - at).TotalSeconds)] : Array.Empty<Measurement<double>>(),
            unit: "s",
            description: "Seconds since the last complete PJSIP snapshot was taken (no sample before the first).");
        Meter.CreateObservableCounter("acb_provisioning_rounds_total", () => sync.Rounds, description: "Provisioning rounds run from complete snapshots.");
        if (store is not null)
        {
            Meter.CreateObservableCounter("acb_store_write_failures_total", () => store.WriteFailures, description: "Writes to the store that failed (the request log's and its pruning's).");
            Meter.CreateObservableGauge("acb_store_disk_full", () => store.Full ? 1 : 0, description: "1 while the store cannot grow: its disk (or Storage:MaxSizeMegabytes) is full; the stored files are still served.");
            Meter.CreateObservableCounter("acb_request_log_dropped_total", () => store.RequestsNotRecorded, description: "Requests neither logged nor counted: the recorder was too far behind, or the store could not be written.");
            Meter.CreateObservableGauge(
                "acb_request_log_rows",
                () => store.RequestLogRows is { } rows ? [new Measurement<long>(rows)] : Array.Empty<Measurement<long>>(),
                description: "Requests in the request log (counted at start and after each hourly prune, then kept up to date; no sample before the first count).");
        }
    }

    public Meter Meter { get; }

    /// <summary>Counts one answer of the phones' HTTP file service.</summary>
    public void CountHttpAnswer(int status) => _httpAnswers.Add(1, new KeyValuePair<string, object?>("code", status.ToString(CultureInfo.InvariantCulture)));

    // Before start and after stop the TFTP server does not exist: its instruments report nothing.
    // Read from the counters the TFTP service keeps after its server stops, so the export made on stopping has them.
    private static IEnumerable<Measurement<long>> Tftp(TftpHostedService tftp, Func<Tftp.Server.TftpServerCounters, Measurement<long>[]> read) =>
        tftp.Counters is { } counters ? read(counters) : [];

    private static Measurement<long> Outcome(long value, string outcome) => new(value, new KeyValuePair<string, object?>("outcome", outcome));
}
