using AsteriskCiscoBridge.Ami.Pjsip;

namespace AsteriskCiscoBridge.Ami.Tests.Pjsip;

public sealed class CallerIdTests
{
    [Theory]
    [InlineData("\"Zoë Müller\" <6003>", "Zoë Müller", "6003")]
    [InlineData("Front Desk <6004>", "Front Desk", "6004")]
    [InlineData("\"Front Desk\" <6004>", "Front Desk", "6004")]
    [InlineData("<6001>", "", "6001")]
    [InlineData("6001", "", "6001")]
    [InlineData("+4930123", "", "+4930123")]
    [InlineData("Lobby", "Lobby", "")]
    [InlineData("", "", "")]
    [InlineData("<unknown>", "", "")]
    [InlineData("\"Say \\\"hi\\\"\" <7>", "Say \"hi\"", "7")]
    public void Parse_splits_name_and_number(string text, string name, string number)
    {
        Assert.Equal(new CallerId(name, number), CallerId.Parse(text));
    }
}
