using System.Globalization;
using System.Text;

namespace AsteriskCiscoBridge.Services.Http;

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
