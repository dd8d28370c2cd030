using AsteriskCiscoBridge.Provisioning.Rendering;
using AsteriskCiscoBridge.Tftp.Files;

namespace AsteriskCiscoBridge.Services.Files;

/// <summary>
/// The last layer of the file tree: answers a request for a CTL/ITL trust list or a signed configuration
/// (<see cref="TrustFiles"/>) with "not found" and the reason, at once, over TFTP and HTTP alike, so the phone goes on
/// in non-secure mode without waiting. It comes after the firmware folder: a trust list an admin puts there is served.
/// Other names pass.
/// </summary>
internal sealed class TrustFileSource : ITftpFileSource
{
    public string Name => TrustFiles.Source;

    public ValueTask<TftpLookup> LookupAsync(TftpFileRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TrustFiles.Explain(TrustFiles.KindOf(request.Path)) is { } why
            ? TftpLookup.NotFound(why) with { Source = TrustFiles.Source }
            : TftpLookup.NotHere);
}
