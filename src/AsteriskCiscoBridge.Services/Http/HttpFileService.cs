using System.Net;
using AsteriskCiscoBridge.Provisioning.Requests;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Tftp.Files;
using AsteriskCiscoBridge.Tftp.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Http;

/// <summary>
/// The TFTP tree over HTTP: newer 79x1 loads try <c>http://TFTP-SERVER:6970/FILE</c> before TFTP
/// (spec §1.1). Same names, same confinement and case rules, same allowlist, read-only.
/// </summary>
internal static class HttpFileService
{
    /// <param name="answerDenied">
    /// <c>Tftp:AnswerDeniedClients</c>: a client outside <paramref name="allowed"/> gets 403 (true) or its
    /// connection closed without a response (false), as TFTP answers error 2 or nothing.
    /// </param>
    public static void MapFileTree(this WebApplication app, ITftpFileSource files, IReadOnlyList<IPNetwork> allowed, bool answerDenied = true)
    {
        // A plain RequestDelegate: nothing to bind but the route value, so no generated or reflected binding.
        app.MapMethods("/{**path}", [HttpMethods.Get, HttpMethods.Head], context => ServeAsync(context, context.Request.RouteValues["path"] as string ?? string.Empty, files, allowed, answerDenied));
    }

    internal static async Task ServeAsync(HttpContext context, string path, ITftpFileSource files, IReadOnlyList<IPNetwork> allowed, bool answerDenied = true)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AsteriskCiscoBridge.Services.Http.HttpFileService");
        var remote = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        if (allowed.Count > 0 && !allowed.Any(n => n.Contains(remote)))
        {
            Log.HttpRequest(logger, remote, path, StatusCodes.Status403Forbidden, answerDenied
                ? "client address is not in the allowed networks"
                : "client address is not in the allowed networks; connection closed without an answer (Tftp:AnswerDeniedClients=false)");
            Record(context, path, false, new RequestOutcome(RequestOutcomeKind.Denied, "client address is not in the allowed networks"), 0, null);
            if (!answerDenied)
            {
                // Silence, as over TFTP: no status line, no server header, the connection just ends.
                context.Abort();
                return;
            }

            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var normalized = TftpPath.Normalize(path, out var refusal);
        if (normalized is null)
        {
            Log.HttpRequest(logger, remote, path, StatusCodes.Status403Forbidden, $"name refused: {refusal}");
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            Record(context, path, false, new RequestOutcome(RequestOutcomeKind.Denied, $"name refused: {refusal}"), 0, null);
            return;
        }

        var client = new IPEndPoint(remote, context.Connection.RemotePort);
        var local = new IPEndPoint(context.Connection.LocalIpAddress ?? IPAddress.None, context.Connection.LocalPort);
        var lookup = await files.LookupAsync(new TftpFileRequest(normalized, client, local), context.RequestAborted);
        switch (lookup.Status)
        {
            case TftpLookupStatus.Found:
                using (var content = lookup.Content!)
                {
                    Log.HttpRequest(logger, remote, path, StatusCodes.Status200OK, $"served {content.Description}");
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.ContentType = ContentTypeOf(normalized);
                    context.Response.ContentLength = content.Length;
                    if (HttpMethods.IsHead(context.Request.Method))
                    {
                        Record(context, normalized, false, new RequestOutcome(RequestOutcomeKind.Head, content.Description), 0, lookup.Source);
                        return;
                    }

                    await CopyAsync(content, context.Response, context.RequestAborted);
                    Record(context, normalized, true, new RequestOutcome(RequestOutcomeKind.Served, content.Description), content.Length, lookup.Source);
                }

                return;
            case TftpLookupStatus.Denied:
                Log.HttpRequest(logger, remote, path, StatusCodes.Status403Forbidden, lookup.Reason ?? "denied");
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                Record(context, normalized, false, new RequestOutcome(RequestOutcomeKind.Denied, lookup.Reason ?? "denied"), 0, lookup.Source);
                return;
            default:
                Log.HttpRequest(logger, remote, path, StatusCodes.Status404NotFound, lookup.Reason ?? "no file source has it");
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                Record(context, normalized, false, new RequestOutcome(RequestOutcomeKind.NotFound, lookup.Reason ?? "no file source has it"), 0, lookup.Source);
                return;
        }
    }

    // The same record as a TFTP request's, through the same recorder: request log and resync proof.
    private static void Record(HttpContext context, string fileName, bool served, RequestOutcome outcome, long bytes, string? source)
    {
        if (context.RequestServices.GetService<RequestRecorder>() is not { } recorder)
        {
            return;
        }

        var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var remote = context.Connection.RemoteIpAddress ?? IPAddress.None;
        var client = new IPEndPoint(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote, context.Connection.RemotePort);
        recorder.Record(new FileRequest(time.GetUtcNow(), "http", client, fileName, served, outcome, bytes, source));
    }

    private static async Task CopyAsync(TftpContent content, HttpResponse response, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        for (long offset = 0; offset < content.Length;)
        {
            var n = content.Read(offset, buffer);
            if (n == 0)
            {
                break;
            }

            await response.Body.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            offset += n;
        }
    }

    private static string ContentTypeOf(string path) =>
        path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) ? "text/xml"
        : path.EndsWith(".cnf", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) ? "text/plain"
        : "application/octet-stream";
}
