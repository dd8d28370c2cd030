using AsteriskCiscoBridge.Ami;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Provisioning.Resync;
using AsteriskCiscoBridge.Services.Resync;
using AsteriskCiscoBridge.Testing.Ami;

namespace AsteriskCiscoBridge.Host.Tests.Resync;

public sealed class NotifySenderTests
{
    private static readonly MacAddress Mac7960 = MacAddress.Parse("0011223344AA").Mac!.Value;

    [Fact]
    public void NotifyAction_is_the_recorded_PJSIPNotify_to_an_endpoint_or_to_a_uri()
    {
        var byEndpoint = new NotifyOrder(Mac7960, "6001", ResyncKind.CheckSync, ["Event=check-sync"], TimeSpan.Zero);
        var byUri = byEndpoint with { Uri = "sip:6001@127.0.0.1:5070" };

        Assert.Equal(AmiFixtures.Numbered("registration-and-notify", "09-", "request"), AmiActionWriter.ToBytes(NotifySender.NotifyAction(byEndpoint).WithActionId("registration-and-notify-09")));
        Assert.Equal(AmiFixtures.Numbered("registration-and-notify", "11-", "request"), AmiActionWriter.ToBytes(NotifySender.NotifyAction(byUri).WithActionId("registration-and-notify-11")));
    }
}
