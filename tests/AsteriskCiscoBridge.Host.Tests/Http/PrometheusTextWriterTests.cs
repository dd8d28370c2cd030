using AsteriskCiscoBridge.Services.Http;

namespace AsteriskCiscoBridge.Host.Tests.Http;

public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void Writer_puts_help_and_type_once_per_family_then_each_sample_with_escaped_labels()
    {
        var text = new PrometheusTextWriter()
            .Family(
                "acb_tftp_requests_total",
                "counter",
                "TFTP read requests\nby \\outcome\\.",
                ([("outcome", "served")], 12),
                ([("outcome", "not \"found\"\nC:\\tftp")], 3))
            .Gauge("acb_ami_snapshot_age_seconds", "Seconds.", 1.5)
            .Counter("acb_empty_total", "No samples yet.", 0)
            .Family("acb_none", "gauge", "Nothing.")
            .ToString();

        Assert.Equal(
            "# HELP acb_tftp_requests_total TFTP read requests\\nby \\\\outcome\\\\.\n" +
            "# TYPE acb_tftp_requests_total counter\n" +
            "acb_tftp_requests_total{outcome=\"served\"} 12\n" +
            "acb_tftp_requests_total{outcome=\"not \\\"found\\\"\\nC:\\\\tftp\"} 3\n" +
            "# HELP acb_ami_snapshot_age_seconds Seconds.\n" +
            "# TYPE acb_ami_snapshot_age_seconds gauge\n" +
            "acb_ami_snapshot_age_seconds 1.5\n" +
            "# HELP acb_empty_total No samples yet.\n" +
            "# TYPE acb_empty_total counter\n" +
            "acb_empty_total 0\n" +
            "# HELP acb_none Nothing.\n" +
            "# TYPE acb_none gauge\n",
            text);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(1234567890123.0, "1234567890123")]
    [InlineData(0.25, "0.25")]
    public void Values_are_written_in_the_format_prometheus_parses(double value, string expected) =>
        Assert.Equal(expected, PrometheusTextWriter.Format(value));
}
