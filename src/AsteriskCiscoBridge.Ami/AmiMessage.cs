using System.Diagnostics;

namespace AsteriskCiscoBridge.Ami;

/// <summary>One <c>Key: value</c> line of an AMI message, exactly as the peer sent it (value without the line end).</summary>
public readonly record struct AmiField(string Name, string Value);

/// <summary>What kind of block an <see cref="AmiMessage"/> is, from its first field.</summary>
public enum AmiMessageKind
{
    /// <summary>Neither <c>Response:</c> nor <c>Event:</c> comes first (for instance an action we build).</summary>
    Other = 0,

    /// <summary>The first field is <c>Response:</c>.</summary>
    Response = 1,

    /// <summary>The first field is <c>Event:</c>.</summary>
    Event = 2,
}

/// <summary>
/// An AMI message: an ordered list of fields. Repeated keys (<c>Output:</c>, <c>Variable:</c>) and
/// unknown keys are kept in the order the peer sent them; lookups ignore case.
/// </summary>
public sealed class AmiMessage
{
    private readonly AmiField[] _fields;

    /// <summary>Creates a message over the given fields, kept in order.</summary>
    public AmiMessage(IEnumerable<AmiField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _fields = [.. fields];
    }

    // Takes ownership of the array (the frame reader builds it and never touches it again).
    internal AmiMessage(AmiField[] fields, bool owned)
    {
        Debug.Assert(owned, "the caller hands the array over");
        _fields = fields;
    }

    /// <summary>The fields in wire order.</summary>
    public IReadOnlyList<AmiField> Fields => _fields;

    /// <summary>Kind of block, from the first field's name.</summary>
    public AmiMessageKind Kind => _fields.Length == 0
        ? AmiMessageKind.Other
        : _fields[0].Name.Equals("Response", StringComparison.OrdinalIgnoreCase) ? AmiMessageKind.Response
        : _fields[0].Name.Equals("Event", StringComparison.OrdinalIgnoreCase) ? AmiMessageKind.Event
        : AmiMessageKind.Other;

    /// <summary>The value of the first field named <paramref name="name"/> (any case), or null when absent.</summary>
    public string? this[string name] => TryGet(name, out var value) ? value : null;

    /// <summary><c>ActionID</c>, or null.</summary>
    public string? ActionId => this["ActionID"];

    /// <summary><c>Event</c> name, or null for a response.</summary>
    public string? EventName => Kind == AmiMessageKind.Event ? _fields[0].Value : null;

    /// <summary><c>Response</c> value (<c>Success</c>, <c>Error</c>, <c>Goodbye</c>, <c>Follows</c>), or null for an event.</summary>
    public string? ResponseStatus => Kind == AmiMessageKind.Response ? _fields[0].Value : null;

    /// <summary>Looks up the first field named <paramref name="name"/>, ignoring case.</summary>
    public bool TryGet(string name, out string value)
    {
        foreach (var field in _fields)
        {
            if (field.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = field.Value;
                return true;
            }
        }

        value = string.Empty;
        return false;
    }

    /// <summary>Every value of the fields named <paramref name="name"/>, in order (for <c>Output:</c> lines and the like).</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        var values = new List<string>();
        foreach (var field in _fields)
        {
            if (field.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                values.Add(field.Value);
            }
        }

        return values;
    }

    /// <inheritdoc />
    public override string ToString() => string.Join("; ", _fields.Take(4).Select(f => f.Name + ": " + f.Value));
}
