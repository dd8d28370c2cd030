using AsteriskCiscoBridge.Provisioning.Firmware;
using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Tests.Firmware;

public sealed class RegisterReasonTests
{
    [Fact]
    public void Parse_reads_the_device_name_and_both_loads_without_their_extension()
    {
        var reason = RegisterReason.Parse("SIP;cause=200;text=\"cisco-alarm:25 Name=SEP0011223344AA ActiveLoad=sip88xx.14-2-1-0001-131.loads InactiveLoad=sip88xx.12-8-1-0001-455 Last=initialized\"");

        Assert.NotNull(reason);
        Assert.Equal(("SEP0011223344AA", "sip88xx.14-2-1-0001-131", "sip88xx.12-8-1-0001-455"), (reason.DeviceName, reason.ActiveLoad, reason.InactiveLoad));
        Assert.Equal(MacAddress.Parse("0011223344AA").Mac, reason.Mac);
        Assert.Equal("8811/8841/8851/8861", reason.Active!.Family.Title);
    }

    [Theory]
    [InlineData("SIP;cause=200;text=\"Name=SEP0011223344AA ActiveLoad=sip9971.9-4-2SR4-1\"", "9971")]
    [InlineData("SIP;cause=200;text=\"Name=SEP0011223344AA ActiveLoad=sip8961.9-4-1-9.loads\"", "8961")]
    [InlineData("SIP;cause=200;text=\"Name=SEP0011223344AA ActiveLoad=sip88xx.14-2-1-0001-131\"", null)]
    [InlineData("SIP;cause=200;text=\"Name=SEP0011223344AA ActiveLoad=sip8845_65.12-7-1-0001-393\"", null)]
    public void The_model_is_named_only_by_a_load_one_model_runs(string header, string? model) =>
        Assert.Equal(model, RegisterReason.Parse(header)?.Model?.Name);

    [Fact]
    public void A_79xx_reason_names_its_load_with_load() =>
        Assert.Equal("SIP41.9-4-2SR3-1S", RegisterReason.Parse("SIP;cause=200;text=\"Load=SIP41.9-4-2SR3-1S\"")?.ActiveLoad);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("SIP;cause=200")]
    [InlineData("SIP;cause=200;text=\"rebooted\"")]
    [InlineData("Q.850;cause=16")]
    public void Parse_returns_null_for_a_reason_that_names_neither_device_nor_load(string? header) => Assert.Null(RegisterReason.Parse(header));

    [Fact]
    public void Parse_never_throws_on_random_text()
    {
        const string alphabet = "text=\"NameActiveLoad= SEP0123abc.-_\"";
        var random = new Random(5);
        for (var i = 0; i < 2000; i++)
        {
            var chars = new char[random.Next(0, 80)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            _ = RegisterReason.Parse(new string(chars))?.Model;
        }
    }
}
