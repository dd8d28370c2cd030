using AsteriskCiscoBridge.Provisioning.Model;

namespace AsteriskCiscoBridge.Provisioning.Tests.Model;

public sealed class MacAddressTests
{
    [Theory]
    [InlineData("00:11:22:33:44:55", "001122334455")]
    [InlineData("00-11-22-33-44-55", "001122334455")]
    [InlineData("0011.2233.4455", "001122334455")]
    [InlineData("001122334455", "001122334455")]
    [InlineData("aa:bb:cc:dd:ee:ff", "AABBCCDDEEFF")]
    [InlineData("aA-bB-cC-0d-Ee-F9", "AABBCC0DEEF9")]
    [InlineData("58971ecc97c1", "58971ECC97C1")]
    [InlineData("5897.1ecc.97C1", "58971ECC97C1")]
    public void Parse_accepts_each_documented_form_in_any_case(string text, string expected)
    {
        var result = MacAddress.Parse(text);

        Assert.Null(result.Error);
        Assert.Equal(expected, result.Mac!.Value.Value);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("00112233445", "expected 12 hex digits")]
    [InlineData("0011223344556", "expected 12 hex digits")]
    [InlineData("00:11:22:33:44:5G", "'G' is not a hex digit")]
    [InlineData("00:11-22:33:44:55", "expected ':' at position 6")]
    [InlineData("00:11:22:33:44:55 ", "expected 12 hex digits")]
    [InlineData(" 00:11:22:33:44:55", "expected 12 hex digits")]
    [InlineData("0011.2233-4455", "expected '.' at position 10")]
    [InlineData("00112233445Z", "'Z' is not a hex digit")]
    [InlineData("001122-334455", "expected 12 hex digits")]
    [InlineData("00:11:22:33:44:\n5", "'\\u000a' is not a hex digit")]
    [InlineData("0x1122334455", "'x' is not a hex digit")]
    public void Parse_rejects_other_text_with_the_reason(string? text, string reason)
    {
        var result = MacAddress.Parse(text);

        Assert.Null(result.Mac);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_never_throws_on_random_text()
    {
        var random = new Random(4);
        const string alphabet = "0123456789abcdefABCDEFxyz:-. \n\u00e9";
        for (var i = 0; i < 5000; i++)
        {
            var chars = new char[random.Next(0, 20)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            var text = new string(chars);
            var result = MacAddress.Parse(text);

            Assert.True(result.Mac is null ^ result.Error is null, text);
            if (result.Mac is { } mac)
            {
                Assert.Matches("^[0-9A-F]{12}$", mac.Value);
                Assert.Equal(mac, MacAddress.Parse(mac.Value).Mac);
            }
        }
    }

    [Fact]
    public void Equal_addresses_from_different_forms_are_equal()
    {
        Assert.Equal(MacAddress.Parse("0011.2233.44aa").Mac, MacAddress.Parse("00-11-22-33-44-AA").Mac);
    }
}
