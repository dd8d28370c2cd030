using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using AsteriskCiscoBridge.Host.Files;
using AsteriskCiscoBridge.Host.Provisioning;
using AsteriskCiscoBridge.Host.Resync;
using AsteriskCiscoBridge.Host.Storage;

namespace AsteriskCiscoBridge.Host.Http;

/// <summary>
/// Writes the Prometheus text exposition format (version 0.0.4): per family one <c># HELP</c> and
/// one <c># TYPE</c> line, then its samples. HELP text escapes <c>\</c> and line feeds; label values
/// escape <c>\</c>, <c>"</c> and line feeds (prometheus.io/docs/instrumenting/exposition_formats).
/// Pure: values in, text out.
/// </summary>
internal sealed class PrometheusTextWriter
{
    private readonly StringBuilder _text = new();

    /// <summary>The media type a scraper expects for this format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public PrometheusTextWriter Family(string name, string type, string help, params (IReadOnlyList<(string Name, string Value)> Labels, double Value)[] samples)
    {
        _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value) in samples)
        {
            _text.Append(name);
            if (labels.Count > 0)
            {
                _text.Append('{');
                for (var i = 0; i < labels.Count; i++)
                {
                    _text.Append(i == 0 ? string.Empty : ",").Append(labels[i].Name).Append("=\"").Append(EscapeLabel(labels[i].Value)).Append('"');
                }

                _text.Append('}');
            }

            _text.Append(' ').Append(Format(value)).Append('\n');
        }

        return this;
    }

    public PrometheusTextWriter Counter(string name, string help, double value) => Family(name, "counter", help, ([], value));

    public PrometheusTextWriter Gauge(string name, string help, double value) => Family(name, "gauge", help, ([], value));

    public override string ToString() => _text.ToString();

    internal static string EscapeHelp(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    internal static string EscapeLabel(string text) => EscapeHelp(text).Replace("\"", "\\\"", StringComparison.Ordinal);

    internal static string Format(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>HTTP file-service answers by status code, counted by the service's middleware.</summary>
internal sealed class HttpRequestCounter
{
    private readonly ConcurrentDictionary<int, long> _byStatus = new();

    public void Count(int status) => _byStatus.AddOrUpdate(status, 1, (_, n) => n + 1);

    public IReadOnlyList<KeyValuePair<int, long>> Snapshot() => [.. _byStatus.OrderBy(p => p.Key)];
}

/// <summary>
/// The one place the service's counters are gathered for <c>/metrics</c>: the TFTP server's
/// counters, the HTTP file service's answers, the resync service's NOTIFYs and stale phones, and
/// the AMI link (connected, age of the last complete snapshot), and the store's writes (failures, a full
/// disk, the request log's size and the requests it could not take).
/// </summary>
internal sealed class BridgeMetrics(TftpHostedService tftp, HttpRequestCounter http, ResyncService resync, EndpointSyncService sync, TimeProvider time, StoreHealth? store = null)
{
    public string Render()
    {
        var writer = new PrometheusTextWriter();
        if (Counters() is { } c)
        {
            writer.Family(
                "acb_tftp_requests_total",
                "counter",
                "TFTP read requests by outcome.",
                (Outcome("served"), c.Served),
                (Outcome("not_found"), c.NotFound),
                (Outcome("denied"), c.Denied),
                (Outcome("malformed"), c.Malformed),
                (Outcome("busy"), c.Busy),
                (Outcome("failed"), c.Failed));
            writer.Counter("acb_tftp_misses_total", "TFTP requests for a file no source has (not found).", c.NotFound);
            writer.Counter("acb_tftp_transfers_total", "TFTP transfers completed.", c.Served);
            writer.Gauge("acb_tftp_transfers_active", "TFTP transfers in progress.", c.Active);
            writer.Counter("acb_tftp_bytes_sent_total", "File bytes sent over TFTP.", c.Bytes);
            writer.Counter("acb_tftp_retransmits_total", "TFTP blocks sent again after a timeout.", c.Retransmits);
            writer.Gauge("acb_tftp_buffered_bytes", "Bytes running TFTP transfers keep in memory of their own (budget: Tftp:MaxBufferedBytes).", c.BufferedBytes);
            writer.Counter("acb_tftp_memory_refusals_total", "TFTP requests refused because the transfer memory budget was used up.", c.MemoryRefusals);
        }

        writer.Family(
            "acb_http_requests_total",
            "counter",
            "HTTP file-service requests (port 6970) by status code.",
            [.. http.Snapshot().Select(p => ((IReadOnlyList<(string, string)>)[("code", p.Key.ToString(CultureInfo.InvariantCulture))], (double)p.Value))]);
        writer.Family(
            "acb_resync_notifies_total",
            "counter",
            "Resync NOTIFYs by outcome: sent (accepted by Asterisk), fetched (the phone then read its file), proven (and registered again).",
            (Outcome("sent"), resync.Sent),
            (Outcome("fetched"), resync.Fetched),
            (Outcome("proven"), resync.Proven));
        writer.Gauge("acb_resync_stale_phones", "Phones whose resync needs a person: no fetch after every NOTIFY, fetched but did not register, or refused by Asterisk.", resync.Stale.Count);
        writer.Gauge("acb_resync_waiting_phones", "Phones whose resync waits for a live contact.", resync.Waiting.Count);
        writer.Gauge("acb_ami_connected", "1 when the AMI session is up.", sync.AmiConnected ? 1 : 0);
        writer.Family(
            "acb_ami_snapshot_age_seconds",
            "gauge",
            "Seconds since the last complete PJSIP snapshot was taken (no sample before the first).",
            sync.LastSnapshotAt is { } at ? [([], (time.GetUtcNow() - at).TotalSeconds)] : []);
        writer.Counter("acb_provisioning_rounds_total", "Provisioning rounds run from complete snapshots.", sync.Rounds);
        if (store is not null)
        {
            writer.Counter("acb_store_write_failures_total", "Writes to the store that failed (the request log's and its pruning's).", store.WriteFailures);
            writer.Gauge("acb_store_disk_full", "1 while the store cannot grow: its disk (or Storage:MaxSizeMegabytes) is full; the stored files are still served.", store.Full ? 1 : 0);
            writer.Counter("acb_request_log_dropped_total", "Requests neither logged nor counted: the recorder was too far behind, or the store could not be written.", store.RequestsNotRecorded);
            writer.Family(
                "acb_request_log_rows",
                "gauge",
                "Requests in the request log (counted at start and after each hourly prune, then kept up to date; no sample before the first count).",
                store.RequestLogRows is { } rows ? [([], rows)] : []);
        }

        return writer.ToString();
    }

    // Before start and after stop the TFTP server does not exist: its families are left out.
    private Tftp.Server.TftpServerCounters? Counters()
    {
        try
        {
            return tftp.Server.Counters;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static IReadOnlyList<(string, string)> Outcome(string value) => [("outcome", value)];
}
