using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Services.Asterisk;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Resync;

/// <summary>
/// An admin's resync of chosen phones, the one use case behind <c>acb resync</c> and the dashboard's Resync:
/// one AMI session, a fresh snapshot, the NOTIFY the service would plan for each phone (not held back by a
/// call: the admin asked for it now), then each phone started over in the persisted queue (a stale one too)
/// and the NOTIFYs sent staggered and recorded in the notify log. The queue's move to <c>sending</c> keeps a
/// running service from sending the same NOTIFY.
/// </summary>
internal sealed class AdminResync(PhoneStore phones, ResyncQueue queue, ResyncOptions options, TimeProvider time, ILoggerFactory loggers)
{
    /// <summary>Connects to AMI, reads the endpoints and plans <paramref name="macs"/>; nothing is written or sent yet.</summary>
    /// <exception cref="AmiException">AMI refused the connection or the login.</exception>
    public async Task<AdminResyncRun> PlanAsync(AmiOptions ami, IReadOnlyList<MacAddress> macs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ami);
        var connection = await AmiConnection.ConnectAsync(ami.ToConnectionOptions(), time, null, cancellationToken);
        try
        {
            await connection.LoginAsync(cancellationToken);
            var resync = new ResyncService(phones, queue, options, time, loggers.CreateLogger<ResyncService>());
            var read = await new PjsipSnapshotReader(connection, time).ReadAsync(cancellationToken);
            var plan = read.Snapshot is { } snapshot ? await resync.PreviewAsync(snapshot, macs, cancellationToken) : null;
            return new AdminResyncRun(connection, resync, queue, time, plan, read.Failure);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

/// <summary>One admin resync between its plan and its sends: holds the AMI session until disposed.</summary>
internal sealed class AdminResyncRun : IAsyncDisposable
{
    private readonly AmiConnection _connection;
    private readonly ResyncService _resync;
    private readonly ResyncQueue _queue;
    private readonly TimeProvider _time;

    internal AdminResyncRun(AmiConnection connection, ResyncService resync, ResyncQueue queue, TimeProvider time, ResyncPlan? plan, string? failure)
    {
        _connection = connection;
        _resync = resync;
        _queue = queue;
        _time = time;
        Plan = plan;
        Failure = failure;
    }

    /// <summary>What will be sent; null when the endpoints could not be read (<see cref="Failure"/> says why).</summary>
    public ResyncPlan? Plan { get; }

    /// <summary>Why the endpoints could not be read, or null.</summary>
    public string? Failure { get; }

    /// <summary>
    /// Starts the planned phones and those waiting for a contact over in the queue with <paramref name="reason"/>
    /// (the waiting ones stay queued for the service), sends the plan, and returns how many NOTIFYs Asterisk took.
    /// With <paramref name="show"/>, says once a second how the sends stand (<see cref="ProgressLine"/>).
    /// </summary>
    public async Task<int> SendAsync(string reason, Action<string>? show, CancellationToken cancellationToken)
    {
        var plan = Plan ?? throw new InvalidOperationException("nothing was planned: " + Failure);
        await _queue.EnqueueAsync(plan.Orders.Select(o => o.Mac).Concat(plan.Waiting), reason, _time.GetUtcNow(), cancellationToken);
        return show is null || plan.Orders.Count == 0
            ? await _resync.SendPlanAsync(_connection, plan, cancellationToken)
            : await SendShowingAsync(plan, show, cancellationToken);
    }

    /// <summary>Logs off; the session closes when disposed.</summary>
    public Task LogoffAsync(CancellationToken cancellationToken) => _connection.LogoffAsync(cancellationToken);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    internal static string ProgressLine(int sent, int total, int waiting, int proven) =>
        $"sent {sent} of {total}, {waiting} waiting for a contact, {proven} proven (fetched and registered)";

    /// <summary>
    /// Sends the plan (staggered, so thousands of phones take a while) and says once a second how
    /// many NOTIFYs Asterisk took, how many phones wait for a contact, and how many a running
    /// <c>acb run</c> has already seen fetch and register again (they leave the queue).
    /// </summary>
    private async Task<int> SendShowingAsync(ResyncPlan plan, Action<string> show, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sending = _resync.SendPlanAsync(_connection, plan, cancellationToken);
        var planned = plan.Orders.Select(o => o.Mac).ToHashSet();
        while (!sending.IsCompleted)
        {
            var queued = (await _queue.ListAsync(cancellationToken)).Select(r => r.Mac).ToHashSet();
            show(ProgressLine(_resync.Sent, plan.Orders.Count, plan.Waiting.Count, planned.Count(m => !queued.Contains(m))));
            await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(1), _time, stop.Token));
        }

        await stop.CancelAsync();
        return await sending;
    }
}
