using AsteriskCiscoBridge.Host.Tests.Support;
using AsteriskCiscoBridge.Provisioning.Model;
using AsteriskCiscoBridge.Services.Provisioning;

namespace AsteriskCiscoBridge.Host.Tests.Provisioning;

public sealed class AutoAssignmentTests
{
    [Fact]
    public void Choose_takes_marked_free_provisionable_endpoints_in_order_of_name()
    {
        var snapshot = TestEndpoints.Snapshot(
            TestEndpoints.Plain("7003", setVar: "ACB_AUTOASSIGN=yes"),
            TestEndpoints.Plain("7001", setVar: "ACB_AUTOASSIGN=yes"),
            TestEndpoints.Plain("7000"),
            TestEndpoints.Plain("6999", password: null, setVar: "ACB_AUTOASSIGN=yes"),
            TestEndpoints.Plain("7002", setVar: "CISCO_MODEL=CP-7961G,ACB_AUTOASSIGN=YES"));

        Assert.Equal("7001", AutoAssignment.Choose(snapshot, new HashSet<string>())?.Name);
        Assert.Equal("7002", AutoAssignment.Choose(snapshot, new HashSet<string> { "7001" })?.Name);
        Assert.Equal("7003", AutoAssignment.Choose(snapshot, new HashSet<string> { "7001", "7002" })?.Name);
        Assert.Null(AutoAssignment.Choose(snapshot, new HashSet<string> { "7001", "7002", "7003" }));
    }

    [Theory]
    [InlineData("ACB_AUTOASSIGN=no")]
    [InlineData("ACB_AUTOASSIGN=")]
    [InlineData("acb_autoassign=yes")]
    [InlineData("ACB_AUTOASSIGNX=yes")]
    public void Choose_ignores_endpoints_not_marked_yes(string setVar)
    {
        Assert.Null(AutoAssignment.Choose(TestEndpoints.Snapshot(TestEndpoints.Plain("7001", setVar: setVar)), new HashSet<string>()));
    }

    [Fact]
    public void ModelFor_prefers_the_endpoints_acb_model_then_the_guess()
    {
        var named = TestEndpoints.Plain("7001", setVar: "ACB_AUTOASSIGN=yes,ACB_MODEL=7941");
        var plain = TestEndpoints.Plain("7002", setVar: "ACB_AUTOASSIGN=yes");
        var guess = ModelGuesser.Guess(["SIP0011223344AA.cnf"]);

        Assert.Equal("7941", AutoAssignment.ModelFor(named, guess)?.Name);
        Assert.Equal("7960", AutoAssignment.ModelFor(plain, guess)?.Name);
        Assert.Null(AutoAssignment.ModelFor(plain, ModelGuesser.Guess(["SEP0011223344AA.cnf.xml"])));
        Assert.Null(AutoAssignment.ModelFor(plain, null));
    }
}
