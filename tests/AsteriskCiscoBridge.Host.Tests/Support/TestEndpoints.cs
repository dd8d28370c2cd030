using System.Collections.Immutable;
using AsteriskCiscoBridge.Ami.Pjsip;

namespace AsteriskCiscoBridge.Host.Tests.Support;

/// <summary>Snapshot endpoints as the builder makes them from the recorded answers, for pure tests.</summary>
internal static class TestEndpoints
{
    public static PjsipEndpoint Plain(string name, string? password = "pw", string setVar = "", params string[] contacts) => new()
    {
        Name = name,
        Aor = name,
        Aors = [name],
        Transport = "transport-udp",
        CallerIdName = string.Empty,
        CallerIdNumber = name,
        Auth = password is null ? null : new PjsipAuth(name + "-auth", name, password, "userpass", string.Empty),
        Contacts = [.. contacts.Select(c => new PjsipContact(name, c, "Cisco-CP7961G/9.4.2", null, "Reachable"))],

        // The recorded SetVar field joins every set_var with commas (PJSIPShowEndpoint).
        SetVars = PjsipSnapshotBuilder.ParseSetVarList(setVar),
        NotProvisionableReason = password is null ? "no auth" : null,
        Problems = [],
        DeviceState = "Not in use",
    };

    public static PjsipSnapshot Snapshot(params PjsipEndpoint[] endpoints) => new()
    {
        TakenAt = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero),
        Endpoints = [.. endpoints],
        Problems = ImmutableArray<string>.Empty,
        ActionCount = 1,
    };
}
