using System.Collections.Immutable;
using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Testing.Ami;

namespace AsteriskCiscoBridge.Ami.Tests.Pjsip;

/// <summary>The builder over the recorded answers of the lab Asterisk (pjsip-show, getconfig, registration-and-notify).</summary>
public sealed class PjsipSnapshotBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<AmiMessage> ListEvents(string scenario, string prefix) =>
        [.. AmiFixtures.ParseMessages(AmiFixtures.Numbered(scenario, prefix, "response")).Skip(1).SkipLast(1)];

    private static ImmutableArray<ConfigCategory> RecordedConfig() =>
        GetConfigFile.Parse(AmiFixtures.ParseMessages(AmiFixtures.Numbered("getconfig", "02-", "response"))[0]);

    private static PjsipSnapshot FromLists(IReadOnlyDictionary<string, IReadOnlyList<AmiMessage>>? details = null, bool withConfig = true, bool registered = false) =>
        PjsipSnapshotBuilder.Build(
            new PjsipReadResults(
                registered ? ListEvents("registration-and-notify", "07-") : ListEvents("pjsip-show", "02-"),
                ListEvents("pjsip-show", "13-"),
                registered ? ListEvents("registration-and-notify", "02-") : [],
                withConfig ? RecordedConfig() : [],
                details ?? new Dictionary<string, IReadOnlyList<AmiMessage>>()),
            Now,
            4);

    [Fact]
    public void Build_recorded_lists_and_config_describe_every_lab_endpoint()
    {
        var snapshot = FromLists();

        Assert.Equal(["6001", "6002", "6003", "6004", "6005", "6006", "notify-out"], snapshot.Endpoints.Select(e => e.Name));
        var alice = snapshot.Find("6001")!;
        Assert.Equal("6001", alice.Aor);
        Assert.Equal(("Alice Anders", "6001"), (alice.CallerIdName, alice.CallerIdNumber));
        Assert.Equal(new PjsipAuth("6001-auth", "6001", "Xk7pL2q-6001-Lab", "userpass", string.Empty), alice.Auth);
        Assert.Equal([new PjsipMacBinding("001122334455", MacBindingSource.Phoneprov, "6001-phone", Line: 1, Profile: "cisco", Order: 1)], alice.MacBindings);
        Assert.True(alice.IsProvisionable);
        Assert.Equal("transport-udp", alice.Transport);

        var zoe = snapshot.Find("6003")!;
        Assert.Equal("Zoë Müller", zoe.CallerIdName);
        Assert.Equal("zm;6003#utf8", zoe.Auth!.Password);
        Assert.Equal("0006D7B1C2D3", Assert.Single(zoe.MacBindings).Mac);

        var desk = snapshot.Find("6004")!;
        Assert.Equal("Front Desk", desk.CallerIdName);
        Assert.Equal([new PjsipMacBinding("0006D7AA2A2E", MacBindingSource.SetVar, "CISCO_MAC")], desk.MacBindings);
        Assert.Equal(["CISCO_MAC", "CISCO_MODEL"], desk.SetVars.Select(v => v.Key));

        Assert.Equal("6002", snapshot.Find("6002")!.Auth!.Name);
        Assert.Empty(snapshot.Problems);
    }

    [Fact]
    public void Build_md5_credential_and_missing_aor_are_not_provisionable_with_the_reason()
    {
        var snapshot = FromLists();

        var md5 = snapshot.Find("6005")!;
        Assert.False(md5.IsProvisionable);
        Assert.Contains("md5", md5.NotProvisionableReason, StringComparison.Ordinal);
        Assert.Null(md5.Auth!.Password);

        var notify = snapshot.Find("notify-out")!;
        Assert.False(notify.IsProvisionable);
        Assert.Contains("no AOR", notify.NotProvisionableReason, StringComparison.Ordinal);

        var lobby = snapshot.Find("6006")!;
        Assert.True(lobby.IsProvisionable);
        Assert.Null(lobby.Auth);
        Assert.Equal([new PjsipContact("6006", "sip:6006@127.0.0.1:5072", null, null, null)], lobby.Contacts);
    }

    [Fact]
    public void Build_registered_contact_carries_user_agent_call_id_and_status()
    {
        var snapshot = FromLists(registered: true);

        var contact = Assert.Single(snapshot.Find("6001")!.Contacts);
        Assert.Equal(new PjsipContact("6001", "sip:6001@127.0.0.1:5070;transport=udp", "Cisco-CP7945G/9.4.2-fake", "a27227129d9f1beb@127.0.0.1", "Reachable"), contact);
    }

    [Fact]
    public void EndpointsNeedingDetail_none_when_pjsip_conf_matches_what_is_loaded()
    {
        Assert.Empty(PjsipSnapshotBuilder.EndpointsNeedingDetail(ListEvents("pjsip-show", "02-"), RecordedConfig()));
    }

    [Fact]
    public void EndpointsNeedingDetail_all_without_a_file_and_the_details_give_the_same_caller_ids_and_set_vars()
    {
        var endpoints = ListEvents("pjsip-show", "02-");
        Assert.Equal(7, PjsipSnapshotBuilder.EndpointsNeedingDetail(endpoints, []).Count);
        var details = new Dictionary<string, IReadOnlyList<AmiMessage>>();
        for (var n = 3; n <= 9; n++)
        {
            var events = ListEvents("pjsip-show", n.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) + "-");
            details[events[0]["ObjectName"]!] = events;
        }

        var fromDetails = FromLists(details, withConfig: false);
        var fromFile = FromLists();

        Assert.Equal(fromFile.Endpoints.Select(e => (e.CallerIdName, e.CallerIdNumber)), fromDetails.Endpoints.Select(e => (e.CallerIdName, e.CallerIdNumber)));
        Assert.Equal(fromFile.Endpoints.Select(e => string.Join(",", e.SetVars)), fromDetails.Endpoints.Select(e => string.Join(",", e.SetVars)));
        Assert.Equal("0006D7AA2A2E", Assert.Single(fromDetails.Find("6004")!.MacBindings).Mac);
        Assert.Empty(fromDetails.Find("6001")!.MacBindings); // phoneprov bindings exist only in the file
    }

    [Fact]
    public void EndpointsNeedingDetail_a_section_changed_on_disk_but_not_reloaded_is_read_live()
    {
        var config = RecordedConfig();
        var edited = config.Select(c => c.Name == "6002" && c.Type == "endpoint"
            ? c with { Lines = [.. c.Lines.Select(l => l.Key == "auth" ? new KeyValuePair<string, string>("auth", "6002-new") : l)] }
            : c).ToImmutableArray();

        Assert.Equal(["6002"], PjsipSnapshotBuilder.EndpointsNeedingDetail(ListEvents("pjsip-show", "02-"), edited));
    }

    [Fact]
    public void Build_bad_macs_and_dangling_phoneprov_sections_are_reported_not_bound()
    {
        var config = RecordedConfig().AddRange(
            new ConfigCategory("x-phone", [new("type", "phoneprov"), new("endpoint", "9999"), new("MAC", "001122334466")]),
            new ConfigCategory("y-phone", [new("type", "phoneprov"), new("endpoint", "6002"), new("MAC", "00:11:22:33:44")]));
        var snapshot = PjsipSnapshotBuilder.Build(
            new PjsipReadResults(ListEvents("pjsip-show", "02-"), ListEvents("pjsip-show", "13-"), [], config, new Dictionary<string, IReadOnlyList<AmiMessage>>()),
            Now,
            4);

        Assert.Contains("[x-phone] names endpoint '9999'", Assert.Single(snapshot.Problems), StringComparison.Ordinal);
        var bob = snapshot.Find("6002")!;
        Assert.Empty(bob.MacBindings);
        Assert.Contains("[y-phone]", Assert.Single(bob.Problems), StringComparison.Ordinal);
        Assert.True(bob.IsProvisionable);
    }

    [Theory]
    [InlineData("CISCO_MAC=0006D7AA2A2E,CISCO_MODEL=CP-7945G", "CISCO_MAC=0006D7AA2A2E;CISCO_MODEL=CP-7945G")]
    [InlineData("A=1,2,B=3", "A=1,2;B=3")]
    [InlineData("", "")]
    public void ParseSetVarList_splits_the_joined_detail_field(string value, string expected)
    {
        Assert.Equal(expected, string.Join(";", PjsipSnapshotBuilder.ParseSetVarList(value).Select(v => v.Key + "=" + v.Value)));
    }

    [Fact]
    public void PjsipAuth_ToString_never_shows_the_password()
    {
        Assert.DoesNotContain("secret", new PjsipAuth("a", "u", "secret", "userpass", string.Empty).ToString(), StringComparison.Ordinal);
    }
}
