using System.ComponentModel.DataAnnotations;
using AsteriskCiscoBridge.Services.Telemetry;

namespace AsteriskCiscoBridge.Host.Telemetry;

/// <summary>How metrics travel to an OpenTelemetry collector.</summary>
internal enum OtlpProtocol
{
    /// <summary>OTLP over gRPC, usually port 4317.</summary>
    Grpc = 0,

    /// <summary>OTLP as protobuf over HTTP POST to <c>/v1/metrics</c>, usually port 4318.</summary>
    HttpProtobuf = 1,
}

/// <summary>The <c>Telemetry:Otlp</c> configuration section: sending the metrics to a collector.</summary>
internal sealed class OtlpOptions : IValidatableObject
{
    /// <summary>
    /// The collector, <c>http://collector:4317</c> (gRPC) or <c>http://collector:4318</c> (with
    /// <see cref="Protocol"/> <c>HttpProtobuf</c>; the bridge adds <c>/v1/metrics</c> when the URL has no path).
    /// Unset (the default): no OTLP; <c>/metrics</c> on the dashboard listener is there either way.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary><c>Grpc</c> (default) or <c>HttpProtobuf</c>.</summary>
    public OtlpProtocol Protocol { get; set; } = OtlpProtocol.Grpc;

    /// <summary>Time between two exports; the last one is sent when the service stops. Default 1 min.</summary>
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The endpoint to send to, or null when OTLP is off.</summary>
    public Uri? Target()
    {
        if (string.IsNullOrWhiteSpace(Endpoint) || !Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri))
        {
            return null;
        }

        return Protocol == OtlpProtocol.HttpProtobuf && uri.AbsolutePath == "/" ? new Uri(uri, "v1/metrics") : uri;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Endpoint)
            && (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("is not an http:// or https:// URL (e.g. http://collector:4317)", [nameof(Endpoint)]);
        }

        if (ExportInterval < TimeSpan.FromSeconds(1) || ExportInterval > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("must be between 00:00:01 and 1.00:00:00", [nameof(ExportInterval)]);
        }
    }
}
