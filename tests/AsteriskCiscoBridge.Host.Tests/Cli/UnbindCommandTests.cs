namespace AsteriskCiscoBridge.Host.Tests.Cli;

public sealed class UnbindCommandTests
{
    [Fact]
    public async Task Unbind_removes_a_bound_phone_and_fails_for_an_unknown_one()
    {
        using var cli = new CliHarness();
        await cli.RunAsync("bind", "001122aabbcc", "1001", "--model", "7960");

        var first = await cli.RunAsync("unbind", "00-11-22-AA-BB-CC");
        var second = await cli.RunAsync("unbind", "001122aabbcc");
        var phones = await cli.RunAsync("phones", "--json");

        Assert.Equal((0, "unbound 001122AABBCC\n"), (first.Exit, first.Output));
        Assert.Equal((1, "001122AABBCC is not bound\n"), (second.Exit, second.Error));
        Assert.Equal("[]", phones.Output.Trim());
    }
}
