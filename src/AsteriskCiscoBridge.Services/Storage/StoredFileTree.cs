using AsteriskCiscoBridge.Storage;
using AsteriskCiscoBridge.Tftp.Files;

namespace AsteriskCiscoBridge.Services.Storage;

/// <summary>
/// Puts the store's rendered files (site files and every phone's own files) into the TFTP tree's
/// in-memory source, replacing the previous snapshot at once. The source matches names exactly,
/// then case-insensitively, so <c>sep001122334455.cnf.xml</c> finds <c>SEP001122334455.cnf.xml</c>.
/// </summary>
/// <remarks>When given, <paramref name="unbound"/> learns which phones are bound, in the same reload.</remarks>
internal sealed class StoredFileTree(PhoneStore phones, ConfigStore config, InMemoryFileSource source, UnboundPhoneFileSource? unbound = null)
{
    /// <summary>Returns the number of files now served.</summary>
    public async Task<int> ReloadAsync(CancellationToken cancellationToken)
    {
        var site = await config.SiteFilesAsync(cancellationToken);
        var own = await phones.AllFilesAsync(cancellationToken);
        var bound = unbound is null ? [] : await phones.ListAsync(cancellationToken);
        source.Replace(site.Concat(own).Select(f => new KeyValuePair<string, ReadOnlyMemory<byte>>(f.Name, f.Content)));
        unbound?.SetBound(bound.Select(p => p.Mac));
        return source.Count;
    }
}
