using System.Diagnostics.Metrics;
using AsteriskCiscoBridge.Services.Telemetry;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace AsteriskCiscoBridge.Host.Telemetry;

/// <summary>
/// Sends the service's instruments (<see cref="BridgeMetrics"/>) to an OpenTelemetry collector over
/// OTLP when <c>Telemetry:Otlp:Endpoint</c> is set, through the OpenTelemetry SDK's own exporter.
/// </summary>
internal static class TelemetrySetup
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Telemetry:Otlp").Get<OtlpOptions>() ?? new OtlpOptions();
        if (options.Target() is not { } target)
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("asterisk-cisco-bridge", serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics => metrics
                .AddMeter(BridgeMetrics.MeterName)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = target;
                    exporter.Protocol = options.Protocol == OtlpProtocol.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.ExportInterval.TotalMilliseconds;
                    reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
                }));
        // Only this service's meter: another service in the same process (tests) makes a meter of the same name.
        services.ConfigureOpenTelemetryMeterProvider((provider, metrics) =>
        {
            var ours = provider.GetRequiredService<IMeterFactory>();
            metrics.AddView(instrument => ReferenceEquals(instrument.Meter.Scope, ours) ? null : MetricStreamConfiguration.Drop);
        });
        return services;
    }
}
