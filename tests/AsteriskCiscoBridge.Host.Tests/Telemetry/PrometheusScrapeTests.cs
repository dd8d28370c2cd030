using System.Diagnostics.Metrics;
using AsteriskCiscoBridge.Host.Telemetry;
using AsteriskCiscoBridge.Services.Telemetry;

namespace AsteriskCiscoBridge.Host.Tests.Telemetry;

public sealed class PrometheusScrapeTests
{
    private static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);

    [Fact]
    public void Every_instrument_is_one_family_in_the_order_made_with_counters_summed_per_label_set()
    {
        using var meter = new Meter("AsteriskCiscoBridge");
        var served = 3L;
        meter.CreateObservableCounter("acb_tftp_requests_total", () => new[] { new Measurement<long>(served, Tag("outcome", "served")), new Measurement<long>(1, Tag("outcome", "not_found")) }, description: "TFTP read requests by outcome.");
        var http = meter.CreateCounter<long>("acb_http_requests_total", description: "HTTP answers by status code.");
        meter.CreateObservableGauge("acb_ami_connected", () => 1, description: "1 when the AMI session is up.");
        meter.CreateObservableGauge("acb_ami_snapshot_age_seconds", () => Array.Empty<Measurement<double>>(), unit: "s", description: "Seconds since the last snapshot (no sample before the first).");
        using var scrape = new PrometheusScrape(meter);

        http.Add(1, Tag("code", 404));
        http.Add(1, Tag("code", "200"));
        http.Add(2, Tag("code", 404));
        served = 5;

        Assert.Equal(
            "# HELP acb_tftp_requests_total TFTP read requests by outcome.\n" +
            "# TYPE acb_tftp_requests_total counter\n" +
            "acb_tftp_requests_total{outcome=\"served\"} 5\n" +
            "acb_tftp_requests_total{outcome=\"not_found\"} 1\n" +
            "# HELP acb_http_requests_total HTTP answers by status code.\n" +
            "# TYPE acb_http_requests_total counter\n" +
            "acb_http_requests_total{code=\"200\"} 1\n" +
            "acb_http_requests_total{code=\"404\"} 3\n" +
            "# HELP acb_ami_connected 1 when the AMI session is up.\n" +
            "# TYPE acb_ami_connected gauge\n" +
            "acb_ami_connected 1\n" +
            "# HELP acb_ami_snapshot_age_seconds Seconds since the last snapshot (no sample before the first).\n" +
            "# TYPE acb_ami_snapshot_age_seconds gauge\n",
            scrape.Render());
    }

    [Fact]
    public void Another_meter_of_the_same_name_is_not_read()
    {
        using var ours = new Meter("AsteriskCiscoBridge");
        using var theirs = new Meter("AsteriskCiscoBridge");
        var counter = ours.CreateCounter<long>("acb_provisioning_rounds_total", description: "Rounds.");
        var other = theirs.CreateCounter<long>("acb_provisioning_rounds_total", description: "Rounds.");
        using var scrape = new PrometheusScrape(ours);

        counter.Add(2);
        other.Add(40);

        Assert.Equal("# HELP acb_provisioning_rounds_total Rounds.\n# TYPE acb_provisioning_rounds_total counter\nacb_provisioning_rounds_total 2\n", scrape.Render());
    }

    [Fact]
    public void The_instruments_are_heard_by_any_other_listener_too()
    {
        using var meter = new Meter("AsteriskCiscoBridge");
        var counter = meter.CreateCounter<long>("acb_http_requests_total");
        using var scrape = new PrometheusScrape(meter);
        long heard = 0;
        using var other = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter == meter)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        other.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref heard, value));
        other.Start();

        counter.Add(7, Tag("code", "200"));

        Assert.Equal(7, Interlocked.Read(ref heard));
        Assert.EndsWith("acb_http_requests_total{code=\"200\"} 7\n", scrape.Render(), StringComparison.Ordinal);
    }
}
