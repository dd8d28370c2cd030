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
        // The phoneprov sections pass through as key/values, in file order: Provisioning reads them.
        Assert.Equal(["6001-phone", "6003-phone"], snapshot.PhoneprovSections.Select(c => c.Name));
        var phoneprov = snapshot.PhoneprovSections[0];
        Assert.Equal(("6001", "001122334455", "1", "cisco"), (phoneprov.Get("endpoint"), phoneprov.Get("MAC"), phoneprov.Get("LINE"), phoneprov.Get("PROFILE")));
        Assert.True(alice.IsProvisionable);
        Assert.Equal("transport-udp", alice.Transport);

        var zoe = snapshot.Find("6003")!;
        Assert.Equal("Zoë Müller", zoe.CallerIdName);
        Assert.Equal("zm;6003#utf8", zoe.Auth!.Password);
        Assert.Equal("0006d7b1c2d3", snapshot.PhoneprovSections[1].Get("MAC"));

        var desk = snapshot.Find("6004")!;
        Assert.Equal("Front Desk", desk.CallerIdName);
        Assert.Equal([new("CISCO_MAC", "0006D7AA2A2E"), new("CISCO_MODEL", "CP-7945G")], desk.SetVars);

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

    [Theory]
    [InlineData("1795313105", 1795313105L)]
    [InlineData(" 1795313105", 1795313105L)]
    [InlineData("0", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("-5", null)]
    [InlineData("soon", null)]
    [InlineData("99999999999999999999", null)]
    public void ExpirationTime_reads_epoch_seconds_and_nothing_else(string? value, long? expected)
    {
        Assert.Equal(expected is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null, PjsipSnapshotBuilder.ExpirationTime(value));
    }

    [Fact]
    public void Build_registered_contact_carries_user_agent_call_id_and_status()
    {
        var snapshot = FromLists(registered: true);

        var contact = Assert.Single(snapshot.Find("6001")!.Contacts);
        Assert.Equal(new PjsipContact("6001", "sip:6001@127.0.0.1:5070;transport=udp", "Cisco-CP7945G/9.4.2-fake", "a27227129d9f1beb@127.0.0.1", "Reachable", DateTimeOffset.FromUnixTimeSeconds(1795313105)), contact);
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
        Assert.Equal("0006D7AA2A2E", fromDetails.Find("6004")!.SetVars.Single(v => v.Key == "CISCO_MAC").Value);
        Assert.Empty(fromDetails.PhoneprovSections); // phoneprov sections exist only in the file
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
    public void Build_passes_phoneprov_sections_on_unjudged_even_bad_or_dangling_ones()
    {
        var config = RecordedConfig().AddRange(
            new ConfigCategory("x-phone", [new("type", "phoneprov"), new("endpoint", "9999"), new("MAC", "001122334466")]),
            new ConfigCategory("y-phone", [new("type", "phoneprov"), new("endpoint", "6002"), new("MAC", "00:11:22:33:44")]));
        var snapshot = PjsipSnapshotBuilder.Build(
            new PjsipReadResults(ListEvents("pjsip-show", "02-"), ListEvents("pjsip-show", "13-"), [], config, new Dictionary<string, IReadOnlyList<AmiMessage>>()),
            Now,
            4);

        // What a MAC or an endpoint name in them means is the Inventory's reading (MacBindingReader), not AMI's.
        Assert.Equal(["6001-phone", "6003-phone", "x-phone", "y-phone"], snapshot.PhoneprovSections.Select(c => c.Name));
        Assert.Empty(snapshot.Problems);
        var bob = snapshot.Find("6002")!;
        Assert.Empty(bob.Problems);
        Assert.True(bob.IsProvisionable);
    }

    [Fact]
    public void Build_recorded_transport_detail_says_where_the_endpoint_listens()
    {
        // pjsip-show/03: TransportDetail of transport-udp, Protocol: udp, Bind: 127.0.0.1:5060, no external address.
        var snapshot = FromLists(new Dictionary<string, IReadOnlyList<AmiMessage>> { ["6001"] = ListEvents("pjsip-show", "03-") });

        var alice = snapshot.Find("6001")!;
        Assert.Equal(new PjsipTransport("transport-udp", "udp", "127.0.0.1", 5060, null, null, PjsipTransportSource.TransportDetail), alice.SipTransport);
        Assert.Equal(PjsipTransportChoice.Explicit, alice.TransportChoice);
        Assert.Equal([alice.SipTransport!], snapshot.Transports);
        Assert.Empty(alice.Problems);
    }

    [Fact]
    public void Build_every_recorded_detail_and_the_recorded_file_agree_on_the_transport()
    {
        var details = new Dictionary<string, IReadOnlyList<AmiMessage>>();
        for (var n = 3; n <= 9; n++)
        {
            var events = ListEvents("pjsip-show", n.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) + "-");
            details[events[0]["ObjectName"]!] = events;
        }

        var fromDetails = FromLists(details, withConfig: false);
        var fromFile = FromLists();

        Assert.All(fromDetails.Endpoints, e => Assert.Equal(PjsipTransportSource.TransportDetail, e.SipTransport!.Source));
        Assert.All(fromFile.Endpoints, e => Assert.Equal(PjsipTransportSource.Config, e.SipTransport!.Source));
        Assert.Equal(
            fromFile.Endpoints.Select(e => e.SipTransport! with { Source = PjsipTransportSource.TransportDetail }),
            fromDetails.Endpoints.Select(e => e.SipTransport));
        Assert.All(fromFile.Endpoints, e => Assert.Equal(("udp", "127.0.0.1", 5060), (e.SipTransport!.Protocol, e.SipTransport.BindHost, e.SipTransport.BindPort)));
    }

    [Fact]
    public void Build_recorded_config_change_detail_of_an_added_endpoint_carries_its_transport()
    {
        var events = ListEvents("config-change", "05-");
        var snapshot = PjsipSnapshotBuilder.Build(
            new PjsipReadResults(ListEvents("config-change", "04-"), ListEvents("pjsip-show", "13-"), [], [], new Dictionary<string, IReadOnlyList<AmiMessage>> { ["6007"] = events }),
            Now,
            1);

        Assert.Equal(("transport-udp", "udp", 5060), (snapshot.Find("6007")!.SipTransport!.Name, snapshot.Find("6007")!.SipTransport!.Protocol, snapshot.Find("6007")!.SipTransport!.BindPort));
        // One detail describes the transport for every endpoint on it, read in detail or not.
        Assert.Equal(snapshot.Find("6007")!.SipTransport, snapshot.Find("6001")!.SipTransport);
    }

    [Fact]
    public void Build_a_transport_neither_the_file_nor_a_detail_describes_is_a_problem_of_its_endpoint()
    {
        var list = ListEvents("pjsip-show", "02-")
            .Select(e => e["ObjectName"] == "6002" ? new AmiMessage(e.Fields.Select(f => f.Name == "Transport" ? new AmiField("Transport", "transport-gone") : f)) : e)
            .ToList();

        var snapshot = PjsipSnapshotBuilder.Build(new PjsipReadResults(list, ListEvents("pjsip-show", "13-"), [], RecordedConfig(), new Dictionary<string, IReadOnlyList<AmiMessage>>()), Now, 5);

        var bob = snapshot.Find("6002")!;
        Assert.Null(bob.SipTransport);
        Assert.Contains("transport 'transport-gone' is not in pjsip.conf", Assert.Single(bob.Problems), StringComparison.Ordinal);
        Assert.True(bob.IsProvisionable);
        Assert.Equal(["6002"], PjsipSnapshotBuilder.EndpointsNeedingDetail(list, RecordedConfig()));
    }

    [Fact]
    public void Build_a_detail_replaces_the_file_section_of_the_same_transport()
    {
        // What Asterisk has loaded wins over what the file says now.
        var events = ListEvents("pjsip-show", "03-")
            .Select(e => e.EventName == "TransportDetail"
                ? new AmiMessage(e.Fields.Select(f => f.Name == "Bind" ? new AmiField("Bind", "10.0.0.5:5160") : f))
                : e)
            .ToList();

        var snapshot = FromLists(new Dictionary<string, IReadOnlyList<AmiMessage>> { ["6001"] = events });

        Assert.All(snapshot.Endpoints, e => Assert.Equal(("10.0.0.5", 5160, PjsipTransportSource.TransportDetail), (e.SipTransport!.BindHost, e.SipTransport.BindPort, e.SipTransport.Source)));
        Assert.Single(snapshot.Transports);
    }

    [Fact]
    public void Build_an_endpoint_naming_no_transport_gets_the_first_udp_transport_of_the_file()
    {
        var list = ListEvents("pjsip-show", "02-")
            .Select(e => e["ObjectName"] == "6002" ? new AmiMessage(e.Fields.Select(f => f.Name == "Transport" ? new AmiField("Transport", string.Empty) : f)) : e)
            .ToList();
        ImmutableArray<ConfigCategory> transports =
        [
            new ConfigCategory("transport-tcp", [new("type", "transport"), new("protocol", "tcp"), new("bind", "0.0.0.0:5070")]),
            new ConfigCategory("transport-udp6", [new("type", "transport"), new("protocol", "udp"), new("bind", "[::]:5062")]),
        ];
        var config = transports.AddRange(RecordedConfig());

        var snapshot = PjsipSnapshotBuilder.Build(new PjsipReadResults(list, ListEvents("pjsip-show", "13-"), [], config, new Dictionary<string, IReadOnlyList<AmiMessage>>()), Now, 5);

        var bob = snapshot.Find("6002")!;
        Assert.Equal(PjsipTransportChoice.FirstOfProtocol, bob.TransportChoice);
        Assert.Equal(("transport-udp6", "::", 5062), (bob.SipTransport!.Name, bob.SipTransport.BindHost, bob.SipTransport.BindPort));
        Assert.Equal("transport-udp", snapshot.Find("6001")!.SipTransport!.Name);
        Assert.Equal(["transport-tcp", "transport-udp6", "transport-udp"], snapshot.Transports.Select(t => t.Name));
        Assert.Empty(PjsipSnapshotBuilder.EndpointsNeedingDetail(list, config));
    }

    [Fact]
    public void Build_without_any_transport_the_endpoint_naming_none_has_none()
    {
        var list = ListEvents("pjsip-show", "02-")
            .Select(e => new AmiMessage(e.Fields.Select(f => f.Name == "Transport" ? new AmiField("Transport", string.Empty) : f)))
            .ToList();
        var config = RecordedConfig().Where(c => c.Type != "transport").ToImmutableArray();

        var snapshot = PjsipSnapshotBuilder.Build(new PjsipReadResults(list, ListEvents("pjsip-show", "13-"), [], config, new Dictionary<string, IReadOnlyList<AmiMessage>>()), Now, 5);

        Assert.All(snapshot.Endpoints, e => Assert.Equal((null, PjsipTransportChoice.None), (e.SipTransport, e.TransportChoice)));
        Assert.Empty(snapshot.Find("6001")!.Problems);
    }

    [Fact]
    public void EndpointsNeedingDetail_one_endpoint_per_transport_the_file_does_not_describe()
    {
        var config = RecordedConfig().Where(c => c.Type != "transport").ToImmutableArray();

        Assert.Equal(["6001"], PjsipSnapshotBuilder.EndpointsNeedingDetail(ListEvents("pjsip-show", "02-"), config));
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
