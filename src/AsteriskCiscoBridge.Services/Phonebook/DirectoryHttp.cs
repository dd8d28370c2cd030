using System.Globalization;
using System.Net;
using System.Text;
using AsteriskCiscoBridge.Provisioning.Phonebook;
using AsteriskCiscoBridge.Provisioning.Requests;
using AsteriskCiscoBridge.Services.Files;
using AsteriskCiscoBridge.Services.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Phonebook;

/// <summary>
/// The phone directory on the HTTP listener (6970), behind the file service's allowlist and rate limit (a known phone
/// at its known address is not limited): <c>/directory</c> is what <c>directoryURL</c> opens (the one-item menu for a
/// 79xx, the search for the later series), <c>/directory/search</c> the CiscoIPPhoneInput, <c>/directory/list</c> a
/// page of entries (<c>?name=…&amp;number=…&amp;page=N</c>). The phone is told apart by <c>x-CiscoIPPhoneModelName</c>.
/// Every answer is <c>text/xml; charset=utf-8</c>, never cached, and in the request log like a file.
/// </summary>
internal static class DirectoryHttp
{
    /// <param name="answerDenied">
    /// <c>Tftp:AnswerDeniedClients</c>, as for the files: a client outside <paramref name="allowed"/> gets 403 (true)
    /// or its connection closed without a response (false).
    /// </param>
    public static void MapDirectory(this WebApplication app, DirectorySource source, DirectoryOptions options, IReadOnlyList<IPNetwork> allowed, RequestRateLimiter? limiter, KnownAddresses? addresses, bool answerDenied = true)
    {
        var guard = new Guard(allowed, limiter, addresses, answerDenied);
        app.MapGet(DirectoryOptions.Path, context => ServeAsync(context, Step.Start, source, options, guard));
        app.MapGet(DirectoryOptions.Path + "/search", context => ServeAsync(context, Step.Search, source, options, guard));
        app.MapGet(DirectoryOptions.Path + "/list", context => ServeAsync(context, Step.List, source, options, guard));
    }

    private enum Step
    {
        Start = 0,
        Search = 1,
        List = 2,
    }

    private sealed record Guard(IReadOnlyList<IPNetwork> Allowed, RequestRateLimiter? Limiter, KnownAddresses? Addresses, bool AnswerDenied);

    private static async Task ServeAsync(HttpContext context, Step step, DirectorySource source, DirectoryOptions options, Guard guard)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AsteriskCiscoBridge.Host.Directory.DirectoryHttp");
        var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var remote = context.Connection.RemoteIpAddress ?? IPAddress.None;
        remote = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        var name = context.Request.Path.Value?.TrimStart('/') ?? "directory";
        if (guard.Allowed.Count > 0 && !guard.Allowed.Any(n => n.Contains(remote)))
        {
            if (!guard.AnswerDenied)
            {
                // Silence, as for the files: no status line, the connection just ends.
                Log.DirectoryRefused(logger, remote, name, 0, "client address is not in the allowed networks; connection closed without an answer (Tftp:AnswerDeniedClients=false)");
                Record(context, name, false, new RequestOutcome(RequestOutcomeKind.Denied, "client address is not in the allowed networks"), 0, null, time);
                context.Abort();
                return;
            }

            Refuse(context, StatusCodes.Status403Forbidden, name, "client address is not in the allowed networks", null, logger, time);
            return;
        }

        if (guard.Limiter is not null && !(guard.Addresses?.IsKnownAddress(remote) ?? false) && guard.Limiter.Decide(remote, time.GetUtcNow()) is { Allowed: false } rate)
        {
            Refuse(context, StatusCodes.Status429TooManyRequests, name, rate.Reason!, GuardedFileSource.RateLimitSource, logger, time);
            return;
        }

        var client = DirectoryClient.Of(context.Request.Headers["x-CiscoIPPhoneModelName"].ToString());
        var root = $"{context.Request.Scheme}://{Authority(context)}{DirectoryOptions.Path}";
        string body;
        string detail;
        switch (step)
        {
            case Step.Start when client.Is79xx:
                body = DirectoryXml.Menu(options.Title, root + "/search", client);
                detail = "directory menu (79xx)";
                break;
            case Step.Start or Step.Search:
                body = DirectoryXml.Input(options.Title, root + "/list", client);
                detail = "directory search";
                break;
            default:
                var query = context.Request.Query;
                var wanted = (Name: query["name"].ToString(), Number: query["number"].ToString());
                var page = int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;
                var directory = await source.CurrentAsync(context.RequestAborted);
                var found = directory.Search(wanted.Name, wanted.Number, page);
                body = DirectoryXml.Directory(options.Title, found, p => PageUrl(root, wanted.Name, wanted.Number, p), client);
                detail = string.Create(CultureInfo.InvariantCulture, $"directory page {found.Page} of {found.Pages}, {found.Entries.Length} of {found.Matches} entries");
                break;
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = DirectoryXml.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Expires = "0";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        Log.DirectoryServed(logger, remote, name, detail);
        Record(context, name, true, new RequestOutcome(RequestOutcomeKind.Served, detail), bytes.Length, DirectoryOptions.Path.TrimStart('/'), time);
    }

    private static string PageUrl(string root, string name, string number, int page) =>
        string.Create(CultureInfo.InvariantCulture, $"{root}/list?name={Uri.EscapeDataString(name)}&number={Uri.EscapeDataString(number)}&page={page}");

    // The name the phone used to reach us (its Host header), so the links lead back the same way; else the local address.
    private static string Authority(HttpContext context)
    {
        if (context.Request.Host.HasValue)
        {
            return context.Request.Host.Value!;
        }

        var local = context.Connection.LocalIpAddress ?? IPAddress.Loopback;
        return new IPEndPoint(local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local, context.Connection.LocalPort).ToString();
    }

    private static void Refuse(HttpContext context, int status, string name, string reason, string? source, ILogger logger, TimeProvider time)
    {
        Log.DirectoryRefused(logger, context.Connection.RemoteIpAddress ?? IPAddress.None, name, status, reason);
        context.Response.StatusCode = status;
        Record(context, name, false, new RequestOutcome(RequestOutcomeKind.Denied, reason), 0, source, time);
    }

    // The same record as a file's, through the same recorder: acb log shows directory use beside the files.
    private static void Record(HttpContext context, string name, bool served, RequestOutcome outcome, long bytes, string? source, TimeProvider time)
    {
        if (context.RequestServices.GetService<RequestRecorder>() is not { } recorder)
        {
            return;
        }

        var remote = context.Connection.RemoteIpAddress ?? IPAddress.None;
        var client = new IPEndPoint(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote, context.Connection.RemotePort);
        recorder.Record(new FileRequest(time.GetUtcNow(), "http", client, name, served, outcome, bytes, source));
    }
}
