namespace AsteriskCiscoBridge.Provisioning.Model;

/// <summary>
/// One line as the renderers need it: independent of where it came from (an Asterisk PJSIP
/// endpoint snapshot, or data recorded with a binding).
/// </summary>
/// <param name="Extension">SIP user part the line registers as (79x0 <c>lineN_name</c>, 79x1 <c>name</c>).</param>
/// <param name="AuthUser">Digest user name; null or empty uses <paramref name="Extension"/>.</param>
/// <param name="Password">Digest password.</param>
/// <param name="DisplayName">Name in the From header.</param>
/// <param name="CallerIdNumber">
/// Caller-id number of the endpoint. Asterisk applies caller id itself, so no Cisco file carries it;
/// kept so the host can show it and templates can use it.
/// </param>
/// <param name="Label">Text next to the line key; null uses the display name, then the extension.</param>
/// <param name="Server">Where the line registers (its endpoint's transport, <see cref="SipServerResolver"/>); null uses the site's <see cref="SiteSettings.DefaultServer"/>.</param>
public sealed record LineInput(
    string Extension,
    string? AuthUser,
    string Password,
    string? DisplayName = null,
    string? CallerIdNumber = null,
    string? Label = null,
    SipServer? Server = null)
{
    public string EffectiveAuthUser => string.IsNullOrEmpty(AuthUser) ? Extension : AuthUser;

    /// <summary>The server this line registers to on a site with <paramref name="site"/>'s settings.</summary>
    public SipServer ServerOn(SiteSettings site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return Server ?? site.DefaultServer;
    }

    public string EffectiveLabel => !string.IsNullOrEmpty(Label) ? Label
        : !string.IsNullOrEmpty(DisplayName) ? DisplayName
        : Extension;
}

/// <summary>What one phone changes of the site settings.</summary>
public sealed record PhoneOverrides
{
    public static PhoneOverrides None { get; } = new();

    public string? PhoneLabel { get; init; }

    public string? PhonePassword { get; init; }

    public string? MessagesNumber { get; init; }

    /// <summary>Extra keys for this phone's SIP&lt;MAC&gt;.cnf; a key the bridge writes is replaced in place.</summary>
    public IReadOnlyList<ExtraSetting> ExtraCnfKeys { get; init; } = [];

    /// <summary>Extra elements for this phone's SEP&lt;MAC&gt;.cnf.xml, after the site's.</summary>
    public IReadOnlyList<ExtraSetting> ExtraXmlElements { get; init; } = [];

    /// <summary><c>maxNumCalls</c> of each line (SEP&lt;MAC&gt;.cnf.xml); null: 4 on the later series, the phone's own on a 79x1.</summary>
    public int? MaxCalls { get; init; }

    /// <summary><c>busyTrigger</c> of each line; null: 2 (at most <see cref="MaxCalls"/>).</summary>
    public int? BusyTrigger { get; init; }

    /// <summary>Speed dials and BLF speed dials on the buttons after the lines, in the order of their index (<see cref="FeatureKeys"/>).</summary>
    public IReadOnlyList<FeatureKey> Keys { get; init; } = [];
}

/// <summary>A phone to render: MAC, model, lines in button order, the load it should run, overrides.</summary>
/// <param name="Load">
/// The load this phone should run (a per-phone pin, or the next hop of an upgrade plan);
/// null uses the site's load for the model; empty offers none (the phone keeps the load it runs).
/// </param>
public sealed record Phone(MacAddress Mac, PhoneModel Model, IReadOnlyList<LineInput> Lines, string? Load = null, PhoneOverrides? Overrides = null)
{
    public PhoneOverrides EffectiveOverrides => Overrides ?? PhoneOverrides.None;
}
