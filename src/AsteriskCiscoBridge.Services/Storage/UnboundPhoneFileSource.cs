using System.Collections.Frozen;
using System.Net;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Services.Provisioning;
using AsteriskCiscoBridge.Tftp.Files;

namespace AsteriskCiscoBridge.Services.Storage;

/// <summary>
/// The TFTP layer after the stored files: answers a phone's own file (SIP&lt;MAC&gt;.cnf,
/// SEP&lt;MAC&gt;.cnf.xml) that the store does not have. An unbound phone gets what the site's
/// unprovisioned policy says (a credential-free config, or file-not-found); a bound phone asking
/// for the other family's file (a 7960 on SIP 7.x probes SEP&lt;MAC&gt;.cnf.xml, spec §1.2) gets
/// file-not-found. Other names pass to the next layer.
/// </summary>
/// <remarks>
/// When given, <paramref name="discovery"/> hears of every request that reaches this layer (all but
/// the stored files) except a bound phone's own names: the discovery inbox and its model guesses.
/// With auto-assignment on, an unbound phone's request for its configuration waits for the claim,
/// and once bound gets its file from <paramref name="stored"/>.
/// </remarks>
internal sealed class UnboundPhoneFileSource(SiteSettings site, DiscoveryFeed? discovery = null, ITftpFileSource? stored = null) : ITftpFileSource
{
    private FrozenSet<MacAddress> _bound = FrozenSet<MacAddress>.Empty;

    public string Name => "unbound";

    /// <summary>Replaces the set of bound phones at once.</summary>
    public void SetBound(IEnumerable<MacAddress> bound) => Volatile.Write(ref _bound, bound.ToFrozenSet());

    /// <summary>Whether <paramref name="mac"/> is bound to a phone now.</summary>
    public bool IsBound(MacAddress mac) => Volatile.Read(ref _bound).Contains(mac);

    public ValueTask<TftpLookup> LookupAsync(TftpFileRequest request, CancellationToken cancellationToken)
    {
        var answer = UnprovisionedRenderer.Render(site, request.Path);
        if (discovery is not null
            && (PhoneFileName.MacIn(request.Path) is not { } mac || !IsBound(mac)))
        {
            discovery.Observe(request.Client.Address, request.Path);
        }

        if (answer.Outcome != UnprovisionedOutcome.NotAPhoneFile && discovery?.Claim is { } claim && stored is not null
            && !Volatile.Read(ref _bound).Contains(answer.Mac!.Value))
        {
            return ClaimAsync(claim, request, answer, cancellationToken);
        }

        return ValueTask.FromResult(Answer(request, answer));
    }

    private async ValueTask<TftpLookup> ClaimAsync(Func<IPAddress, MacAddress, string, CancellationToken, Task<bool>> claim, TftpFileRequest request, UnprovisionedAnswer answer, CancellationToken cancellationToken)
    {
        if (await claim(request.Client.Address, answer.Mac!.Value, request.Path, cancellationToken)
            && await stored!.LookupAsync(request, cancellationToken) is { Status: TftpLookupStatus.Found } found)
        {
            return found with { Source = found.Source ?? stored.Name };
        }

        return Answer(request, answer);
    }

    private TftpLookup Answer(TftpFileRequest request, UnprovisionedAnswer answer)
    {
        var lookup = answer.Outcome switch
        {
            UnprovisionedOutcome.NotAPhoneFile => TftpLookup.NotHere,
            _ when Volatile.Read(ref _bound).Contains(answer.Mac!.Value) => TftpLookup.NotFound($"{answer.Mac} is bound but has no file {request.Path}"),
            UnprovisionedOutcome.NotFound => TftpLookup.NotFound($"{answer.Mac} is not bound (unprovisioned policy: not found)"),
            // Rendered for this request: its bytes are charged to the TFTP memory budget.
            _ => TftpLookup.Found(TftpContent.FromOwnedBytes(answer.File!.Content, $"{Name}: unprovisioned {answer.File.Name}")),
        };
        return lookup;
    }
}
