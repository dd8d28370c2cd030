namespace AsteriskCiscoBridge.Provisioning.Requests;

/// <summary>How a request for a file ended (TFTP or HTTP), as the request log keeps it.</summary>
public enum RequestOutcomeKind
{
    /// <summary>A kind this version does not know (a row written by another one): the text is kept whole in the detail.</summary>
    Other = 0,

    /// <summary>The whole file went to the client.</summary>
    Served = 1,

    /// <summary>No layer of the file tree has it.</summary>
    NotFound = 2,

    /// <summary>Refused: outside the allowed networks, a write request, a refused name, throttled, another address than the phone's.</summary>
    Denied = 3,

    /// <summary>The request could not be read.</summary>
    Malformed = 4,

    /// <summary>A TFTP option had a value out of its range.</summary>
    OptionRefused = 5,

    /// <summary>A transfer limit was reached.</summary>
    Busy = 6,

    /// <summary>Began but did not finish.</summary>
    Failed = 7,

    /// <summary>An HTTP HEAD: the file was there, no bytes went.</summary>
    Head = 8,
}

/// <summary>
/// A request's outcome: its kind and the detail that says why. Stored as the text the request log has
/// always held, <c>kind: detail</c> with the kind in lower case (<c>served: store: SEP….cnf.xml</c>,
/// <c>notfound: no file source has it</c>), so <see cref="Parse"/> reads every row ever written and
/// <see cref="ToString"/> writes what older versions wrote. Pure and total.
/// </summary>
public readonly record struct RequestOutcome(RequestOutcomeKind Kind, string Detail)
{
    private static readonly (string Text, RequestOutcomeKind Kind)[] Names =
    [
        ("served", RequestOutcomeKind.Served),
        ("notfound", RequestOutcomeKind.NotFound),
        ("not-found", RequestOutcomeKind.NotFound),
        ("denied", RequestOutcomeKind.Denied),
        ("malformed", RequestOutcomeKind.Malformed),
        ("optionrefused", RequestOutcomeKind.OptionRefused),
        ("busy", RequestOutcomeKind.Busy),
        ("failed", RequestOutcomeKind.Failed),
        ("head", RequestOutcomeKind.Head),
    ];

    private readonly string? _detail = Detail;

    /// <summary>Why; empty when nothing was said (also for <c>default</c>).</summary>
    public string Detail { get => _detail ?? string.Empty; init => _detail = value; }

    public static RequestOutcome Served(string detail) => new(RequestOutcomeKind.Served, detail);

    public static RequestOutcome NotFound(string detail) => new(RequestOutcomeKind.NotFound, detail);

    public static RequestOutcome Denied(string detail) => new(RequestOutcomeKind.Denied, detail);

    /// <summary>
    /// Reads the stored text: the kind before the first <c>:</c> in any case, the detail after it trimmed;
    /// a text without a known kind is <see cref="RequestOutcomeKind.Other"/> with the text whole as its detail.
    /// </summary>
    public static RequestOutcome Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return new RequestOutcome(RequestOutcomeKind.Other, string.Empty);
        }

        var separator = text.IndexOf(':', StringComparison.Ordinal);
        var kind = (separator < 0 ? text : text[..separator]).Trim();
        foreach (var (name, value) in Names)
        {
            if (kind.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return new RequestOutcome(value, separator < 0 ? string.Empty : text[(separator + 1)..].Trim());
            }
        }

        return new RequestOutcome(RequestOutcomeKind.Other, text);
    }

    /// <summary>The kind as stored: <c>served</c>, <c>notfound</c>, <c>denied</c>…; empty for <see cref="RequestOutcomeKind.Other"/>.</summary>
    public static string NameOf(RequestOutcomeKind kind) => kind == RequestOutcomeKind.Other ? string.Empty : Array.Find(Names, n => n.Kind == kind).Text;

    /// <summary>The stored text, <c>kind: detail</c>.</summary>
    public override string ToString() => Kind == RequestOutcomeKind.Other ? Detail : $"{NameOf(Kind)}: {Detail}";
}
