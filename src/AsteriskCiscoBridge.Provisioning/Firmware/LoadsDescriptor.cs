using System.Collections.Immutable;
using System.Text;

namespace AsteriskCiscoBridge.Provisioning.Firmware;

/// <summary>Limits for <see cref="LoadsDescriptor.Parse"/>: going past one is a malformed result, never an out-of-memory.</summary>
public sealed record LoadsDescriptorLimits(int MaxBytes = 256 * 1024, int MaxComponents = 64);

/// <summary>
/// What a <c>.loads</c> descriptor says (spec §3.2, §1.5 item 5): the component files a phone fetches after
/// the descriptor, e.g. <c>jar11sip….sbn</c>, <c>apps11….sbn</c>, <c>cnu11….sbn</c>, <c>cvm11sip….sbn</c>, <c>dsp11….sbn</c>,
/// and the load names it mentions (a <c>termNN.default.loads</c> may name the load it stands for).
/// </summary>
public sealed record LoadsDescriptor(ImmutableArray<string> Components, ImmutableArray<LoadName> MentionedLoads)
{
    // Component image types (spec §3.2). .loads itself is not a component, .tlv files are trust lists.
    private static readonly string[] ComponentExtensions = [".sbn", ".sb2", ".bin", ".zz", ".jar", ".img"];

    /// <summary>
    /// Reads a descriptor. Descriptors are signed (spec §3.2): a binary signature header may come before the
    /// text, so the parser takes the file as bytes and picks out the names of image files (words ending in
    /// <c>.sbn</c>, <c>.sb2</c>, <c>.bin</c>, …) wherever they stand. Total: bad input gives a reason.
    /// </summary>
    public static LoadsParseResult Parse(ReadOnlySpan<byte> content, LoadsDescriptorLimits? limits = null)
    {
        limits ??= new LoadsDescriptorLimits();
        if (content.IsEmpty)
        {
            return LoadsParseResult.Fail("the descriptor is empty");
        }

        if (content.Length > limits.MaxBytes)
        {
            return LoadsParseResult.Fail($"the descriptor is {content.Length} bytes, more than the {limits.MaxBytes}-byte limit");
        }

        var components = ImmutableArray.CreateBuilder<string>();
        var loads = ImmutableArray.CreateBuilder<LoadName>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < content.Length)
        {
            if (!IsWordByte(content[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < content.Length && IsWordByte(content[i]))
            {
                i++;
            }

            if (i - start > 255)
            {
                continue;
            }

            var word = Encoding.ASCII.GetString(content[start..i]).TrimEnd('.');
            if (HasComponentExtension(word))
            {
                // A component is fetched by bare name from the TFTP root; a path could point anywhere.
                if (word.Contains('/', StringComparison.Ordinal) || word.Contains('\\', StringComparison.Ordinal)
                    || word.Contains(':', StringComparison.Ordinal) || word.StartsWith('.'))
                {
                    return LoadsParseResult.Fail($"component '{word}' at byte {start} is not a plain file name");
                }

                if (seen.Add(word))
                {
                    if (components.Count == limits.MaxComponents)
                    {
                        return LoadsParseResult.Fail($"the descriptor lists more than {limits.MaxComponents} component files");
                    }

                    components.Add(word);
                }
            }
            else if (LoadName.TryParse(word, out var load, out _) && !loads.Any(l => l.IsSameLoad(load.Name)))
            {
                loads.Add(load);
            }
        }

        if (components.Count == 0)
        {
            return LoadsParseResult.Fail("the descriptor names no component files (.sbn, .sb2, .bin, .zz)");
        }

        return new LoadsParseResult(new LoadsDescriptor(components.ToImmutable(), loads.ToImmutable()), null);
    }

    /// <summary>The protocol the components are built for: 79x1 components say it in their names (jar41sip…, cvm41sccp…).</summary>
    public LoadProtocol InferProtocol()
    {
        foreach (var load in MentionedLoads)
        {
            if (load.Protocol != LoadProtocol.Unknown)
            {
                return load.Protocol;
            }
        }

        bool sip = false, sccp = false;
        foreach (var component in Components)
        {
            sccp |= component.Contains("sccp", StringComparison.OrdinalIgnoreCase);
            sip |= component.Contains("sip", StringComparison.OrdinalIgnoreCase);
        }

        return sccp && !sip ? LoadProtocol.Sccp : sip && !sccp ? LoadProtocol.Sip : LoadProtocol.Unknown;
    }

    internal static bool HasComponentExtension(string name)
    {
        foreach (var extension in ComponentExtensions)
        {
            if (name.Length > extension.Length && name.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // Printable ASCII other than quoting and markup, so "<file>jar41.sbn</file>" or "a.sbn,b.sbn" still split.
    private static bool IsWordByte(byte b) => b is > 0x20 and < 0x7F && "<>\"'=,;()[]{}|`".IndexOf((char)b, StringComparison.Ordinal) < 0;
}

/// <summary>The outcome of <see cref="LoadsDescriptor.Parse"/>: a descriptor, or the reason there is none.</summary>
public sealed record LoadsParseResult(LoadsDescriptor? Descriptor, string? Error)
{
    public bool IsValid => Descriptor is not null;

    internal static LoadsParseResult Fail(string error) => new(null, error);
}
