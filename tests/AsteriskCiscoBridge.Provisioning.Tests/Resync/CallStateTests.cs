using AsteriskCiscoBridge.Provisioning.Resync;

namespace AsteriskCiscoBridge.Provisioning.Tests.Resync;

public sealed class CallStateTests
{
    // ast_devstate_str's words, as PJSIPShowEndpoints reports DeviceState.
    [Theory]
    [InlineData("In use", true)]
    [InlineData("Busy", true)]
    [InlineData("Ringing", true)]
    [InlineData("Ring+Inuse", true)]
    [InlineData("On Hold", true)]
    [InlineData("Not in use", false)]
    [InlineData("Invalid", false)]
    [InlineData("Unavailable", false)]
    [InlineData("Unknown", false)]
    [InlineData(null, false)]
    public void A_phone_is_in_a_call_when_a_call_is_up_ringing_or_held(string? deviceState, bool inCall) =>
        Assert.Equal(inCall, CallState.IsInCall(deviceState));

    [Fact]
    public void The_first_line_in_a_call_is_named_and_idle_or_unknown_lines_name_none()
    {
        var states = new Dictionary<string, string?> { ["6001"] = "Not in use", ["6002"] = "On Hold", ["6003"] = "Busy", ["6004"] = null };

        Assert.Equal("On Hold", CallState.InCall(["6001", "6002", "6003"], states.GetValueOrDefault));
        Assert.Null(CallState.InCall(["6001", "6004", "6009"], states.GetValueOrDefault));
    }
}
