using System.Diagnostics.Metrics;
using System.Globalization;
using AsteriskCiscoBridge.Services.Http;

namespace AsteriskCiscoBridge.Services.Telemetry;

/// <summary>
/// What <c>/metrics</c> answers: the instruments of one <see cref="Meter"/>, read through a
/// <see cref="MeterListener"/> and written by <see cref="PrometheusTextWriter"/>, one family per
/// instrument in the order they were made. Observable instruments are observed at each scrape;
/// counters are summed per label set from the moment this listens.
/// </summary>
/// <remarks>
/// OpenTelemetry's Prometheus exporter (1.20.1-beta.1, the only version served) would write these
/// instruments too, but not byte for byte as documented: every sample without labels comes out as
/// <c>name{} value</c>, and a counter with a unit gets the unit put after its <c>_total</c>
/// (<c>acb_tftp_bytes_sent_total_bytes_total</c>). Only this listener's own meter is read, so two
/// services in one process (tests) never show each other's counts.
/// </remarks>
internal sealed class PrometheusScrape : IDisposable
{
    private readonly Lock _scrape = new();
    private readonly Lock _sums = new();
    private readonly MeterListener _listener = new();
    private readonly List<Instrument> _instruments = [];
    private readonly Dictionary<(Instrument Instrument, string Key), (Labels Labels, double Value)> _counted = [];
    private List<(Instrument Instrument, Labels Labels, double Value)>? _observed;

    public PrometheusScrape(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter, meter) || TypeOf(instrument) is null)
            {
                return;
            }

            lock (_sums)
            {
                _instruments.Add(instrument);
            }

            listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The media type of <see cref="Render"/>.</summary>
    public static string ContentType => PrometheusTextWriter.ContentType;

    public string Render()
    {
        lock (_scrape)
        {
            _observed = [];
            _listener.RecordObservableInstruments();
            var observed = _observed;
            _observed = null;
            var writer = new PrometheusTextWriter();
            lock (_sums)
            {
                foreach (var instrument in _instruments)
                {
                    var samples = instrument.IsObservable
                        ? observed.Where(o => o.Instrument == instrument).Select(o => (o.Labels.Pairs, o.Value))
                        : _counted.Where(c => c.Key.Instrument == instrument).OrderBy(c => c.Key.Key, StringComparer.Ordinal).Select(c => (c.Value.Labels.Pairs, c.Value.Value));
                    writer.Family(instrument.Name, TypeOf(instrument)!, instrument.Description ?? string.Empty, [.. samples]);
                }
            }

            return writer.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private static string? TypeOf(Instrument instrument) => instrument switch
    {
        Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => "counter",
        ObservableGauge<long> or ObservableGauge<int> or ObservableGauge<double> or Gauge<long> or Gauge<int> or Gauge<double> => "gauge",
        UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double> or ObservableUpDownCounter<long> or ObservableUpDownCounter<int> or ObservableUpDownCounter<double> => "gauge",
        _ => null,
    };

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels.Of(tags);
        if (instrument.IsObservable)
        {
            // Observations arrive on the scraping thread, inside RecordObservableInstruments.
            _observed?.Add((instrument, labels, value));
            return;
        }

        lock (_sums)
        {
            var key = (instrument, labels.Key);
            var replace = instrument is Gauge<long> or Gauge<int> or Gauge<double>;
            _counted[key] = (labels, replace || !_counted.TryGetValue(key, out var sum) ? value : sum.Value + value);
        }
    }

    private sealed record Labels(IReadOnlyList<(string Name, string Value)> Pairs, string Key)
    {
        public static Labels Of(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.IsEmpty)
            {
                return new Labels([], string.Empty);
            }

            var pairs = new (string, string)[tags.Length];
            for (var i = 0; i < tags.Length; i++)
            {
                pairs[i] = (tags[i].Key, Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? string.Empty);
            }

            return new Labels(pairs, string.Join('\n', pairs.Select(p => p.Item1 + "=" + p.Item2)));
        }
    }
}
