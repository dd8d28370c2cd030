using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Testing.Ami;

namespace AsteriskCiscoBridge.Ami.Tests.Pjsip;

public sealed class GetConfigFileTests
{
    [Fact]
    public void Parse_recorded_pjsip_conf_keeps_same_named_sections_apart_and_values_unescaped()
    {
        var response = AmiFixtures.ParseMessages(AmiFixtures.Numbered("getconfig", "02-", "response"))[0];

        var categories = GetConfigFile.Parse(response);

        Assert.Equal(["endpoint", "aor"], categories.Where(c => c.Name == "6001").Select(c => c.Type));
        Assert.Equal(["endpoint", "auth", "aor"], categories.Where(c => c.Name == "6002").Select(c => c.Type));
        Assert.Equal("zm;6003#utf8", categories.Single(c => c.Name == "6003-auth").Get("password"));
        Assert.Equal("\"Zoë Müller\" <6003>", categories.Single(c => c.Name == "6003" && c.Type == "endpoint").Get("callerid"));
        Assert.Equal(["CISCO_MAC=0006D7AA2A2E", "CISCO_MODEL=CP-7945G"], categories.Single(c => c.Name == "6004" && c.Type == "endpoint").GetAll("set_var"));
        Assert.Equal("0006d7b1c2d3", categories.Single(c => c.Name == "6003-phone").Get("mac"));
        // Template lines are inlined by Asterisk: 6002 carries endpoint-tpl's settings.
        Assert.Equal("no", categories.First(c => c.Name == "6002").Get("direct_media"));
        Assert.DoesNotContain(categories, c => c.Name.EndsWith("-tpl", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_filtered_phoneprov_answer_gives_only_the_bindings()
    {
        var response = AmiFixtures.ParseMessages(AmiFixtures.Numbered("getconfig", "05-", "response"))[0];

        var categories = GetConfigFile.Parse(response);

        Assert.Equal(["6001-phone", "6003-phone"], categories.Select(c => c.Name));
        Assert.All(categories, c => Assert.Equal("phoneprov", c.Type));
    }
}
