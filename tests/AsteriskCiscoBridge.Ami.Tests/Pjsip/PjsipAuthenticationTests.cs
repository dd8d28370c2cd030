using AsteriskCiscoBridge.Ami.Pjsip;
using AsteriskCiscoBridge.Testing.Ami;

namespace AsteriskCiscoBridge.Ami.Tests.Pjsip;

public sealed class PjsipAuthenticationTests
{
    private static IReadOnlyList<AmiMessage> Recorded() =>
        AmiFixtures.ParseMessages(AmiFixtures.ServerStream("registration-and-notify-auditor"), expectBanner: true);

    [Fact]
    public void The_recorded_PJSIP_SuccessfulAuth_of_a_REGISTER_names_the_endpoint_its_Call_ID_and_the_phone_address()
    {
        var parsed = Recorded().Select(PjsipAuthentication.TryParse).OfType<PjsipAuthentication>().Distinct().ToList();

        Assert.Equal([new PjsipAuthentication("6001", "a27227129d9f1beb@127.0.0.1", "127.0.0.1")], parsed);
    }

    [Fact]
    public void The_AMI_login_SuccessfulAuth_and_the_ChallengeSent_before_it_are_not_SIP_requests()
    {
        var recorded = Recorded();
        Assert.Contains(recorded, m => m.EventName == "SuccessfulAuth" && m["Service"] == "AMI");
        Assert.Contains(recorded, m => m.EventName == "ChallengeSent" && m["Service"] == "PJSIP");

        Assert.All(recorded.Where(m => m["Service"] != "PJSIP" || m.EventName != "SuccessfulAuth"), m => Assert.Null(PjsipAuthentication.TryParse(m)));
    }

    [Theory]
    [InlineData("IPV6/UDP/[2001:db8::5]/5060", "2001:db8::5")]
    [InlineData("IPV4/TCP/10.0.0.5/41234", "10.0.0.5")]
    [InlineData("IPV4/UDP//5060", null)]
    [InlineData("10.0.0.5:5060", null)]
    [InlineData("", null)]
    public void The_remote_host_is_read_from_the_security_event_address(string remote, string? host)
    {
        var message = Event(("RemoteAddress", remote));

        Assert.Equal(host, PjsipAuthentication.TryParse(message)?.RemoteHost);
    }

    [Theory]
    [InlineData("AccountID")]
    [InlineData("SessionID")]
    [InlineData("RemoteAddress")]
    public void An_event_missing_a_field_is_not_read(string missing)
    {
        var recorded = Recorded().First(m => m.EventName == "SuccessfulAuth" && m["Service"] == "PJSIP");
        var message = new AmiMessage(recorded.Fields.Where(f => f.Name != missing));

        Assert.Null(PjsipAuthentication.TryParse(message));
    }

    private static AmiMessage Event(params (string Name, string Value)[] changed)
    {
        var recorded = Recorded().First(m => m.EventName == "SuccessfulAuth" && m["Service"] == "PJSIP");
        return new AmiMessage(recorded.Fields.Select(f => changed.FirstOrDefault(c => c.Name == f.Name) is { Name: not null } c ? new AmiField(f.Name, c.Value) : f));
    }
}
