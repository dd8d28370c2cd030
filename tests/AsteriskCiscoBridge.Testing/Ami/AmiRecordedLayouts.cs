using System.Text;
using AsteriskCiscoBridge.Ami;

namespace AsteriskCiscoBridge.Testing.Ami;

/// <summary>A recorded message kept as bytes; only its ActionID is swapped (or dropped when the client sent none).</summary>
public sealed class AmiRawTemplate
{
    private readonly string _text;
    private readonly string? _recordedActionId;

    public AmiRawTemplate(byte[] bytes)
    {
        _text = Encoding.UTF8.GetString(bytes);
        _recordedActionId = AmiFixtures.ParseMessages(bytes).FirstOrDefault()?.ActionId;
    }

    public string Render(string? actionId, params (string Find, string Replace)[] replacements)
    {
        var text = _text;
        if (_recordedActionId is not null)
        {
            var recorded = "ActionID: " + _recordedActionId + "\r\n";
            text = text.Replace(recorded, actionId is null ? string.Empty : "ActionID: " + actionId + "\r\n", StringComparison.Ordinal);
        }

        foreach (var (find, replace) in replacements)
        {
            text = text.Replace(find, replace, StringComparison.Ordinal);
        }

        return text;
    }
}

/// <summary>
/// A recorded message kept as its ordered fields: rendering writes every recorded field, in the
/// recorded order, with chosen values swapped in. Rendering with no changes gives the recorded bytes.
/// </summary>
public sealed class AmiFieldTemplate
{
    public AmiFieldTemplate(AmiMessage recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        Fields = [.. recorded.Fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))];
    }

    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    /// <summary>
    /// Appends the message; <paramref name="values"/> maps a field name to its new value, <paramref name="omit"/>
    /// names fields Asterisk leaves out in that case. ActionID null drops the field.
    /// </summary>
    public void Render(StringBuilder output, string? actionId, IReadOnlyDictionary<string, string>? values = null, IReadOnlySet<string>? omit = null)
    {
        foreach (var (key, value) in Fields)
        {
            if (omit is not null && omit.Contains(key))
            {
                continue;
            }

            if (key == "ActionID")
            {
                if (actionId is not null)
                {
                    output.Append("ActionID: ").Append(actionId).Append("\r\n");
                }

                continue;
            }

            output.Append(key).Append(": ").Append(values is not null && values.TryGetValue(key, out var v) ? v : value).Append("\r\n");
        }

        output.Append("\r\n");
    }
}

/// <summary>Every message shape the AMI test server sends, each taken from a recording.</summary>
public static class AmiRecordedLayouts
{
    private static readonly Lazy<Layouts> Loaded = new(Load);

    public static string Banner => Loaded.Value.Banner;

    public static AmiRawTemplate LoginAccepted => Loaded.Value.LoginAccepted;

    public static AmiRawTemplate FullyBooted => Loaded.Value.FullyBooted;

    public static AmiRawTemplate AuthenticationFailed => Loaded.Value.AuthenticationFailed;

    public static AmiFieldTemplate Challenge => Loaded.Value.Challenge;

    public static AmiRawTemplate Pong => Loaded.Value.Pong;

    public static AmiRawTemplate Goodbye => Loaded.Value.Goodbye;

    public static AmiRawTemplate PermissionDenied => Loaded.Value.PermissionDenied;

    public static AmiRawTemplate UnknownAction => Loaded.Value.UnknownAction;

    public static AmiFieldTemplate EndpointsStart => Loaded.Value.EndpointsStart;

    public static AmiFieldTemplate EndpointList => Loaded.Value.EndpointList;

    public static AmiFieldTemplate EndpointListComplete => Loaded.Value.EndpointListComplete;

    public static AmiFieldTemplate AuthsStart => Loaded.Value.AuthsStart;

    public static AmiFieldTemplate AuthList => Loaded.Value.AuthList;

    public static AmiFieldTemplate AuthListComplete => Loaded.Value.AuthListComplete;

    public static AmiFieldTemplate ContactsStart => Loaded.Value.ContactsStart;

    public static AmiFieldTemplate ContactList => Loaded.Value.ContactList;

    public static AmiFieldTemplate ContactListComplete => Loaded.Value.ContactListComplete;

    public static AmiRawTemplate NoContacts => Loaded.Value.NoContacts;

