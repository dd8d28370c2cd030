using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Tests.Model;

public sealed class ModelGuesserTests
{
    [Theory]
    [InlineData("SIP0011223344AA.cnf", "7940/7960 (SIP)", "7940,7960")]
    [InlineData("SEP0011223344AA.cnf.xml", "79x1/79x2/79x5/797x or a later series, or a 7940/7960 on SCCP", "")]
    [InlineData("CTLSEP0011223344AA.tlv", "79x1/79x2/79x5/797x or a later series, or a 7940/7960 on SCCP", "")]
    [InlineData("ITLSEP0011223344AA.tlv", "79x1/79x2/79x5/797x (firmware 8.5 or later) or a later series (6900/7800/8800/8900/9900)", "")]
    [InlineData("P0S3-08-12-00.loads", "7940/7960 (SIP)", "7940,7960")]
    [InlineData("P00308010200.bin", "7940/7960 (SCCP)", "7940,7960")]
    [InlineData("P0M3-08-1-00.sb2", "7940/7960 (MGCP)", "7940,7960")]
    [InlineData("SIP41.9-4-2SR3-1S.loads", "7941/7961 (SIP)", "7941,7961")]
    [InlineData("SCCP45.9-4-2SR3-1S.loads", "7945/7965 (SCCP)", "7945,7965")]
    [InlineData("term75.default.loads", "7975", "7975")]
    [InlineData("jar11sip.9-4-2ES26.sbn", "7906/7911 (SIP)", "7906,7911")]
    [InlineData("dsp42.9-4-2ES26.sbn", "7942/7962", "7942,7962")]
    [InlineData("term61.default.loads", "7961", "7961")]
    [InlineData("term06.default.loads", "7906", "7906")]
    [InlineData("cvm71sccp.9-4-2ES26.sbn", "7971 (SCCP)", "7971")]
    [InlineData("SIP70.9-4-2SR3-1S.loads", "7970/7971 (SIP)", "7970,7971")]
    [InlineData("P0S30202.bin", "7940/7960 (SIP)", "7940,7960")]
    [InlineData("sip88xx.14-2-1-0001-131.loads", "8811/8841/8851/8861 (SIP)", "8811,8841,8851,8861")]
    [InlineData("sip8845_65.12-7-1-0001-393.loads", "8845/8865 (SIP)", "8845,8865")]
    [InlineData("SIP69xx.9-4-1-3SR3.loads", "6921/6941/6961 (SIP)", "6921,6941,6961")]
    [InlineData("sip9971.9-4-2SR4-1.loads", "9971 (SIP)", "9971")]
    public void A_single_name_says_what_it_can(string name, string text, string models)
    {
        var guess = ModelGuesser.Guess([name]);

        Assert.NotNull(guess);
        Assert.Equal(text, guess.Text);
        Assert.Equal(models, string.Join(",", guess.Models));
    }

    [Fact]
    public void A_load_name_beats_the_config_file_name()
    {
        var guess = ModelGuesser.Guess(["CTLSEP0011223344AA.tlv", "SEP0011223344AA.cnf.xml", "SIP42.9-4-2SR3-1S.loads"]);

        Assert.Equal("7942/7962 (SIP)", guess!.Text);
        Assert.Equal("7962", guess.Pick);
    }

    [Theory]
    [InlineData("SIPDefault.cnf.xml")]
    [InlineData("dialplan.xml")]
    [InlineData("")]
    [InlineData("SIP4.loads")]
    [InlineData("term40.default.loads")]
    [InlineData("jar10sip.9-4-2.sbn")]
    [InlineData("sip.9-3-1SR4-1.loads")]
    [InlineData("sip7832.14-1-1-0001-125.loads")]
    public void Names_that_say_nothing_of_the_model_give_no_guess(string name)
    {
        Assert.Null(ModelGuesser.Guess([name, "RINGLIST.DAT"]));
    }
}
