using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Services.Firmware;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Services.Telemetry;
using AsteriskCiscoBridge.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Dashboard;

/// <summary>
/// Puts the dashboard, its JSON API and /metrics on their own Kestrel listener (<c>Dashboard:Listen</c>,
/// loopback by default). Connections to that listener are marked when accepted, and only marked
/// connections reach the dashboard: the phones' file service on 6970 never answers for it, and the
/// dashboard listener never serves phone files.
/// </summary>
internal static class DashboardSetup
{
    private static readonly object Marker = new();

    /// <summary>Reads <c>Dashboard</c>, adds its listener and services; throws with a one-line reason when the settings are unusable.</summary>
    public static void AddDashboard(this WebApplicationBuilder builder, IConfiguration configuration)
    {
        var settings = DashboardOptions.Read(configuration);
        builder.Services.AddSingleton<BridgeMetrics>();
        builder.Services.AddSingleton(sp => new PrometheusScrape(sp.GetRequiredService<BridgeMetrics>().Meter));
        if (settings is null)
        {
            return;
        }

        builder.Services.AddSingleton(settings);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(settings.Listen, listen =>
        {
            settings.Bound = () => listen.IPEndPoint ?? settings.Listen;
            listen.Use(next => connection =>
            {
                connection.Items[Marker] = Marker;
                return next(connection);
            });
        }));
        builder.Services.AddSingleton(sp => new DashboardApi(
            sp.GetRequiredService<PhoneStore>(),
            sp.GetRequiredService<RequestLog>(),
            sp.GetRequiredService<NotifyLog>(),
            sp.GetRequiredService<ResyncQueue>(),
            sp.GetRequiredService<ResyncService>(),
            sp.GetRequiredService<ResyncOptions>(),
            sp.GetRequiredService<EndpointSyncService>(),
            AmiOptions.Bind(configuration, out _),
            sp.GetRequiredService<StoredPhoneRenderer>(),
            sp.GetRequiredService<StoredFileTree>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetService<SnapshotStore>(),
            sp.GetService<RemovalHoldStore>(),
            sp.GetService<SyncOptions>()));
    }

    /// <summary>Answers dashboard connections; counts the file service's answers for /metrics.</summary>
    public static void UseDashboard(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<BridgeMetrics>();
        // Listening from the start: the HTTP answers before the first scrape count too.
        app.Services.GetRequiredService<PrometheusScrape>();
        var settings = app.Services.GetService<DashboardSettings>();
        app.Use(async (context, next) =>
        {
            if (settings is null || context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(Marker) != true)
            {
                await next(context);
                metrics.CountHttpAnswer(context.Response.StatusCode);
                return;
            }

            await HandleAsync(context, settings);
        });
        if (settings is not null)
        {
            app.Lifetime.ApplicationStarted.Register(() => Log.Listening(app.Services.GetRequiredService<ILogger<DashboardApi>>(), settings.Bound?.Invoke() ?? settings.Listen, settings.TokenConfigured));
        }
    }

    private static async Task HandleAsync(HttpContext context, DashboardSettings settings)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value ?? "/";
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";
        var asset = HttpMethods.IsGet(request.Method) && Asset(path) is not null;
        switch (DashboardAccess.Check(request, settings, asset))
        {
            case DashboardAccess.Verdict.WrongHost:
                await WriteAsync(response, StatusCodes.Status403Forbidden, "text/plain; charset=utf-8", "the dashboard answers only to 127.0.0.1, localhost or [::1] in the Host header\n");
                return;
            case DashboardAccess.Verdict.NeedsToken:
                await WriteAsync(response, StatusCodes.Status401Unauthorized, "text/plain; charset=utf-8", $"a valid {DashboardAccess.TokenHeader} header is required\n");
                return;
        }

        var services = context.RequestServices;
        var ct = context.RequestAborted;
        if (asset && Asset(path) is var (resource, type))
        {
            var text = ReadAsset(resource);
            if (resource.EndsWith(".html", StringComparison.Ordinal))
            {
                // On loopback the page carries the action token (the Host check keeps other sites from reading it).
                text = text.Replace("{{TOKEN}}", settings.Loopback ? settings.Token : string.Empty, StringComparison.Ordinal);
            }

            await WriteAsync(response, StatusCodes.Status200OK, type, text);
            return;
        }

        var api = services.GetRequiredService<DashboardApi>();
        if (HttpMethods.IsGet(request.Method) && path == "/metrics")
        {
            await WriteAsync(response, StatusCodes.Status200OK, PrometheusScrape.ContentType, services.GetRequiredService<PrometheusScrape>().Render());
        }
        else if (HttpMethods.IsGet(request.Method) && path == "/api/state")
        {
            await JsonAsync(response, StatusCodes.Status200OK, await api.StateAsync(ct), DashboardJsonContext.Default.DashboardState, ct);
        }
        else if (HttpMethods.IsGet(request.Method) && path == "/api/requests")
        {
            var after = long.TryParse(request.Query["after"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            await JsonAsync(response, StatusCodes.Status200OK, await api.RequestsAsync(after, ct), DashboardJsonContext.Default.IReadOnlyListDashboardRequest, ct);
        }
        else if (HttpMethods.IsPost(request.Method) && path == "/api/sync/accept-removals")
        {
            var result = await api.AcceptRemovalsAsync(ct);
            await JsonAsync(response, result.Ok ? StatusCodes.Status200OK : StatusCodes.Status409Conflict, result, DashboardJsonContext.Default.DashboardActionResult, ct);
        }
        else if (HttpMethods.IsPost(request.Method) && PhoneAction(path) is var (macText, action) && action is "resync" or "pin" or "keys")
        {
            if (MacAddress.Parse(macText).Mac is not { } mac)
            {
                await JsonAsync(response, StatusCodes.Status400BadRequest, new DashboardActionResult(false, $"'{macText}' is not a MAC address"), DashboardJsonContext.Default.DashboardActionResult, ct);
            }
            else if (action == "keys")
            {
                if (await ReadBodyAsync(request, DashboardJsonContext.Default.DashboardKeysRequest, 16 * 1024, ct) is not { } body)
                {
                    await JsonAsync(response, StatusCodes.Status400BadRequest, new DashboardActionResult(false, "the body must be JSON {\"keys\": [\"speeddial:NUMBER:LABEL\", \"blf:NUMBER:LABEL\"]}"), DashboardJsonContext.Default.DashboardActionResult, ct);
                    return;
                }

                var result = await api.SetKeysAsync(mac, body.Keys ?? [], ct);
                await JsonAsync(response, result.Ok ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, result, DashboardJsonContext.Default.DashboardActionResult, ct);
            }
            else if (action == "pin")
            {
                if (await ReadBodyAsync(request, DashboardJsonContext.Default.DashboardPinRequest, 1024, ct) is not { } body)
                {
                    await JsonAsync(response, StatusCodes.Status400BadRequest, new DashboardActionResult(false, "the body must be JSON {\"load\": \"LOAD\"} (null unpins)"), DashboardJsonContext.Default.DashboardActionResult, ct);
                    return;
                }

                var outcome = await api.PinAsync(mac, string.IsNullOrWhiteSpace(body.Load) ? null : body.Load.Trim(), ct);
                var status = outcome.Verdict switch
                {
                    PinVerdict.Done => StatusCodes.Status200OK,
                    PinVerdict.BadInput => StatusCodes.Status400BadRequest,
                    _ => StatusCodes.Status409Conflict,
                };
                await JsonAsync(response, status, new DashboardActionResult(outcome.Ok, outcome.Message), DashboardJsonContext.Default.DashboardActionResult, ct);
            }
            else
            {
                var result = await api.ResyncAsync(mac, ct);
                await JsonAsync(response, result.Ok ? StatusCodes.Status200OK : StatusCodes.Status409Conflict, result, DashboardJsonContext.Default.DashboardActionResult, ct);
            }
        }
        else
        {
            await WriteAsync(response, StatusCodes.Status404NotFound, "text/plain; charset=utf-8", "not found\n");
        }
    }

    // An action body is small JSON; anything else (too long, not JSON, wrong shape) is refused without a throw.
    private static async Task<T?> ReadBodyAsync<T>(HttpRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, int limit, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[limit + 1];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return null;
            }
        }

        try
        {
            return JsonSerializer.Deserialize(buffer.ToArray(), type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (string Resource, string Type)? Asset(string path) => path switch
    {
        "/" or "/index.html" => ("Dashboard/index.html", "text/html; charset=utf-8"),
        "/app.js" => ("Dashboard/app.js", "text/javascript; charset=utf-8"),
        "/style.css" => ("Dashboard/style.css", "text/css; charset=utf-8"),
        _ => null,
    };

    private static (string Mac, string Action)? PhoneAction(string path)
    {
        // /api/phones/{mac}/{action}
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts is ["api", "phones", var mac, var action] ? (Uri.UnescapeDataString(mac), action) : null;
    }

    private static string ReadAsset(string resource)
    {
        using var stream = typeof(DashboardSetup).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded asset {resource} is missing from the build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static async Task WriteAsync(HttpResponse response, int status, string type, string text)
    {
        response.StatusCode = status;
        response.ContentType = type;
        await response.WriteAsync(text, Encoding.UTF8, response.HttpContext.RequestAborted);
    }

    private static async Task JsonAsync<T>(HttpResponse response, int status, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(response.Body, value, type, cancellationToken);
    }
}
