using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Provisioning.Tests.Inventory;

public sealed class PhoneInventoryTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("0006D7AA2A2E").Mac!.Value;
    private static readonly MacAddress Other = MacAddress.Parse("001122334455").Mac!.Value;

    private static InventoryEndpoint Endpoint(string name, MacDeclaration[]? macs = null, (string, string)[]? vars = null, string[]? agents = null, bool provisionable = true) =>
        new(name, provisionable ? new LineInput(name, name, "pw" + name) : null, provisionable ? null : "auth is md5",
            macs ?? [], [.. (vars ?? []).Select(v => new KeyValuePair<string, string>(v.Item1, v.Item2))], agents ?? []);

    private static MacDeclaration Phoneprov(MacAddress mac, string section, int? line, int order, string? profile = null) =>
        new(mac, LineSource.Phoneprov, section, line, profile, order);

    private static MacDeclaration SetVar(MacAddress mac) => new(mac, LineSource.SetVar, "CISCO_MAC");

    [Fact]
    public void Build_orders_phoneprov_lines_by_LINE_then_file_order_then_set_var_then_bridge_bindings()
    {
        var endpoints = new[]
        {
            Endpoint("6001", [Phoneprov(Mac, "6001-phone", 2, 1)]),
            Endpoint("6002", [Phoneprov(Mac, "6002-phone", 1, 3)]),
            Endpoint("6003", [Phoneprov(Mac, "6003-phone", null, 2)]),
            Endpoint("6004", [SetVar(Mac)]),
            Endpoint("6005"),
        };

        var inventory = PhoneInventory.Build(endpoints, [new BridgeBinding(Mac, "6005", 1)], []);

        var phone = Assert.Single(inventory.Phones);
        Assert.Equal(["6002", "6001", "6003", "6004", "6005"], phone.ServedEndpoints);
        Assert.Equal([LineSource.Phoneprov, LineSource.Phoneprov, LineSource.Phoneprov, LineSource.SetVar, LineSource.Bridge], phone.Lines.Select(l => l.Source));
        Assert.Equal("phoneprov [6002-phone]", phone.Lines[0].Origin);
        Assert.Equal("set_var CISCO_MAC on 6004", phone.Lines[3].Origin);
        Assert.True(phone.IsDeclaredByAsterisk);
        Assert.Empty(phone.Conflicts);
    }

    [Fact]
    public void Build_collapses_an_endpoint_declared_twice_into_one_line_and_reports_a_bridge_duplicate()
    {
        var endpoints = new[] { Endpoint("6004", [Phoneprov(Mac, "6004-phone", 1, 1), SetVar(Mac)]) };

        var phone = Assert.Single(PhoneInventory.Build(endpoints, [new BridgeBinding(Mac, "6004", 1)], []).Phones);

        var line = Assert.Single(phone.Lines);
        Assert.Equal(LineSource.Phoneprov, line.Source);
        Assert.Contains(phone.Conflicts, c => c.Contains("6004", StringComparison.Ordinal) && c.Contains("acb bind", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_reports_lines_past_the_buttons_and_serves_only_what_the_model_has()
    {
        var endpoints = new[]
        {
            Endpoint("6001", [SetVar(Mac)], [("CISCO_MODEL", "CP-7940G")]),
            Endpoint("6002", [SetVar(Mac)]),
            Endpoint("6003", [SetVar(Mac)]),
        };

        var phone = Assert.Single(PhoneInventory.Build(endpoints, [], []).Phones);

        Assert.Equal("7940", phone.Model!.Name);
        Assert.Equal(ModelSource.SetVar, phone.ModelSource);
        Assert.Equal(["6001", "6002"], phone.ServedEndpoints);
        var conflict = Assert.Single(phone.Conflicts);
        Assert.Contains("a 7940 has 2 line buttons: 6003", conflict, StringComparison.Ordinal);
        Assert.Equal(conflict, phone.Lines[2].Problem);
    }

    [Fact]
    public void Build_leaves_out_a_line_whose_endpoint_is_missing_or_unprovisionable_with_the_reason()
    {
        var endpoints = new[] { Endpoint("6001", [SetVar(Mac)]), Endpoint("6005", [SetVar(Mac)], provisionable: false) };

        var phone = Assert.Single(PhoneInventory.Build(endpoints, [new BridgeBinding(Mac, "gone", 1)], []).Phones);

        Assert.Equal(["6001"], phone.ServedEndpoints);
        Assert.Equal("endpoint 6005 cannot be provisioned: auth is md5", phone.Lines[1].Problem);
        Assert.Equal("endpoint gone is not in Asterisk", phone.Lines[2].Problem);
    }

    [Fact]
    public void Build_without_a_snapshot_uses_the_line_data_recorded_with_a_binding()
    {
        var recorded = new LineInput("1001", null, "secret");
        var inventory = PhoneInventory.Build(null, [new BridgeBinding(Mac, "1001", 1, Recorded: recorded), new BridgeBinding(Mac, "1002", 2)], []);

        var phone = Assert.Single(inventory.Phones);
        Assert.False(inventory.HasSnapshot);
        Assert.Equal([recorded], phone.ServedLines);
        Assert.Contains("has not read Asterisk", phone.Lines[1].Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ModelSource.Bind, "7960", "7960")]
    [InlineData(ModelSource.Unknown, "", "7945")]
    public void Build_takes_the_model_from_bind_then_set_var(ModelSource storedSource, string storedModel, string expected)
    {
        var endpoints = new[] { Endpoint("6004", [SetVar(Mac)], [("CISCO_MODEL", "CP-7945G")], ["Cisco-CP7962G/9.4.2"]) };

        var phone = Assert.Single(PhoneInventory.Build(endpoints, [], [new StoredModel(Mac, storedModel, storedSource)]).Phones);

        Assert.Equal(expected, phone.Model!.Name);
        Assert.Contains(phone.Conflicts, c => c.Contains("User-Agent Cisco-CP7962G/9.4.2 says 7962", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_learns_the_model_from_the_profile_then_the_user_agent_then_what_was_stored()
    {
        var byProfile = PhoneInventory.Build([Endpoint("6001", [Phoneprov(Mac, "p", 1, 1, "cisco-7965")], agents: ["Cisco-CP7962G/9.4.2"])], [], []).Phones[0];
        var byAgent = PhoneInventory.Build([Endpoint("6001", [Phoneprov(Mac, "p", 1, 1, "cisco")], agents: ["Cisco-CP7962G/9.4.2"])], [], []).Phones[0];
        var byFiles = PhoneInventory.Build([Endpoint("6001", [SetVar(Mac)])], [], [new StoredModel(Mac, "7940/7960", ModelSource.Files)]).Phones[0];
        var unknown = PhoneInventory.Build([Endpoint("6001", [SetVar(Mac)])], [], []).Phones[0];

        Assert.Equal(("7965", ModelSource.Profile), (byProfile.Model!.Name, byProfile.ModelSource));
        Assert.Equal(("7962", ModelSource.UserAgent), (byAgent.Model!.Name, byAgent.ModelSource));
        Assert.Equal((PhoneFamily.Sip79x0, ModelSource.Files, false), (byFiles.Family!.Value, byFiles.ModelSource, byFiles.IsModelKnown));
        Assert.Null(unknown.Model);
        Assert.Equal(ModelSource.Unknown, unknown.ModelSource);
    }

    [Theory]
    [InlineData("Cisco-CP8841/14.2.1", "8841")]
    [InlineData("Cisco-CP8865NR/14.2.1", "8865")]
    [InlineData("Cisco-CP7821/10.3.1", "7821")]
    [InlineData("Cisco-CP7861/12.1.1", "7861")]
    [InlineData("Cisco-CP8961/9.4.2", "8961")]
    [InlineData("Cisco-CP6921/9.4.1", "6921")]
    public void Build_learns_a_later_series_model_from_its_user_agent(string agent, string model)
    {
        var phone = PhoneInventory.Build([Endpoint("6001", [SetVar(Mac)], agents: [agent])], [], []).Phones[0];

        Assert.Equal((model, ModelSource.UserAgent), (phone.Model!.Name, phone.ModelSource));
        Assert.Equal(PhoneFamily.Sip79x1, phone.Family);
    }

    [Theory]
    [InlineData("cisco-8845", "8845")]
    [InlineData("CP-6961", "6961")]
    [InlineData("cisco-88451", null)]
    public void A_profile_names_a_later_series_model(string profile, string? model) =>
        Assert.Equal(model, PhoneInventory.ModelOfProfile(profile)?.Name);

    [Fact]
    public void Keys_come_from_set_var_on_the_first_endpoint_and_are_named_when_wrong_or_too_many()
    {
        var endpoints = new[]
        {
            Endpoint("6001", [Phoneprov(Mac, "a", 1, 1)], [("ACB_KEY_2", "blf:6002:Bob"), ("ACB_KEY_1", "speeddial:6003"), ("ACB_KEY_3", "intercom:1"), ("CISCO_MODEL", "CP-7821")]),
            Endpoint("6002", [Phoneprov(Mac, "b", 2, 2)], [("ACB_KEY_4", "speeddial:6004")]),
        };

        var phone = Assert.Single(PhoneInventory.Build(endpoints, [], []).Phones);

        Assert.Equal([(1, FeatureKeyKind.SpeedDial, "6003"), (2, FeatureKeyKind.Blf, "6002")], phone.Keys.Select(k => (k.Index, k.Kind, k.Number)));
        Assert.Equal("set_var ACB_KEY_2 on 6001", phone.Keys[1].Origin);
        Assert.Contains(phone.Conflicts, c => c.StartsWith("set_var ACB_KEY_3 on 6001: key.3: 'intercom:1' is not", StringComparison.Ordinal));
        Assert.Contains("set_var ACB_KEY_4 on 6002 is ignored: keys are read from the phone's first endpoint, 6001", phone.Conflicts);
        Assert.Contains("set_var keys: a 7821 has 2 buttons: 2 lines leave 0 for keys, 2 given (key.1, key.2); the keys past its buttons are left out", phone.Conflicts);
    }

    [Fact]
    public void Build_ignores_user_agents_of_a_shared_line_that_disagree()
    {
        var endpoints = new[] { Endpoint("6001", [SetVar(Mac), SetVar(Other)], agents: ["Cisco-CP7962G/9.4.2", "Cisco-CP7945G/9.4.2"]) };

        var inventory = PhoneInventory.Build(endpoints, [], []);

        Assert.All(inventory.Phones, p => Assert.Null(p.Model));
        Assert.Equal([Mac, Other], inventory.Phones.Select(p => p.Mac).OrderBy(m => m.Value, StringComparer.Ordinal));
    }

    [Fact]
    public void Build_keeps_a_stored_phone_with_no_line_left()
    {
        var phone = Assert.Single(PhoneInventory.Build([], [], [new StoredModel(Mac, "7961", ModelSource.Bind)]).Phones);

        Assert.Empty(phone.Lines);
        Assert.Empty(phone.ServedLines);
        Assert.False(phone.IsDeclaredByAsterisk);
    }

    [Theory]
    [InlineData("SIP0006D7AA2A2E.cnf", PhoneFamily.Sip79x0)]
    [InlineData("sep0006d7aa2a2e.cnf.xml", PhoneFamily.Sip79x1)]
    [InlineData("SIPDefault.cnf", null)]
    [InlineData("CTLSEP0006D7AA2A2E.tlv", null)]
    public void FamilyOfFileName_knows_only_a_phone_s_own_file(string name, PhoneFamily? family) =>
        Assert.Equal(family, PhoneInventory.FamilyOfFileName(name));

    [Fact]
    public void EitherFamilyFileSet_gives_an_unknown_phone_both_own_files_with_its_lines()
    {
        var lines = new[] { new LineInput("6001", null, "pw1"), new LineInput("6002", null, "pw2") };

        var site = new SiteSettings { AsteriskHost = "10.0.0.5" };
        var result = EitherFamilyFileSet.Render(site, SiteFileSet.Render(site), Mac, lines);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var cnf = System.Text.Encoding.ASCII.GetString(result.Find("SIP0006D7AA2A2E.cnf")!.Content);
        var xml = System.Text.Encoding.UTF8.GetString(result.Find("SEP0006D7AA2A2E.cnf.xml")!.Content);
        Assert.Matches("(?m)^line2_name: \"?6002\"?$", cnf);
        Assert.Contains("<name>6002</name>", xml, StringComparison.Ordinal);
        Assert.NotNull(result.SyncValue);
        Assert.NotNull(result.VersionStamp);
    }

    [Theory]
    [InlineData("SIP0011223344AA.cnf", PhoneFamily.Sip79x0)]
    [InlineData("sep0011223344aa.CNF.XML", PhoneFamily.Sip79x1)]
    [InlineData("English_United_States/SIP0011223344AA.cnf", PhoneFamily.Sip79x0)]
    [InlineData("SEP0011223344AA.cnf.xml.sgn", null)]
    [InlineData("CTLSEP0011223344AA.tlv", null)]
    [InlineData("SIPDefault.cnf", null)]
    [InlineData("XMLDefault.cnf.xml", null)]
    public void FamilyOfFileName_reads_the_family_from_a_phones_plain_configuration_only(string name, PhoneFamily? family)
    {
        Assert.Equal(family, PhoneInventory.FamilyOfFileName(name));
    }
}
