using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Threading.Channels;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Storage;
using AsteriskCiscoBridge.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsteriskCiscoBridge.Services.Provisioning;

/// <summary>The <c>Discovery</c> configuration section.</summary>
internal sealed class DiscoveryOptions
{
    /// <summary>Hand endpoints marked <c>set_var=ACB_AUTOASSIGN=yes</c> to new phones, in order of name. Default false.</summary>
    public bool AutoAssign { get; set; }

    /// <summary>How long load names an address asks for count toward the model guess of the phone it last asked for. Default 10 min.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Addresses remembered for model guesses. Default 10,000.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be 1 or more")]
    public int MaxTrackedAddresses { get; set; } = 10_000;
}

/// <summary>
/// Requests the file tree passes on for discovery (an unbound phone's own files, and the other
/// names, which may tell its model). Written on the request path without waiting; when the
/// discovery loop falls behind, sightings are dropped rather than slowing the server.
/// </summary>
internal sealed class DiscoveryFeed
{
    private readonly Channel<(IPAddress Client, string Path)> _channel = Channel.CreateBounded<(IPAddress, string)>(
        new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    public ChannelReader<(IPAddress Client, string Path)> Reader => _channel.Reader;

    public void Observe(IPAddress client, string path) =>
        _channel.Writer.TryWrite((client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client, path));

    /// <summary>
    /// Set by the discovery service when auto-assignment is on: binds a new phone while its first
    /// request for its configuration waits, and says whether it is bound now.
    /// </summary>
    public Func<IPAddress, MacAddress, string, CancellationToken, Task<bool>>? Claim { get; set; }
}

/// <summary>
/// The discovery inbox (<c>acb phones --unbound</c>): a phone asking for <c>SEP&lt;MAC&gt;.cnf.xml</c>,
/// <c>SIP&lt;MAC&gt;.cnf</c> or <c>CTLSEP/ITLSEP&lt;MAC&gt;.tlv</c> while bound to nothing is recorded with
/// its address, the files it asked for (load names from the same address included) and a model
/// guess. With <c>Discovery:AutoAssign</c>, it is bound at once to the next free endpoint marked
/// for it, in the audit log as <c>bridge:auto-assign</c>, during its first request for its
/// configuration when possible; <c>acb unbind</c> reverses that, and a phone once unbound is never
/// auto-assigned again. One address gets one endpoint: more new MACs from it wait for the admin.
/// </summary>
internal sealed class PhoneDiscovery(
    DiscoveryFeed feed,
    DiscoveryStore inbox,
    PhoneStore phones,
    StoredPhoneRenderer renderer,
    StoredFileTree tree,
    DiscoveryOptions options,
    TimeProvider time,
    ILogger<PhoneDiscovery> logger,
    SipServerContext? servers = null) : BackgroundService
{
    public const string Actor = "bridge:auto-assign";

    private readonly SemaphoreSlim _assigning = new(1, 1);
    private readonly Dictionary<IPAddress, (MacAddress Mac, DateTimeOffset At)> _lastMac = [];

    // A phone has one MAC per address: a second new MAC from an address that already got an
    // endpoint is a scanner (or a bridge in front of several phones) and is left to the admin.
    private readonly HashSet<string> _assignedAddresses = new(StringComparer.Ordinal);
    private PjsipSnapshot? _snapshot;

    /// <summary>Sightings handled so far.</summary>
    public long Handled => HandledCount.Value;

    /// <summary><see cref="Handled"/>, to be awaited.</summary>
    public Diagnostics.EventCount HandledCount { get; } = new();

    /// <summary>
    /// Called with each complete snapshot before the provisioning round reads the bindings: phones
    /// waiting in the inbox get their endpoints first, so the round renders them at once.
    /// </summary>
    public async Task OnSnapshotAsync(PjsipSnapshot snapshot, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _snapshot, snapshot);
        if (!options.AutoAssign)
        {
            return;
        }

        try
        {
            foreach (var waiting in (await inbox.ListAsync(cancellationToken)).OrderBy(p => p.FirstSeen))
            {
                if (await TryAssignAsync(waiting, snapshot, render: false, cancellationToken) == AssignOutcome.NoFreeEndpoint)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The provisioning round goes on without the waiting phones; the next snapshot tries again.
            Log.AutoAssignmentSkipped(logger, e);
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.AutoAssign)
        {
            feed.Claim = ClaimAsync;
        }

        return base.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Auto-assigns a new phone during its first request for its configuration, so that very
    /// request gets the rendered file (a phone given the unprovisioned config would not ask again
    /// before its next reboot: without a registration, no NOTIFY reaches it). True when it is bound.
    /// </summary>
    internal async Task<bool> ClaimAsync(IPAddress client, MacAddress mac, string path, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _snapshot) is not { } snapshot)
        {
            return false;
        }

        try
        {
            var now = time.GetUtcNow();
            var known = await inbox.GetAsync(mac, cancellationToken)
                ?? new DiscoveredPhone { Mac = mac, LastAddress = client.ToString(), Files = string.Empty, FirstSeen = now, LastSeen = now };

            // The discovery loop may have bound it a moment before (it hears of the same request):
            // its files are published before the lock is released, so bound is as good as assigned.
            return await TryAssignAsync(Merge(known, client, Path.GetFileName(path), now, countRequest: false), snapshot, render: true, cancellationToken) == AssignOutcome.Assigned
                || await phones.GetAsync(mac, cancellationToken) is not null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.AutoAssignmentSkipped(logger, e);
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (client, path) in feed.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(client, path, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A busy database loses one sighting, not the inbox.
                    Log.DiscoveryNotRecorded(logger, path, e);
                }

                HandledCount.Increment();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task HandleAsync(IPAddress client, string path, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var name = Path.GetFileName(path);
        if (PhoneFileName.MacIn(name) is not { } mac)
        {
            // A load name after a phone's own file says which model it is (spec §1.2 step 5, §1.5 step 5).
            if (ModelGuesser.Guess([name]) is not null && _lastMac.TryGetValue(client, out var last) && now - last.At <= options.Window
                && await inbox.GetAsync(last.Mac, cancellationToken) is { } known)
            {
                await inbox.SaveAsync(Merge(known, client, name, now, countRequest: false), cancellationToken);
            }

            return;
        }

        Remember(client, mac, now);
        var existing = await inbox.GetAsync(mac, cancellationToken);
        var row = existing is null
            ? Merge(new DiscoveredPhone { Mac = mac, LastAddress = client.ToString(), Files = string.Empty, FirstSeen = now, LastSeen = now }, client, name, now, countRequest: true)
            : Merge(existing, client, name, now, countRequest: true);
        if (!await inbox.SaveAsync(row, cancellationToken))
        {
            return;
        }

        if (existing is null)
        {
            Log.PhoneDiscovered(logger, mac, client, name, row.ModelGuess ?? "unknown model");
        }

        // Later sightings wait for the next snapshot round: one attempt (and one log line) per new phone.
        if (existing is null && options.AutoAssign && Volatile.Read(ref _snapshot) is { } snapshot)
        {
            await TryAssignAsync(row, snapshot, render: true, cancellationToken);
        }
    }

    private static DiscoveredPhone Merge(DiscoveredPhone phone, IPAddress client, string name, DateTimeOffset now, bool countRequest)
    {
        var files = phone.FileList.ToList();
        if (!files.Contains(name, StringComparer.OrdinalIgnoreCase) && files.Count < DiscoveryStore.MaxFiles && !name.Contains('|', StringComparison.Ordinal))
        {
            files.Add(name);
        }

        return phone with
        {
            LastAddress = client.ToString(),
            Files = string.Join('|', files),
            ModelGuess = ModelGuesser.Guess(files)?.Text,
            LastSeen = now,
            RequestCount = phone.RequestCount + (countRequest ? 1 : 0),
        };
    }

    private void Remember(IPAddress client, MacAddress mac, DateTimeOffset now)
    {
        if (!_lastMac.ContainsKey(client) && _lastMac.Count >= options.MaxTrackedAddresses)
        {
            _lastMac.Remove(_lastMac.MinBy(e => e.Value.At).Key);
        }

        _lastMac[client] = (mac, now);
    }

    private enum AssignOutcome
    {
        Assigned = 0,
        Skipped = 1,
        NoFreeEndpoint = 2,
    }

    /// <summary>Binds the phone to the next free marked endpoint (with <paramref name="render"/>, renders and publishes its files at once).</summary>
    private async Task<AssignOutcome> TryAssignAsync(DiscoveredPhone phone, PjsipSnapshot snapshot, bool render, CancellationToken cancellationToken)
    {
        await _assigning.WaitAsync(cancellationToken);
        try
        {
            if (await phones.GetAsync(phone.Mac, cancellationToken) is not null || await inbox.WasUnboundAsync(phone.Mac, cancellationToken))
            {
                return AssignOutcome.Skipped;
            }

            if (_assignedAddresses.Contains(phone.LastAddress))
            {
                if (render)
                {
                    Log.SecondPhoneAtAddress(logger, phone.Mac, phone.LastAddress);
                }

                return AssignOutcome.Skipped;
            }

            // Taken: every endpoint that is a line of a phone, whether Asterisk or the bridge binds it.
            var inventory = await phones.InventoryAsync(InventoryReading.EndpointsOf(snapshot), cancellationToken);
            var bound = inventory.Phones.SelectMany(p => p.Lines).Select(l => l.Endpoint).ToHashSet(StringComparer.Ordinal);
            // Said once, when the phone first asks; snapshot rounds retry quietly.
            if (AutoAssignment.Choose(snapshot, bound) is not { } endpoint)
            {
                if (render)
                {
                    Log.NoFreeEndpoint(logger, phone.Mac);
                }

                return AssignOutcome.NoFreeEndpoint;
            }

            // No model named anywhere: bound all the same; the family is learned from the file it fetches.
            var model = AutoAssignment.ModelFor(endpoint, ModelGuesser.Guess(phone.FileList));
            var now = time.GetUtcNow();
            await phones.BindAsync(phone.Mac, model, [new BindingRow { Position = 1, Endpoint = endpoint.Name }], Actor, now, cancellationToken);
            await inbox.RemoveAsync(phone.Mac, cancellationToken);
            _assignedAddresses.Add(phone.LastAddress);
            Log.AutoAssigned(logger, phone.Mac, endpoint.Name, model?.Name ?? "phone of unknown model");
            if (render && EndpointProvisioner.LineOf(endpoint, servers ?? SipServerContext.Unconfigured) is { } line)
            {
                var rendered = await renderer.RenderLinesAsync(phone.Mac, [line], cancellationToken);
                if (rendered.Result is not null)
                {
                    await renderer.SaveAsync(phone.Mac, rendered, now, cancellationToken);
                }

                await tree.ReloadAsync(cancellationToken);
            }

            return AssignOutcome.Assigned;
        }
        finally
        {
            _assigning.Release();
        }
    }

    public override void Dispose()
    {
        _assigning.Dispose();
        base.Dispose();
    }
}
