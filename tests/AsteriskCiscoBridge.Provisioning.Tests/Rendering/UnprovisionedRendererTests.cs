using System.Text;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Rendering;

namespace AsteriskCiscoBridge.Provisioning.Tests.Rendering;

public sealed class UnprovisionedRendererTests
{
    [Theory]
    [InlineData("SIP0011AABBCCDD.cnf", "SIP0011AABBCCDD.cnf")]
    [InlineData("sip0011aabbccdd.CNF", "SIP0011AABBCCDD.cnf")]
    [InlineData("SEP0011AABBCCDD.cnf.xml", "SEP0011AABBCCDD.cnf.xml")]
    [InlineData("sep0011aabbccdd.cnf.xml", "SEP0011AABBCCDD.cnf.xml")]
    public void Default_config_policy_answers_a_phone_file_without_credentials(string requested, string name)
    {
        var site = TestSites.Site with { PhonePassword = "4321", SshUser = "admin", SshPassword = "sshsecret" };

        var answer = UnprovisionedRenderer.Render(site, requested);

        Assert.Equal(UnprovisionedOutcome.File, answer.Outcome);
        Assert.Equal(name, answer.File!.Name);
        var text = Encoding.UTF8.GetString(answer.File.Content);
        Assert.Contains("Unprovisioned", text, StringComparison.Ordinal);
        foreach (var secret in (string[])["4321", "sshsecret", "admin", "authPassword", "authName"])
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Not_found_policy_answers_not_found()
    {
        var answer = UnprovisionedRenderer.Render(TestSites.Site with { Unprovisioned = UnprovisionedPolicy.NotFound }, "SEP0011AABBCCDD.cnf.xml");

        Assert.Equal((UnprovisionedOutcome.NotFound, "0011AABBCCDD"), (answer.Outcome, answer.Mac!.Value.Value));
        Assert.Null(answer.File);
    }

    [Theory]
    [InlineData("SIPDefault.cnf")]
    [InlineData("SEP0011AABBCCDZ.cnf.xml")]
    [InlineData("SEP0011AABBCCDD.cnf")]
    [InlineData("CTLSEP0011AABBCCDD.tlv")]
    [InlineData("")]
    public void Other_names_are_not_phone_files(string requested) =>
        Assert.Equal(UnprovisionedOutcome.NotAPhoneFile, UnprovisionedRenderer.Render(TestSites.Site, requested).Outcome);
}
