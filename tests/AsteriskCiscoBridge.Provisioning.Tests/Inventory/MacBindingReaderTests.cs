using AsteriskCiscoBridge.Provisioning.Inventory;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Tests.Inventory;

/// <summary>The reader over the lab's pjsip.conf (fixtures getconfig/02: 6001-phone, 6003-phone, 6004's set_var CISCO_MAC).</summary>
public sealed class MacBindingReaderTests
{
    private static readonly PhoneprovSection Phone6001 = Section("6001-phone", ("type", "phoneprov"), ("endpoint", "6001"), ("MAC", "001122334455"), ("PROFILE", "cisco"), ("LINEKEYS", "2"), ("LINE", "1"));
    private static readonly PhoneprovSection Phone6003 = Section("6003-phone", ("type", "phoneprov"), ("endpoint", "6003"), ("MAC", "0006d7b1c2d3"), ("PROFILE", "cisco"));

    private static readonly EndpointVariables[] Lab =
    [
        new("6001", []),
        new("6002", []),
        new("6003", []),
        new("6004", [new("CISCO_MAC", "0006D7AA2A2E"), new("CISCO_MODEL", "CP-7945G")]),
    ];

    private static PhoneprovSection Section(string name, params (string Key, string Value)[] lines) =>
        new(name, [.. lines.Select(l => new KeyValuePair<string, string>(l.Key, l.Value))]);

    private static MacAddress Mac(string text) => MacAddress.Parse(text).Mac!.Value;

    [Fact]
    public void Read_recorded_lab_config_binds_phoneprov_and_set_var_macs()
    {
        var reading = MacBindingReader.Read(Lab, [Phone6001, Phone6003]);

        Assert.Equal([new MacDeclaration(Mac("001122334455"), LineSource.Phoneprov, "6001-phone", Line: 1, Profile: "cisco", Order: 1)], reading.Of("6001"));
        Assert.Equal([new MacDeclaration(Mac("0006D7B1C2D3"), LineSource.Phoneprov, "6003-phone", Line: null, Profile: "cisco", Order: 2)], reading.Of("6003"));
        Assert.Equal([new MacDeclaration(Mac("0006D7AA2A2E"), LineSource.SetVar, "CISCO_MAC")], reading.Of("6004"));
        Assert.Empty(reading.Of("6002"));
        Assert.Empty(reading.Problems);
        Assert.Empty(reading.EndpointProblems);
    }

    [Fact]
    public void Read_puts_phoneprov_first_then_ACB_MAC_before_CISCO_MAC_and_drops_repeats()
    {
        var endpoints = new[] { new EndpointVariables("6001", [new("cisco_mac", "00:11:22:33:44:66"), new("ACB_MAC", "0011.2233.4477"), new("ACB_MAC", "001122334477")]) };

        var reading = MacBindingReader.Read(endpoints, [Phone6001]);

        Assert.Equal(
            [("001122334455", LineSource.Phoneprov, "6001-phone"), ("001122334477", LineSource.SetVar, "ACB_MAC"), ("001122334466", LineSource.SetVar, "CISCO_MAC")],
            reading.Of("6001").Select(m => (m.Mac.Value, m.Source, m.Origin)));
    }

    [Fact]
    public void Read_reports_bad_macs_and_dangling_phoneprov_sections_instead_of_binding_them()
    {
        var phoneprov = new[]
        {
            Section("x-phone", ("type", "phoneprov"), ("endpoint", "9999"), ("MAC", "001122334466")),
            Section("y-phone", ("type", "phoneprov"), ("endpoint", "6002"), ("MAC", "00:11:22:33:44")),
            Section("z-phone", ("type", "phoneprov"), ("MAC", "001122334488")),
        };
        var endpoints = new[] { new EndpointVariables("6002", [new("ACB_MAC", "not-a-mac")]) };

        var reading = MacBindingReader.Read(endpoints, phoneprov);

        Assert.Empty(reading.Of("6002"));
        Assert.Equal(2, reading.Problems.Length);
        Assert.Contains("[x-phone] names endpoint '9999'", reading.Problems[0], StringComparison.Ordinal);
        Assert.Contains("[z-phone] names endpoint ''", reading.Problems[1], StringComparison.Ordinal);
        var problems = reading.ProblemsOf("6002");
        Assert.Equal(2, problems.Length);
        Assert.StartsWith("phoneprov section [y-phone]: ", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("set_var ACB_MAC: ", problems[1], StringComparison.Ordinal);
        Assert.Contains("is not a MAC address", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_accepts_a_mac_with_surrounding_blanks_as_the_admin_may_write_it()
    {
        var reading = MacBindingReader.Read([new EndpointVariables("6001", [new("ACB_MAC", " 0006d7aa2a2e ")])], []);

        Assert.Equal("0006D7AA2A2E", Assert.Single(reading.Of("6001")).Mac.Value);
    }
}
