using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Inventory;

/// <summary>Where a phone's line comes from, in the order the inventory takes them (DESIGN step 2).</summary>
public enum LineSource
{
    /// <summary>A <c>type=phoneprov</c> section in Asterisk (<c>MAC=</c>, <c>endpoint=</c>).</summary>
    Phoneprov = 1,

    /// <summary>An endpoint's <c>set_var=ACB_MAC=…</c> or <c>set_var=CISCO_MAC=…</c> in Asterisk.</summary>
    SetVar = 2,

    /// <summary>The bridge's own binding (<c>acb bind</c>, the dashboard).</summary>
    Bridge = 3,

    /// <summary>The bridge's auto-assignment of a discovered phone.</summary>
    AutoAssign = 4,
}

/// <summary>Where a phone's model is known from, strongest first (issue: "the model is learned, never demanded").</summary>
public enum ModelSource
{
    /// <summary>Not known: the phone is offered both families' files.</summary>
    Unknown = 0,

    /// <summary>Given by an admin: <c>acb bind --model</c>.</summary>
    Bind = 1,

    /// <summary>An endpoint's <c>set_var=CISCO_MODEL=…</c> or <c>ACB_MODEL=…</c>.</summary>
    SetVar = 2,

    /// <summary>A phoneprov section's <c>PROFILE</c> that names a model.</summary>
    Profile = 3,

    /// <summary>The SIP User-Agent of the phone's registration (<c>Cisco-CP7962G/9.4.2</c>).</summary>
    UserAgent = 4,

    /// <summary>The files the phone asked for (<c>SIP&lt;MAC&gt;.cnf</c>: 7940/7960; <c>SEP&lt;MAC&gt;.cnf.xml</c>: 79x1): the family only.</summary>
    Files = 5,
}

/// <summary>A MAC that Asterisk's configuration binds to an endpoint.</summary>
/// <param name="Source"><see cref="LineSource.Phoneprov"/> or <see cref="LineSource.SetVar"/>.</param>
/// <param name="Origin">The phoneprov section name, or the variable name (<c>CISCO_MAC</c>).</param>
/// <param name="Line">A phoneprov section's <c>LINE</c>: the line's place among the phone's lines.</param>
/// <param name="Profile">A phoneprov section's <c>PROFILE</c>.</param>
/// <param name="Order">The phoneprov section's position in the file: the tie-break after <paramref name="Line"/>.</param>
public sealed record MacDeclaration(MacAddress Mac, LineSource Source, string Origin, int? Line = null, string? Profile = null, int Order = 0);

/// <summary>
/// One Asterisk endpoint as the inventory needs it, with no AMI type in sight: the line it gives a
/// phone (or why none), the MACs Asterisk binds to it, its variables and the User-Agents of its
/// registrations.
/// </summary>
/// <param name="Line">The line a phone gets from it, or null when it has none to give.</param>
/// <param name="Problem">Why <paramref name="Line"/> is null (an md5 credential, no AOR…).</param>
public sealed record InventoryEndpoint(
    string Name,
    LineInput? Line,
    string? Problem,
    IReadOnlyList<MacDeclaration> Macs,
    IReadOnlyList<KeyValuePair<string, string>> Variables,
    IReadOnlyList<string> UserAgents)
{
    /// <summary>The first value of a <c>set_var</c> among <paramref name="names"/>, in the order given.</summary>
    public string? Variable(params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            foreach (var (key, value) in Variables)
            {
                if (key.Equals(name, StringComparison.OrdinalIgnoreCase) && value.Trim().Length > 0)
                {
                    return value.Trim();
                }
            }
        }

        return null;
    }
}

/// <summary>One of the bridge's own bindings (a row of <c>acb bind</c> or auto-assignment).</summary>
/// <param name="Recorded">Line data recorded with the binding (<c>--line-data</c>), used only while no snapshot of Asterisk exists.</param>
public sealed record BridgeBinding(MacAddress Mac, string Endpoint, int Position, LineSource Source = LineSource.Bridge, LineInput? Recorded = null);

/// <summary>What the bridge has stored of a phone's model.</summary>
/// <param name="Model">A model name (<c>7960</c>), a family stand-in name (<see cref="PhoneFamilies"/>: <c>7940/7960</c>, <c>79x1</c>), or empty.</param>
public sealed record StoredModel(MacAddress Mac, string? Model, ModelSource Source);
