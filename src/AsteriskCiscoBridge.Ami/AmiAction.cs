namespace AsteriskCiscoBridge.Ami;

/// <summary>
/// An action to send: its name and its other fields, in order (repeated names allowed, as
/// <c>Variable:</c> needs). The connection adds the <c>ActionID</c> unless one is given.
/// </summary>
public sealed class AmiAction
{
    private readonly List<AmiField> _fields = [];

    /// <summary>Creates an action named <paramref name="name"/>.</summary>
    public AmiAction(string name)
    {
        AmiActionWriter.ValidateName(name);
        Name = name;
    }

    /// <summary>The action name (<c>Action:</c> value).</summary>
    public string Name { get; }

    /// <summary>Fields after <c>Action:</c>, in order.</summary>
    public IReadOnlyList<AmiField> Fields => _fields;

    /// <summary>The <c>ActionID</c> given with <see cref="Add"/>, or null.</summary>
    public string? ActionId => _fields.FirstOrDefault(f => f.Name.Equals("ActionID", StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Appends a field; a value's CR and LF are neutralised when written.</summary>
    public AmiAction Add(string name, string value)
    {
        AmiActionWriter.ValidateName(name);
        ArgumentNullException.ThrowIfNull(value);
        _fields.Add(new AmiField(name, value));
        return this;
    }

    /// <summary>A copy of this action carrying <paramref name="actionId"/> (any previous ActionID replaced).</summary>
    public AmiAction WithActionId(string actionId)
    {
        var copy = new AmiAction(Name);
        foreach (var field in _fields)
        {
            if (!field.Name.Equals("ActionID", StringComparison.OrdinalIgnoreCase))
            {
                copy._fields.Add(field);
            }
        }

        copy._fields.Add(new AmiField("ActionID", actionId));
        return copy;
    }

    /// <summary>True for fields whose value must never reach a log (<c>Secret</c>, <c>Key</c>).</summary>
    internal static bool IsSecretField(string name) =>
        name.Equals("Secret", StringComparison.OrdinalIgnoreCase) || name.Equals("Key", StringComparison.OrdinalIgnoreCase);
}