    /// <summary>
    /// PJSIPShowEndpoints when Asterisk has none: not an empty list but an error, in the recorded shape of
    /// "No Contacts found" (pjsip-show/14) with res_pjsip's text (pjsip_configuration.c ami_show_endpoints:
    /// <c>astman_send_error(s, m, "No endpoints found\n")</c>).
    /// </summary>
    public static AmiRawTemplate NoEndpoints => Loaded.Value.NoEndpoints;

    /// <summary>PJSIPShowAuths with no auth: the same shape, text of config_auth.c ami_show_auths (<c>"No Auths found\n"</c>).</summary>
    public static AmiRawTemplate NoAuths => Loaded.Value.NoAuths;

    public static AmiFieldTemplate DetailStart => Loaded.Value.DetailStart;

    public static AmiFieldTemplate EndpointDetail => Loaded.Value.EndpointDetail;

    public static AmiFieldTemplate AuthDetail => Loaded.Value.AuthDetail;

    public static AmiFieldTemplate TransportDetail => Loaded.Value.TransportDetail;

    public static AmiFieldTemplate AorDetail => Loaded.Value.AorDetail;

    public static AmiFieldTemplate EndpointDetailComplete => Loaded.Value.EndpointDetailComplete;

    public static AmiRawTemplate UnknownEndpoint => Loaded.Value.UnknownEndpoint;

    public static AmiRawTemplate ConfigNotFound => Loaded.Value.ConfigNotFound;

    public static AmiRawTemplate NotifySent => Loaded.Value.NotifySent;

    /// <summary>PJSIPNotify to an endpoint that does not exist (pjsipnotify-errors/02): <c>Unable to retrieve endpoint 9999</c>.</summary>
    public static AmiRawTemplate NotifyUnknownEndpoint => Loaded.Value.NotifyUnknownEndpoint;

    public static AmiRawTemplate ReloadResPjsip => Loaded.Value.ReloadResPjsip;

    public static AmiRawTemplate Shutdown => Loaded.Value.Shutdown;

    public static AmiFieldTemplate ContactStatus => Loaded.Value.ContactStatus;

    /// <summary>res_pjsip's <c>SuccessfulAuth</c> security event for a REGISTER, as the auditor user (read=all) received it.</summary>
    public static AmiFieldTemplate SuccessfulAuth => Loaded.Value.SuccessfulAuth;

    private static Layouts Load()
    {
        static AmiRawTemplate Raw(string scenario, string prefix) => new(AmiFixtures.Numbered(scenario, prefix, "response"));

        // The recorded "No Contacts found" error (its bare LF at the value's end kept) with another list's text.
        static AmiRawTemplate NoneFound(string message)
        {
            var recorded = Encoding.UTF8.GetString(AmiFixtures.Numbered("pjsip-show", "14-", "response"));
            var swapped = recorded.Replace("Message: No Contacts found\n", "Message: " + message + "\n", StringComparison.Ordinal);
            return swapped == recorded ? throw new InvalidDataException("pjsip-show/14 no longer holds 'No Contacts found'") : new(Encoding.UTF8.GetBytes(swapped));
        }

        static IReadOnlyList<AmiMessage> Parse(string scenario, string prefix) => AmiFixtures.ParseMessages(AmiFixtures.Numbered(scenario, prefix, "response"));
        static AmiRawTemplate Event(string scenario, string name) =>
            new(Encoding.UTF8.GetBytes(AmiFixtures.Messages(scenario).First(m => m.Kind == "event" && m.Headers[0].Value == name).Raw));

        var endpoints = Parse("pjsip-show", "02-");
        var auths = Parse("pjsip-show", "13-");
        var contacts = Parse("registration-and-notify", "02-");
        var detail = Parse("pjsip-show", "03-");
        var banner = Encoding.UTF8.GetString(AmiFixtures.ServerStream("login-plain"));
        var contactStatus = AmiFixtures.Messages("registration-and-notify").First(m => m.Kind == "event" && m.Headers[0].Value == "ContactStatus");
        var successfulAuth = AmiFixtures.ParseMessages(AmiFixtures.ServerStream("registration-and-notify-auditor"), expectBanner: true)
            .First(m => m.EventName == "SuccessfulAuth" && m["Service"] == "PJSIP");
        return new Layouts
        {
            Banner = banner[..(banner.IndexOf("\r\n", StringComparison.Ordinal) + 2)],
            LoginAccepted = Raw("login-plain", "01-"),
            FullyBooted = Event("login-plain", "FullyBooted"),
            AuthenticationFailed = Raw("login-bad-secret", "01-"),
            Challenge = new AmiFieldTemplate(Parse("login-challenge-md5", "01-")[0]),
            Pong = Raw("login-plain", "02-"),
            Goodbye = Raw("login-plain", "03-"),
            PermissionDenied = Raw("permission-denied", "04-"),
            UnknownAction = Raw("misc-actions", "07-"),
            EndpointsStart = new AmiFieldTemplate(endpoints[0]),
            EndpointList = new AmiFieldTemplate(endpoints[1]),
            EndpointListComplete = new AmiFieldTemplate(endpoints[^1]),
            AuthsStart = new AmiFieldTemplate(auths[0]),
            AuthList = new AmiFieldTemplate(auths[1]),
            AuthListComplete = new AmiFieldTemplate(auths[^1]),
            ContactsStart = new AmiFieldTemplate(contacts[0]),
            ContactList = new AmiFieldTemplate(contacts[1]),
            ContactListComplete = new AmiFieldTemplate(contacts[^1]),
            NoContacts = Raw("pjsip-show", "14-"),
            NoEndpoints = NoneFound("No endpoints found"),
            NoAuths = NoneFound("No Auths found"),
            DetailStart = new AmiFieldTemplate(detail[0]),
            EndpointDetail = new AmiFieldTemplate(detail.First(m => m.EventName == "EndpointDetail")),
            AuthDetail = new AmiFieldTemplate(detail.First(m => m.EventName == "AuthDetail")),
            TransportDetail = new AmiFieldTemplate(detail.First(m => m.EventName == "TransportDetail")),
            AorDetail = new AmiFieldTemplate(detail.First(m => m.EventName == "AorDetail")),
            EndpointDetailComplete = new AmiFieldTemplate(detail[^1]),
            UnknownEndpoint = Raw("pjsip-show", "10-"),
            ConfigNotFound = Raw("getconfig", "09-"),
            NotifySent = Raw("registration-and-notify", "09-"),
            NotifyUnknownEndpoint = Raw("pjsipnotify-errors", "02-"),
            ReloadResPjsip = Event("config-change", "Reload"),
            Shutdown = Event("shutdown", "Shutdown"),
            ContactStatus = new AmiFieldTemplate(new AmiMessage(contactStatus.Headers.Select(h => new AmiField(h.Key, h.Value)))),
            SuccessfulAuth = new AmiFieldTemplate(successfulAuth),
        };
    }

