namespace AsteriskCiscoBridge.Tftp.Files;

/// <summary>
/// The virtual file tree: sources asked in order, the first answer other than
/// <see cref="TftpLookupStatus.NotHere"/> wins (e.g. generated files over firmware folders).
/// Completes synchronously when every source asked does. TFTP and HTTP serve the same tree.
/// </summary>
public sealed class LayeredFileSource(IEnumerable<ITftpFileSource> layers) : ITftpFileSource
{
    private readonly ITftpFileSource[] _layers = [.. layers];

    public string Name => string.Join(" > ", _layers.Select(l => l.Name));

    public IReadOnlyList<ITftpFileSource> Layers => _layers;

    public ValueTask<TftpLookup> LookupAsync(TftpFileRequest request, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _layers.Length; i++)
        {
            var pending = _layers[i].LookupAsync(request, cancellationToken);
            if (!pending.IsCompletedSuccessfully)
            {
                return LookupSlowlyAsync(request, pending, i, cancellationToken);
            }

            var result = pending.Result;
            if (result.Status != TftpLookupStatus.NotHere)
            {
                return ValueTask.FromResult(result with { Source = result.Source ?? _layers[i].Name });
            }
        }

        return ValueTask.FromResult(TftpLookup.NotHere);
    }

    private async ValueTask<TftpLookup> LookupSlowlyAsync(TftpFileRequest request, ValueTask<TftpLookup> pending, int index, CancellationToken cancellationToken)
    {
        for (var i = index; i < _layers.Length; i++)
        {
            var result = i == index ? await pending : await _layers[i].LookupAsync(request, cancellationToken);
            if (result.Status != TftpLookupStatus.NotHere)
            {
                return result with { Source = result.Source ?? _layers[i].Name };
            }
        }

        return TftpLookup.NotHere;
    }
}
