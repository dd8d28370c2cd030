using System.Collections.Frozen;

namespace AsteriskCiscoBridge.Tftp.Files;

/// <summary>
/// A file source over an immutable snapshot of named byte arrays (e.g. generated files from a
/// store). <see cref="Replace"/> swaps the whole snapshot atomically; transfers already running
/// keep the bytes they started with. Names are matched exactly first, then case-insensitively.
/// </summary>
public sealed class InMemoryFileSource(string name) : ITftpFileSource
{
    private Snapshot _snapshot = Snapshot.Empty;

    public string Name => name;

    /// <summary>Number of files in the current snapshot.</summary>
    public int Count => _snapshot.Exact.Count;

    /// <summary>Replaces every file at once. Later duplicates (by exact name) win.</summary>
    public void Replace(IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> files)
    {
        var exact = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        foreach (var (key, value) in files)
        {
            exact[key] = value;
        }

        var folded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in exact.Keys.Order(StringComparer.Ordinal))
        {
            folded.TryAdd(key, key);
        }

        Volatile.Write(ref _snapshot, new Snapshot(exact.ToFrozenDictionary(StringComparer.Ordinal), folded.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase)));
    }

    public ValueTask<TftpLookup> LookupAsync(TftpFileRequest request, CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot.Exact.TryGetValue(request.Path, out var bytes))
        {
            return ValueTask.FromResult(TftpLookup.Found(TftpContent.FromBytes(bytes, $"{name}: {request.Path}")));
        }

        if (snapshot.Folded.TryGetValue(request.Path, out var actual))
        {
            return ValueTask.FromResult(TftpLookup.Found(TftpContent.FromBytes(snapshot.Exact[actual], $"{name}: {actual}")));
        }

        return ValueTask.FromResult(TftpLookup.NotHere);
    }

    private sealed record Snapshot(FrozenDictionary<string, ReadOnlyMemory<byte>> Exact, FrozenDictionary<string, string> Folded)
    {
        public static Snapshot Empty { get; } = new(FrozenDictionary<string, ReadOnlyMemory<byte>>.Empty, FrozenDictionary<string, string>.Empty);
    }
}
