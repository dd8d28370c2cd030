using System.Text;
using AsteriskCiscoBridge.Testing.Ami;

namespace AsteriskCiscoBridge.Ami.Tests.Framing;

public sealed class AmiActionWriterTests
{
    [Theory]
    [InlineData("login-plain", "01-")]
    [InlineData("login-challenge-md5", "02-")]
    [InlineData("registration-and-notify", "12-")]
    [InlineData("getconfig", "05-")]
    public void Write_reproduces_the_recorded_request_bytes(string scenario, string prefix)
    {
        var recorded = AmiFixtures.Numbered(scenario, prefix, "request");
        var message = Assert.Single(AmiFixtures.ParseMessages(recorded));
        var action = new AmiAction(message.Fields[0].Value);
        foreach (var field in message.Fields.Skip(1))
        {
            action.Add(field.Name, field.Value);
        }

        Assert.Equal(Encoding.UTF8.GetString(recorded), Encoding.UTF8.GetString(AmiActionWriter.ToBytes(action)));
    }

    [Fact]
    public void Write_neutralises_CR_and_LF_in_values_so_no_field_can_be_injected()
    {
        var action = new AmiAction("PJSIPNotify").Add("Endpoint", "6001\r\nAction: Command\r\n\r\nCommand: core stop now");
        var bytes = AmiActionWriter.ToBytes(action);
        var messages = AmiFixtures.ParseMessages(bytes);
        var message = Assert.Single(messages);
        Assert.Equal(2, message.Fields.Count);
        Assert.Equal("6001  Action: Command    Command: core stop now", message["Endpoint"]);
    }

    [Theory]
    [InlineData("Bad Name")]
    [InlineData("Key:")]
    [InlineData("")]
    [InlineData("Line\r\n")]
    public void Add_rejects_field_names_that_would_break_the_frame(string name)
    {
        Assert.ThrowsAny<ArgumentException>(() => new AmiAction("Ping").Add(name, "x"));
    }

    [Fact]
    public void Write_keeps_utf8_values()
    {
        var bytes = AmiActionWriter.ToBytes(new AmiAction("DBPut").Add("Val", "Zoë Müller: desk 3"));
        Assert.Equal("Action: DBPut\r\nVal: Zoë Müller: desk 3\r\n\r\n", Encoding.UTF8.GetString(bytes));
    }
}
