using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Provisioning.Tests.Model;

public sealed class PhoneSettingsTests
{
    private static readonly MacAddress Mac = MacAddress.Parse("001122AABBCC").Mac!.Value;

    [Theory]
    [InlineData("label=Front desk", "label", "Front desk")]
    [InlineData("cnf:call_waiting=0", "cnf:call_waiting", "0")]
    [InlineData("xml:sshUserId=admin=x", "xml:sshUserId", "admin=x")]
    [InlineData("messages=", "messages", "")]
    [InlineData("key.1=speeddial:6001:Front desk", "key.1", "speeddial:6001:Front desk")]
    [InlineData("key.12=blf:6002", "key.12", "blf:6002")]
    [InlineData("max_calls=6", "max_calls", "6")]
    public void Parse_reads_name_and_value(string text, string name, string value)
    {
        Assert.Equal(new KeyValuePair<string, string>(name, value), PhoneSettings.Parse(text, out _));
    }

    [Theory]
    [InlineData("label", "is not NAME=VALUE")]
    [InlineData("=x", "is not NAME=VALUE")]
    [InlineData("colour=red", "unknown setting 'colour'")]
    [InlineData("cnf:bad key=1", "is not a cnf key")]
    [InlineData("xml:1bad=1", "is not an XML element name")]
    [InlineData("key.0=speeddial:1", "'key.0' is not key.N with N 1–99")]
    [InlineData("key.x=speeddial:1", "'key.x' is not key.N")]
    [InlineData("key.1=intercom:6001", "key.1: 'intercom:6001' is not speeddial:NUMBER[:LABEL] or blf:NUMBER[:LABEL]")]
    [InlineData("key.1=speeddial:60 01", "key.1: the number '60 01' must be")]
    [InlineData("max_calls=0", "max_calls takes a number of calls, 1–200")]
    public void Parse_refuses_what_is_not_a_setting(string text, string reason)
    {
        Assert.Null(PhoneSettings.Parse(text, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Stored_settings_become_overrides_that_the_renderers_apply()
    {
        var overrides = PhoneSettings.ToOverrides(
            [new("label", "Front desk"), new("cnf:call_waiting", "0"), new("xml:sshUserId", "admin"), new("messages", "*98")], out _)!;
        var line = new LineInput("1001", null, "pw");

        var sip = Render(new Phone(Mac, PhoneModels.Cisco7960, [line], null, overrides), $"SIP{Mac}.cnf");
        var sep = Render(new Phone(Mac, PhoneModels.Find("7961")!, [line], null, overrides), $"SEP{Mac}.cnf.xml");

        Assert.Contains("phone_label: \"Front desk\"", sip, StringComparison.Ordinal);
        Assert.Contains("call_waiting: \"0\"", sip, StringComparison.Ordinal);
        Assert.Contains("messages_uri: \"*98\"", sip, StringComparison.Ordinal);
        Assert.Contains("<sshUserId>admin</sshUserId>", sep, StringComparison.Ordinal);
        Assert.Contains("Front desk", sep, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_settings_become_keys_in_index_order()
    {
        var overrides = PhoneSettings.ToOverrides([new("key.10", "blf:6010"), new("key.2", "speeddial:6002:Bob & Co"), new("key.2", "speeddial:6003")], out _)!;

        Assert.Equal([(2, FeatureKeyKind.SpeedDial, "6003", "6003"), (10, FeatureKeyKind.Blf, "6010", "6010")], overrides.Keys.Select(k => (k.Index, k.Kind, k.Number, k.EffectiveLabel)));
    }

    [Fact]
    public void An_unknown_stored_name_is_an_error_not_silently_dropped()
    {
        Assert.Null(PhoneSettings.ToOverrides([new("volume", "5")], out var error));
        Assert.Contains("unknown setting 'volume'", error, StringComparison.Ordinal);
    }

    private static string Render(Phone phone, string name)
    {
        var result = PhoneFileSet.Render(new SiteSettings(), phone);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return Encoding.UTF8.GetString(result.Files.Single(f => f.Name == name).Content);
    }
}
