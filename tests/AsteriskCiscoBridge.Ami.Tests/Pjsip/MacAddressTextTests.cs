using AsteriskCiscoBridge.Ami.Pjsip;

namespace AsteriskCiscoBridge.Ami.Tests.Pjsip;

public sealed class MacAddressTextTests
{
    [Theory]
    [InlineData("00:11:22:33:44:55")]
    [InlineData("00-11-22-33-44-55")]
    [InlineData("0011.2233.4455")]
    [InlineData("001122334455")]
    [InlineData(" 001122334455 ")]
    public void Parse_accepts_the_usual_spellings(string text)
    {
        Assert.Equal(new MacParseResult("001122334455", null), MacAddressText.Parse(text));
    }

    [Theory]
    [InlineData("0006d7b1c2d3", "0006D7B1C2D3")]
    [InlineData("aa:bb:cc:dd:ee:ff", "AABBCCDDEEFF")]
    [InlineData("AaBb.CcDd.EeFf", "AABBCCDDEEFF")]
    public void Parse_normalises_to_upper_case(string text, string expected)
    {
        Assert.Equal(expected, MacAddressText.Parse(text).Mac);
    }

    [Theory]
    [InlineData("", "empty MAC address")]
    [InlineData(null, "empty MAC address")]
    [InlineData("00112233445", "is not a MAC address (expected 12 hex digits")]
    [InlineData("00:11:22:33:44-55", "is not a MAC address (expected 12 hex digits")]
    [InlineData("0011:2233:4455", "is not a MAC address (expected 12 hex digits")]
    [InlineData("00112233445G", "'G' is not a hex digit")]
    [InlineData("00:11:22:33:44:5g", "'g' is not a hex digit")]
    [InlineData("001122.334455", "is not a MAC address (expected 12 hex digits")]
    public void Parse_rejects_other_text_with_a_reason(string? text, string reason)
    {
        var result = MacAddressText.Parse(text);
        Assert.False(result.IsValid);
        Assert.Null(result.Mac);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
    }
}