    private sealed class Layouts
    {
        public required string Banner { get; init; }

        public required AmiRawTemplate LoginAccepted { get; init; }

        public required AmiRawTemplate FullyBooted { get; init; }

        public required AmiRawTemplate AuthenticationFailed { get; init; }

        public required AmiFieldTemplate Challenge { get; init; }

        public required AmiRawTemplate Pong { get; init; }

        public required AmiRawTemplate Goodbye { get; init; }

        public required AmiRawTemplate PermissionDenied { get; init; }

        public required AmiRawTemplate UnknownAction { get; init; }

        public required AmiFieldTemplate EndpointsStart { get; init; }

        public required AmiFieldTemplate EndpointList { get; init; }

        public required AmiFieldTemplate EndpointListComplete { get; init; }

        public required AmiFieldTemplate AuthsStart { get; init; }

        public required AmiFieldTemplate AuthList { get; init; }

        public required AmiFieldTemplate AuthListComplete { get; init; }

        public required AmiFieldTemplate ContactsStart { get; init; }

        public required AmiFieldTemplate ContactList { get; init; }

        public required AmiFieldTemplate ContactListComplete { get; init; }

        public required AmiRawTemplate NoContacts { get; init; }

        public required AmiRawTemplate NoEndpoints { get; init; }

        public required AmiRawTemplate NoAuths { get; init; }

        public required AmiFieldTemplate DetailStart { get; init; }

        public required AmiFieldTemplate EndpointDetail { get; init; }

        public required AmiFieldTemplate AuthDetail { get; init; }

        public required AmiFieldTemplate TransportDetail { get; init; }

        public required AmiFieldTemplate AorDetail { get; init; }

        public required AmiFieldTemplate EndpointDetailComplete { get; init; }

        public required AmiRawTemplate UnknownEndpoint { get; init; }

        public required AmiRawTemplate ConfigNotFound { get; init; }

        public required AmiRawTemplate NotifySent { get; init; }

        public required AmiRawTemplate NotifyUnknownEndpoint { get; init; }

        public required AmiRawTemplate ReloadResPjsip { get; init; }

        public required AmiRawTemplate Shutdown { get; init; }

        public required AmiFieldTemplate ContactStatus { get; init; }

        public required AmiFieldTemplate SuccessfulAuth { get; init; }
    }
}
